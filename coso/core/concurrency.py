"""Optimistic locking: a save carries the version it was read at; a stale version is a conflict."""

from __future__ import annotations

from django.db import transaction
from django.db.models import FileField, Model

from .exceptions import ConflictError


def stamp(instance: Model, actor) -> Model:
    """Record `actor` as the author of the next history entry (services run outside requests too)."""
    if getattr(actor, "pk", None) is not None:
        instance._history_user = actor
    return instance


def save_versioned(
    instance: Model, *, expected_version: int | None, actor=None, skip_unchanged: bool = False
) -> bool:
    """Save `instance` only if the stored row is still at `expected_version`, then bump the version.

    The row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions here are IMMEDIATE, so
    writers are serialized), so two concurrent saves cannot both pass the check. A normal `save()` is used so
    that django-simple-history records the change.

    With `skip_unchanged`, an instance whose fields all equal the stored row is not saved: no new version, no
    history entry (a PATCH that changes nothing). Returns whether it was saved.
    """
    model = type(instance)
    with transaction.atomic():
        rows = model._default_manager.select_for_update().filter(pk=instance.pk)
        if skip_unchanged:
            row = rows.first()
            stored = row.version if row is not None else None
        else:
            row = None
            stored = rows.values_list("version", flat=True).first()
        if stored is None or (expected_version is not None and stored != expected_version):
            raise ConflictError()
        if row is not None and not changed_fields(row, instance):
            instance.version = stored
            return False
        instance.version = stored + 1
        stamp(instance, actor)
        instance.save()
    return True


def changed_fields(stored: Model, instance: Model) -> list[str]:
    """The concrete fields (version aside) where `instance` differs from `stored`, the same row as saved."""
    names = []
    for field in type(instance)._meta.concrete_fields:
        if field.primary_key or field.name == "version":
            continue
        before, after = getattr(stored, field.attname), getattr(instance, field.attname)
        if isinstance(field, FileField):
            before, after = getattr(before, "name", before) or "", getattr(after, "name", after) or ""
        if before != after:
            names.append(field.name)
    return names
