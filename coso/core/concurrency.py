"""Optimistic locking: a save carries the version it was read at; a stale version is a conflict."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model

from .exceptions import ConflictError


def stamp(instance: Model, actor) -> Model:
    """Record `actor` as the author of the next history entry (services run outside requests too)."""
    if getattr(actor, "pk", None) is not None:
        instance._history_user = actor
    return instance


def save_versioned(instance: Model, *, expected_version: int | None, actor=None) -> None:
    """Save `instance` only if the stored row is still at `expected_version`, then bump the version.

    The row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite transactions here are IMMEDIATE, so
    writers are serialized), so two concurrent saves cannot both pass the check. A normal `save()` is used so
    that django-simple-history records the change.
    """
    model = type(instance)
    with transaction.atomic():
        current = (
            model._default_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
        )
        stored = current.first()
        if stored is None or (expected_version is not None and stored != expected_version):
            raise ConflictError()
        instance.version = stored + 1
        stamp(instance, actor)
        instance.save()
