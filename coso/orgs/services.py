"""Writes to the organization tree: creation, edits, restructuring, terms, committees, positions, supervision.

Every restructuring is one transaction and one `RestructuringEvent`; nothing is deleted, old organizations stay
marked (merged, split, dissolved) so any report can be read as of a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.core.patching import refuse_unwritable

from . import signals
from .models import (
    CELL_KINDS,
    PATH_SEGMENT_WIDTH,
    PATH_SEPARATOR,
    Committee,
    CommitteeKind,
    Organization,
    OrgKind,
    OrgStatus,
    Position,
    PositionTitle,
    RestructuringEvent,
    RestructuringKind,
    SupervisionAssignment,
    SupervisionKind,
    Term,
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


def _rewrite_subtree(org: Organization, new_parent: Organization | None) -> None:
    """Give `org` a new place under `new_parent`, rewriting the paths of its whole subtree in one UPDATE."""
    old_path = org.path
    new_path, new_depth = _next_child_path(new_parent)
    delta = new_depth - org.depth
    Organization.objects.filter(path__startswith=old_path + PATH_SEPARATOR).update(
        path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)), depth=F("depth") + delta
    )
    org.parent = new_parent
    org.path = new_path
    org.depth = new_depth


def _handover(
    actor, *, kind: str, source: Organization, parts, successor: Organization | None, on: dt.date
) -> dict[str, int]:
    """Let every app move what it hangs on `source` (see `signals`); the members move last."""
    arguments = {
        "actor": actor,
        "kind": kind,
        "source": source,
        "parts": parts,
        "successor": successor,
        "effective_on": on,
    }
    totals = signals.collect(signals.organization_handover, **arguments)
    return signals.collect(signals.members_handover, totals, **arguments)


def handover_preview(*, kind: str, source: Organization, parts, successor, on: dt.date) -> dict[str, int]:
    """What `_handover` would move, without writing: for the confirmation page."""
    return signals.collect(
        signals.handover_preview, kind=kind, source=source, parts=parts, successor=successor, effective_on=on
    )


def _current_term(org: Organization, on: dt.date) -> Term | None:
    return (
        Term.objects.filter(organization=org, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-starts_on")
        .first()
    )


def _end_positions(actor, org: Organization, on: dt.date) -> int:
    """End every open seat on the committees of a stopping organization (its bodies cease with it)."""
    ended = 0
    for position in Position.objects.filter(committee__organization=org, ends_on__isnull=True):
        position.ends_on = on
        stamp(_dated(position, on), actor).save(update_fields=["ends_on", "updated_at"])
        ended += 1
    return ended


def _carry_committee(actor, source: Organization, target: Organization, on: dt.date) -> int:
    """Give `target` the current term of `source` with its committees and open seats, starting on `on`.

    A ward made of merged wards keeps a secretary and a committee (reception duties, approvals, rotation) until
    its own congress; the office picks whose committee carries over. Returns the number of seats carried.
    """
    term = _current_term(source, on)
    if term is None:
        return 0
    new_term = stamp(
        _dated(Term(organization=target, name=term.name, starts_on=on, ends_on=term.ends_on), on), actor
    )
    new_term.save()
    seats = 0
    for committee in term.committees.all():
        new_committee = stamp(
            _dated(Committee(organization=target, term=new_term, kind=committee.kind), on), actor
        )
        new_committee.save()
        for position in committee.positions.filter(ends_on__isnull=True):
            stamp(
                _dated(
                    Position(
                        committee=new_committee,
                        member_id=position.member_id,
                        title=position.title,
                        starts_on=on,
                    ),
                    on,
                ),
                actor,
            ).save()
            seats += 1
    return seats


def _move_grants(actor, source: Organization, target: Organization) -> None:
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    now = timezone.now()
    for grant in RoleGrant.objects.filter(organization=source, revoked_at__isnull=True):
        grant.revoked_at = now
        stamp(grant, actor).save(update_fields=["revoked_at", "updated_at"])
        if not RoleGrant.objects.filter(
            user_id=grant.user_id, organization=target, role=grant.role, revoked_at__isnull=True
        ).exists():
            stamp(
                RoleGrant(
                    user_id=grant.user_id, organization=target, role=grant.role, granted_by=grant.granted_by
                ),
                actor,
            ).save()


def _end_supervision(actor, org: Organization, on: dt.date) -> None:
    # One save per assignment (an organization has very few) so each end is in the history with its author.
    for assignment in SupervisionAssignment.objects.filter(organization=org, ends_on__isnull=True):
        assignment.ends_on = on
        stamp(_dated(assignment, on), actor).save(update_fields=["ends_on", "updated_at"])


def _retire(
    actor, org: Organization, *, status: str, on: dt.date, successor: Organization | None = None
) -> None:
    org.status = status
    org.ended_on = on
    org.successor = successor
    org.version += 1
    stamp(_dated(org, on), actor)
    org.save()


def _record(actor, kind, on, decision_number, note, sources, targets, details=None) -> RestructuringEvent:
    details = dict(details or {})
    if "handover" in details:  # what had nothing to move is left out of the record
        details["handover"] = {key: n for key, n in details["handover"].items() if n}
    event = RestructuringEvent.objects.create(
        kind=kind,
        effective_on=on,
        decision_number=decision_number,
        note=note,
        details=details,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    event.sources.set(sources)
    event.targets.set(targets)
    return event


def _check_date(on: dt.date) -> None:
    if on > timezone.localdate():
        raise RuleViolation(
            _("A restructuring cannot take effect in the future."),
            fields={"effective_on": [_("A restructuring cannot take effect in the future.")]},
        )


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
            for child in Organization.objects.filter(parent=org, status=OrgStatus.ACTIVE):
                _rewrite_subtree(child, target)
                child.version += 1
                stamp(_dated(child, effective_on), actor)
                child.save()
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
    takes over the source's open matters (feedback, commitments, campaigns... see `signals`); every part is
    residential when the source was.
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


def term_create(
    *,
    actor,
    org: Organization,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    committee_kinds: Iterable[str] = (),
) -> Term:
    """Record a term and, optionally, the committees elected for it (one transaction)."""
    permissions.authorize(actor, "orgs.change", org.path)
    if ends_on is not None and ends_on <= starts_on:
        raise RuleViolation(
            _("A term ends after it starts."), fields={"ends_on": [_("A term ends after it starts.")]}
        )
    with transaction.atomic():
        term = Term(organization=org, name=(name or "").strip(), starts_on=starts_on, ends_on=ends_on)
        term.full_clean()
        stamp(term, actor).save()
        for kind in committee_kinds:
            committee_create(actor=actor, term=term, kind=kind)
    return term


def committee_create(*, actor, term: Term, kind: str) -> Committee:
    permissions.authorize(actor, "orgs.change", term.organization.path)
    if term.organization.is_cell and kind != CommitteeKind.CELL_COMMITTEE:
        raise RuleViolation(
            _("A cell elects a cell committee only."),
            fields={"kind": [_("A cell elects a cell committee only.")]},
        )
    if not term.organization.is_cell and kind == CommitteeKind.CELL_COMMITTEE:
        raise RuleViolation(
            _("Only a cell elects a cell committee."),
            fields={"kind": [_("Only a cell elects a cell committee.")]},
        )
    if Committee.objects.filter(term=term, kind=kind).exists():
        raise RuleViolation(
            _("This term already has that committee."),
            fields={"kind": [_("This term already has that committee.")]},
        )
    with transaction.atomic():
        committee = Committee(organization=term.organization, term=term, kind=kind)
        committee.full_clean()
        stamp(committee, actor).save()
    return committee


def position_assign(
    *, actor, committee: Committee, member, title: str, starts_on: dt.date, ends_on: dt.date | None = None
) -> Position:
    org = committee.organization
    permissions.authorize(actor, "orgs.change", org.path)
    if member.status not in ("FULL", "EXEMPT", "PROBATIONARY"):
        raise RuleViolation(
            _("Only a current member can hold a position."),
            fields={"member": [_("Only a current member can hold a position.")]},
        )
    member_path = member.organization.path
    if not (member_path == org.path or member_path.startswith(org.path + PATH_SEPARATOR)):
        raise RuleViolation(
            _("A committee member must belong to the organization or one of its units."),
            fields={"member": [_("A committee member must belong to the organization or one of its units.")]},
        )
    if ends_on is not None and ends_on < starts_on:
        raise RuleViolation(
            _("The end date is before the start date."),
            fields={"ends_on": [_("The end date is before the start date.")]},
        )
    if (
        title in (PositionTitle.SECRETARY,)
        and Position.objects.filter(committee=committee, title=title, ends_on__isnull=True).exists()
    ):
        raise RuleViolation(
            _("This committee already has a secretary; end that position first."),
            fields={"title": [_("This committee already has a secretary; end that position first.")]},
        )
    if Position.objects.filter(committee=committee, member=member, ends_on__isnull=True).exists():
        raise RuleViolation(
            _("This member already holds a position on this committee."),
            fields={"member": [_("This member already holds a position on this committee.")]},
        )
    with transaction.atomic():
        position = Position(
            committee=committee, member=member, title=title, starts_on=starts_on, ends_on=ends_on
        )
        position.full_clean()
        stamp(position, actor).save()
    return position


def position_end(*, actor, position: Position, ends_on: dt.date) -> Position:
    permissions.authorize(actor, "orgs.change", position.committee.organization.path)
    if position.ends_on is not None:
        raise RuleViolation(_("This position has already ended."))
    if ends_on < position.starts_on:
        raise RuleViolation(
            _("The end date is before the start date."),
            fields={"ends_on": [_("The end date is before the start date.")]},
        )
    with transaction.atomic():
        position.ends_on = ends_on
        position.full_clean()
        stamp(position, actor).save(update_fields=["ends_on", "updated_at"])
    return position


def supervision_assign(
    *, actor, supervisor, organization: Organization, assigned_by: Organization, kind: str, starts_on: dt.date
) -> SupervisionAssignment:
    """Assign a committee member to lead (grassroots organization) or attend and direct (cell) an organization."""
    permissions.authorize(actor, "orgs.change", assigned_by.path)
    permissions.authorize(actor, "orgs.change", organization.path)
    if not assigned_by.contains(organization) or assigned_by.pk == organization.pk:
        raise RuleViolation(
            _("A committee can only assign supervision of organizations under it."),
            fields={
                "organization": [_("A committee can only assign supervision of organizations under it.")]
            },
        )
    if not organization.is_active:
        raise RuleViolation(
            _("%(name)s is no longer active.") % {"name": organization.name},
            fields={"organization": [_("%(name)s is no longer active.") % {"name": organization.name}]},
        )
    if kind == SupervisionKind.ATTEND and not organization.is_cell:
        raise RuleViolation(
            _("Attending and directing applies to cells."),
            fields={"kind": [_("Attending and directing applies to cells.")]},
        )
    if supervisor.status not in ("FULL", "EXEMPT", "PROBATIONARY"):
        raise RuleViolation(
            _("Only a current member can supervise an organization."),
            fields={"supervisor": [_("Only a current member can supervise an organization.")]},
        )
    if SupervisionAssignment.objects.filter(
        supervisor=supervisor, organization=organization, ends_on__isnull=True
    ).exists():
        raise RuleViolation(
            _("This member already supervises this organization."),
            fields={"supervisor": [_("This member already supervises this organization.")]},
        )
    with transaction.atomic():
        assignment = SupervisionAssignment(
            supervisor=supervisor,
            organization=organization,
            assigned_by=assigned_by,
            kind=kind,
            starts_on=starts_on,
        )
        assignment.full_clean()
        stamp(assignment, actor).save()
    return assignment


def supervision_end(*, actor, assignment: SupervisionAssignment, ends_on: dt.date) -> SupervisionAssignment:
    # Visible through the supervised organization; changed only by who may act for the assigning committee.
    permissions.authorize(actor, "orgs.view", assignment.organization.path)
    if not permissions.can(actor, "orgs.change", assignment.assigned_by.path):
        raise PermissionDenied
    if assignment.ends_on is not None:
        raise RuleViolation(_("This assignment has already ended."))
    if ends_on < assignment.starts_on:
        raise RuleViolation(
            _("The end date is before the start date."),
            fields={"ends_on": [_("The end date is before the start date.")]},
        )
    with transaction.atomic():
        assignment.ends_on = ends_on
        stamp(assignment, actor).save(update_fields=["ends_on", "updated_at"])
    return assignment
