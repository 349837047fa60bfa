"""The tree: materialized-path segments, creating and editing an organization."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.core.patching import refuse_unwritable

from ..models import (
    CELL_KINDS,
    PATH_SEGMENT_WIDTH,
    PATH_SEPARATOR,
    Organization,
    OrgKind,
    RestructuringEvent,
    RestructuringKind,
)

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _dated(instance, on: dt.date | None):
    """Date the next history entry on the day the change took effect, so the tree can be read as of a date."""
    if on is not None and on <= timezone.localdate():
        instance._history_date = timezone.make_aware(dt.datetime.combine(on, dt.time.min))
    return instance


def _encode_segment(number: int) -> str:
    chars = []
    while True:
        number, rest = divmod(number, 36)
        chars.append(_DIGITS[rest])
        if number == 0:
            break
    return "".join(reversed(chars)).rjust(PATH_SEGMENT_WIDTH, "0")


def _decode_segment(segment: str) -> int:
    return int(segment, 36)


def _next_child_path(parent: Organization | None) -> tuple[str, int]:
    """Allocate the next free path under `parent` (the parent row is locked by the caller)."""
    if parent is None:
        siblings = Organization.objects.filter(depth=0).values_list("path", flat=True)
        prefix, depth = "", 0
    else:
        siblings = Organization.objects.filter(parent=parent).values_list("path", flat=True)
        prefix, depth = parent.path + PATH_SEPARATOR, parent.depth + 1
    used = [_decode_segment(p.rsplit(PATH_SEPARATOR, 1)[-1]) for p in siblings]
    return prefix + _encode_segment(max(used, default=0) + 1), depth


def _check_parent_kind(kind: str, parent: Organization | None) -> None:
    if parent is None:
        return
    if parent.kind in CELL_KINDS:
        raise RuleViolation(
            _("A Party cell cannot have organizations under it."),
            fields={"parent": [_("A Party cell cannot have organizations under it.")]},
        )
    if not parent.is_active:
        raise RuleViolation(
            _("The parent organization is no longer active."),
            fields={"parent": [_("The parent organization is no longer active.")]},
        )
    if kind == OrgKind.CELL and parent.kind != OrgKind.GRASSROOTS_COMMITTEE:
        raise RuleViolation(
            _("A cell under a grassroots committee must have a grassroots committee as parent."),
            fields={
                "kind": [_("A cell under a grassroots committee must have a grassroots committee as parent.")]
            },
        )


def organization_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    address: str = "",
    established_on: dt.date | None = None,
    residential: bool = False,
    record_event: bool = True,
) -> Organization:
    if parent is not None:
        permissions.authorize(actor, "orgs.change", parent.path)
    elif not permissions.is_superuser(actor):
        raise RuleViolation(_("Only a system administrator can create a top-level organization."))
    _check_parent_kind(kind, parent)
    with transaction.atomic():
        if parent is not None:
            parent = Organization.objects.select_for_update().get(pk=parent.pk)
        path, depth = _next_child_path(parent)
        org = Organization(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            path=path,
            depth=depth,
            address=address,
            established_on=established_on,
            residential=residential,
        )
        org.full_clean()
        stamp(_dated(org, established_on), actor)
        org.save()
        if record_event:
            event = RestructuringEvent.objects.create(
                kind=RestructuringKind.CREATE,
                effective_on=established_on or timezone.localdate(),
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            event.targets.add(org)
    return org


ORGANIZATION_EDITABLE_FIELDS = ("code", "name", "address", "established_on", "residential")


def organization_update(*, actor, org: Organization, expected_version: int | None, **fields) -> Organization:
    """Edit an organization's descriptive fields (not its place in the tree: use the restructuring services)."""
    permissions.authorize(actor, "orgs.change", org.path)
    # Kind, parent, path and status change only through the restructuring services (dated, recorded).
    refuse_unwritable(fields, ORGANIZATION_EDITABLE_FIELDS)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(org, name, value)
        org.full_clean()
        save_versioned(org, expected_version=expected_version, actor=actor, skip_unchanged=True)
    return org
