"""Restructuring: merge, split, move, rename, dissolve; each one transaction and one event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation

from ..models import Organization, OrgKind, OrgStatus, RestructuringEvent, RestructuringKind
from .handover import (
    _carry_committee,
    _check_date,
    _end_positions,
    _end_supervision,
    _handover,
    _move_grants,
    _record,
    _retire,
    _rewrite_subtree,
)
from .tree import _check_parent_kind, _dated, organization_create


def _move_children(actor, source: Organization, target: Organization, on) -> int:
    """Place the active sub-organizations of a stopping organization (with their subtrees) under `target`."""
    moved = 0
    for child in Organization.objects.filter(parent=source, status=OrgStatus.ACTIVE):
        _rewrite_subtree(child, target)
        child.version += 1
        stamp(_dated(child, on), actor)
        child.save()
        moved += 1
    return moved


def organization_merge(
    *,
    actor,
    sources: Iterable[Organization],
    target: Organization | None = None,
    new_code: str = "",
    new_name: str = "",
    effective_on: dt.date,
    decision_number: str = "",
    note: str = "",
    committee_from: Organization | None = None,
) -> RestructuringEvent:
    """Merge organizations into `target` (an existing one, or a new one named `new_name` under the sources' parent).

    Members' periods move to the target; sub-organizations move under it; grants follow; what the other apps hang
    on the sources (open feedback, planned reception days, commitments, campaigns...) goes to the target through
    `signals.organization_handover`; a new target is residential when a source was, and takes the current
    committee of `committee_from` (one of the sources) when the office chose one. The sources' seats end; the
    sources stay, marked merged into the target.
    """
    sources = list(sources)
    if len(sources) < 1 or (target is None and len(sources) < 2):
        raise RuleViolation(
            _("Choose at least two organizations to merge."),
            fields={"sources": [_("Choose at least two organizations to merge.")]},
        )
    _check_date(effective_on)
    for org in sources:
        permissions.authorize(actor, "orgs.restructure", org.path)
        if not org.is_active:
            raise RuleViolation(
                _("%(name)s is no longer active.") % {"name": org.name},
                fields={"sources": [_("%(name)s is no longer active.") % {"name": org.name}]},
            )
    kinds = {org.kind for org in sources}
    created = target is None
    with transaction.atomic():
        if target is None:
            parent = sources[0].parent
            if any(org.parent_id != sources[0].parent_id for org in sources):
                raise RuleViolation(
                    _("Organizations merged into a new one must have the same parent."),
                    fields={"sources": [_("Organizations merged into a new one must have the same parent.")]},
                )
            if not new_name or not new_code:
                raise RuleViolation(
                    _("Give the code and the name of the new organization."),
                    fields={"new_name": [_("Give the code and the name of the new organization.")]},
                )
            target = organization_create(
                actor=actor,
                code=new_code,
                name=new_name,
                kind=sorted(kinds)[0] if len(kinds) == 1 else OrgKind.GRASSROOTS_COMMITTEE,
                parent=parent,
                established_on=effective_on,
                record_event=False,
            )
        else:
            permissions.authorize(actor, "orgs.restructure", target.path)
            if any(org.pk == target.pk for org in sources):
                raise RuleViolation(
                    _("An organization cannot be merged into itself."),
                    fields={"target": [_("An organization cannot be merged into itself.")]},
                )
            if any(org.contains(target) for org in sources):
                raise RuleViolation(
                    _("An organization cannot be merged into its own sub-organization."),
                    fields={"target": [_("An organization cannot be merged into its own sub-organization.")]},
                )
        if committee_from is not None and not created:
            raise RuleViolation(
                _("An existing organization keeps its own committee."),
                fields={"committee_from": [_("An existing organization keeps its own committee.")]},
            )
        if committee_from is not None and all(org.pk != committee_from.pk for org in sources):
            raise RuleViolation(
                _("Choose the committee of one of the merged organizations."),
                fields={"committee_from": [_("Choose the committee of one of the merged organizations.")]},
            )
        if any(org.residential for org in sources) and not target.residential:
            # Its residents must still find their ward on the citizens' portal.
            target.residential = True
            target.version += 1
            stamp(_dated(target, effective_on), actor).save()
        totals: dict[str, int] = {}
        if committee_from is not None:
            totals["seats_carried"] = _carry_committee(actor, committee_from, target, effective_on)
        for org in sources:
            org = Organization.objects.select_for_update().get(pk=org.pk)
            moved = _handover(
                actor, kind="merge", source=org, parts=[(target, None)], successor=target, on=effective_on
            )
            for key, count in moved.items():
                totals[key] = totals.get(key, 0) + count
            _move_children(actor, org, target, effective_on)
            _move_grants(actor, org, target)
            _end_supervision(actor, org, effective_on)
            totals["seats_ended"] = totals.get("seats_ended", 0) + _end_positions(actor, org, effective_on)
            _retire(actor, org, status=OrgStatus.MERGED, on=effective_on, successor=target)
        event = _record(
            actor,
            RestructuringKind.MERGE,
            effective_on,
            decision_number,
            note,
            sources,
            [target],
            # members_moved: their own organization changed; members_carried: they moved with their cells.
            {
                "members_moved": totals.pop("members_moved", 0),
                "members_carried": totals.pop("members_carried", 0),
                "handover": totals,
            },
        )
    permissions.forget(actor)
    return event


def organization_split(
    *,
    actor,
    source: Organization,
    parts: list[dict],
    effective_on: dt.date,
    decision_number: str = "",
    note: str = "",
    takes_over: int = 0,
) -> RestructuringEvent:
    """Split `source` into new organizations. Each part: {"code", "name", "member_ids": [...]}.

    Every current member of the source must be assigned to exactly one part. The part at index `takes_over`
    takes over the source's open matters (feedback, commitments, campaigns... see `signals`) and its
    sub-organizations; every part is residential when the source was.
    """
    permissions.authorize(actor, "orgs.restructure", source.path)
    _check_date(effective_on)
    if len(parts) < 2:
        raise RuleViolation(
            _("A split needs at least two new organizations."),
            fields={"parts": [_("A split needs at least two new organizations.")]},
        )
    if not 0 <= takes_over < len(parts):
        raise RuleViolation(
            _("Choose which new organization takes over the open matters."),
            fields={"takes_over": [_("Choose which new organization takes over the open matters.")]},
        )
    with transaction.atomic():
        source = Organization.objects.select_for_update().get(pk=source.pk)
        targets = []
        for part in parts:
            targets.append(
                organization_create(
                    actor=actor,
                    code=part["code"],
                    name=part["name"],
                    kind=source.kind,
                    parent=source.parent,
                    address=part.get("address", source.address),
                    established_on=effective_on,
                    residential=source.residential,
                    record_event=False,
                )
            )
        totals = _handover(
            actor,
            kind="split",
            source=source,
            parts=[(org, list(part.get("member_ids", []))) for org, part in zip(targets, parts, strict=True)],
            successor=targets[takes_over],
            on=effective_on,
        )
        # Its sub-organizations go under the part that takes over (the office chose it); none stays under a
        # retired organization. They can be moved to another part afterwards.
        totals["sub_organizations"] = _move_children(actor, source, targets[takes_over], effective_on)
        _end_supervision(actor, source, effective_on)
        totals["seats_ended"] = _end_positions(actor, source, effective_on)
        _retire(actor, source, status=OrgStatus.SPLIT, on=effective_on)
        event = _record(
            actor,
            RestructuringKind.SPLIT,
            effective_on,
            decision_number,
            note,
            [source],
            targets,
            {
                "members_moved": totals.pop("members_moved", 0),
                "takes_over": targets[takes_over].pk,
                "handover": totals,
            },
        )
    return event


def organization_move(
    *,
    actor,
    org: Organization,
    new_parent: Organization,
    effective_on: dt.date,
    decision_number: str = "",
    note: str = "",
) -> RestructuringEvent:
    """Place `org` (with its subtree) under another parent."""
    permissions.authorize(actor, "orgs.restructure", org.path)
    permissions.authorize(actor, "orgs.restructure", new_parent.path)
    _check_date(effective_on)
    if org.contains(new_parent):
        raise RuleViolation(
            _("An organization cannot be moved under itself or its own sub-organization."),
            fields={
                "new_parent": [_("An organization cannot be moved under itself or its own sub-organization.")]
            },
        )
    if org.parent_id == new_parent.pk:
        raise RuleViolation(
            _("The organization is already under this parent."),
            fields={"new_parent": [_("The organization is already under this parent.")]},
        )
    _check_parent_kind(org.kind, new_parent)
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        old_parent = org.parent
        new_parent = Organization.objects.select_for_update().get(pk=new_parent.pk)
        _rewrite_subtree(org, new_parent)
        org.version += 1
        stamp(_dated(org, effective_on), actor)
        org.save()
        event = _record(
            actor,
            RestructuringKind.MOVE,
            effective_on,
            decision_number,
            note,
            [org],
            [new_parent],
            {"old_parent_id": old_parent.pk if old_parent else None},
        )
    permissions.forget(actor)
    return event


def organization_rename(
    *,
    actor,
    org: Organization,
    new_name: str,
    effective_on: dt.date,
    decision_number: str = "",
    note: str = "",
) -> RestructuringEvent:
    permissions.authorize(actor, "orgs.restructure", org.path)
    _check_date(effective_on)
    new_name = (new_name or "").strip()
    if not new_name:
        raise RuleViolation(
            _("The new name is required."), fields={"new_name": [_("The new name is required.")]}
        )
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        old_name = org.name
        org.name = new_name
        org.version += 1
        stamp(_dated(org, effective_on), actor)
        org.save()
        event = _record(
            actor,
            RestructuringKind.RENAME,
            effective_on,
            decision_number,
            note,
            [org],
            [org],
            {"old_name": old_name},
        )
    return event


def organization_dissolve(
    *, actor, org: Organization, effective_on: dt.date, decision_number: str = "", note: str = ""
) -> RestructuringEvent:
    """Dissolve an organization that no longer has current members or active sub-organizations.

    Its open matters (feedback, commitments, escalations...) go to the level above, which answers for them now;
    the members app refuses while current members are recorded in it.
    """
    permissions.authorize(actor, "orgs.restructure", org.path)
    _check_date(effective_on)
    if Organization.objects.filter(parent=org, status=OrgStatus.ACTIVE).exists():
        raise RuleViolation(
            _("Move or dissolve the sub-organizations first."),
            fields={"org": [_("Move or dissolve the sub-organizations first.")]},
        )
    with transaction.atomic():
        org = Organization.objects.select_for_update().get(pk=org.pk)
        totals = _handover(
            actor, kind="dissolve", source=org, parts=[], successor=org.parent, on=effective_on
        )
        _end_supervision(actor, org, effective_on)
        totals["seats_ended"] = _end_positions(actor, org, effective_on)
        RoleGrant = apps.get_model("accounts", "RoleGrant")
        for grant in RoleGrant.objects.filter(organization=org, revoked_at__isnull=True):
            grant.revoked_at = timezone.now()
            stamp(grant, actor).save(update_fields=["revoked_at", "updated_at"])
        _retire(actor, org, status=OrgStatus.DISSOLVED, on=effective_on)
        event = _record(
            actor,
            RestructuringKind.DISSOLVE,
            effective_on,
            decision_number,
            note,
            [org],
            [],
            {"handover": totals},
        )
    return event
