"""The rotation planner: committee leaders attending cell meetings in turn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.members.models import Member
from coso.orgs.models import Organization

from .. import selectors
from ..models import (
    Meeting,
    MeetingGuest,
    MeetingKind,
    MeetingStatus,
    RotationPlan,
    RotationStatus,
    RotationVisit,
)
from ._common import _local_date, _user


@dataclass
class Slot:
    """A cell meeting a leader could attend."""

    meeting_id: int
    cell_id: int
    date: dt.date


@dataclass
class Proposal:
    visits: list[tuple[int, int]] = field(default_factory=list)  # (leader_id, meeting_id)
    missing: dict[int, list[int]] = field(default_factory=dict)  # leader_id -> cell ids that cannot be placed

    @property
    def feasible(self) -> bool:
        return not self.missing


def _augment(cell: int, seen: set, prefs: dict, date_owner: dict, choice: dict) -> bool:
    """Kuhn's augmenting path: give `cell` a date, moving other cells to their other dates if needed."""
    for slot in prefs[cell]:
        if slot.date in seen:
            continue
        seen.add(slot.date)
        owner = date_owner.get(slot.date)
        if owner is None or _augment(owner, seen, prefs, date_owner, choice):
            date_owner[slot.date] = cell
            choice[cell] = slot
            return True
    return False


def rotation_propose(leaders: Sequence[int], slots: Sequence[Slot]) -> Proposal:
    """Give every leader one meeting of every cell, never two meetings on the same date for one leader.

    Per leader this is a bipartite matching of cells to dates (a date can hold one of the leader's visits):
    augmenting paths (Kuhn) find a full matching whenever one exists. Each leader starts from a different
    offset in the cells' meeting order (round-robin), so leaders spread over the months instead of all going to
    the same meeting, and each month holds a fair share of every leader's visits. Cells that cannot be placed
    (too few distinct dates) are reported per leader.
    """
    by_cell: dict[int, list[Slot]] = {}
    for slot in sorted(slots, key=lambda s: (s.date, s.meeting_id)):
        by_cell.setdefault(slot.cell_id, []).append(slot)
    cells = sorted(by_cell)
    proposal = Proposal()
    taken_meetings: dict[int, int] = {}  # meeting -> how many leaders already go
    for index, leader in enumerate(leaders):
        # Preferred order of each cell's meetings: rotate by the leader's index and the cell's position.
        prefs: dict[int, list[Slot]] = {}
        for position, cell in enumerate(cells):
            options = by_cell[cell]
            shift = (position + index * max(1, len(options) // max(1, len(leaders)))) % len(options)
            rotated = options[shift:] + options[:shift]
            prefs[cell] = sorted(
                rotated, key=lambda s, r=rotated: (taken_meetings.get(s.meeting_id, 0), r.index(s))
            )
        date_owner: dict[dt.date, int] = {}
        choice: dict[int, Slot] = {}

        missing = []
        # Cells with the fewest options first: they have the least room.
        for cell in sorted(cells, key=lambda c: (len({s.date for s in by_cell[c]}), c)):
            if not _augment(cell, set(), prefs, date_owner, choice):
                missing.append(cell)
        if missing:
            proposal.missing[leader] = sorted(missing)
        for cell in cells:
            slot = choice.get(cell)
            if slot is not None and date_owner.get(slot.date) == cell:
                proposal.visits.append((leader, slot.meeting_id))
                taken_meetings[slot.meeting_id] = taken_meetings.get(slot.meeting_id, 0) + 1
    return proposal


def rotation_slots(organization: Organization, starts_on: dt.date, ends_on: dt.date) -> list[Slot]:
    """The planned (not cancelled) regular meetings of the active cells under the committee in the period."""
    from coso.orgs.models import CELL_KINDS, OrgStatus

    low, high = selectors.local_day_bounds(starts_on, ends_on)
    rows = (
        Meeting.objects.filter(
            selectors._subtree_q(organization),
            organization__kind__in=CELL_KINDS,
            organization__status=OrgStatus.ACTIVE,
            kind=MeetingKind.REGULAR,
            starts_at__gte=low,
            starts_at__lt=high,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("pk", "organization_id", "starts_at")
    )
    return [
        Slot(meeting_id=pk, cell_id=org_id, date=_local_date(starts_at)) for pk, org_id, starts_at in rows
    ]


def rotation_plan_create(
    *,
    actor,
    organization: Organization,
    leaders: Sequence[Member],
    starts_on: dt.date,
    ends_on: dt.date,
    title: str = "",
) -> tuple[RotationPlan, Proposal]:
    """Build a draft plan from the proposal. Infeasible input is refused with the cells that cannot be placed."""
    permissions.authorize(actor, "meetings.plan_rotation", organization.path)
    errors: dict = {}
    if not leaders:
        errors["leaders"] = [_("Choose at least one leader.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The end of the period is before its start.")]
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
    slots = rotation_slots(organization, starts_on, ends_on)
    if not slots:
        raise RuleViolation(
            _("No cell has a planned regular meeting in this period: plan the cells' meetings first."),
            fields={"starts_on": [_("No planned meetings in this period.")]},
            code="infeasible",
        )
    proposal = rotation_propose([m.pk for m in leaders], slots)
    if not proposal.feasible:
        names = dict(
            Organization.objects.filter(
                pk__in={c for cs in proposal.missing.values() for c in cs}
            ).values_list("pk", "name")
        )
        leader_names = {m.pk: m.full_name for m in leaders}
        messages = [
            str(
                format_lazy(
                    gettext_lazy(
                        "{leader} cannot visit {cells}: their meetings fall on dates already taken."
                    ),
                    leader=leader_names[leader],
                    cells=", ".join(names[c] for c in cells),
                )
            )
            for leader, cells in proposal.missing.items()
        ]
        raise RuleViolation(
            _("No plan visits every cell without a clash. Add meeting dates or lengthen the period."),
            fields={"leaders": messages},
            code="infeasible",
        )
    with transaction.atomic():
        plan = RotationPlan(
            organization=organization,
            title=(title or "").strip()
            or _("Rotation {start} – {end}").format(
                start=starts_on.strftime("%m/%Y"), end=ends_on.strftime("%m/%Y")
            ),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=_user(actor),
        )
        stamp(plan, actor).save()
        plan.leaders.set(leaders)
        RotationVisit.objects.bulk_create(
            [
                RotationVisit(plan=plan, leader_id=leader, meeting_id=meeting)
                for leader, meeting in proposal.visits
            ]
        )
    return plan, proposal


def rotation_visit_move(*, actor, visit: RotationVisit, meeting: Meeting) -> RotationVisit:
    """The committee adjusts the proposal: move a visit to another meeting of the same cell, without a clash."""
    plan = visit.plan
    permissions.authorize(actor, "meetings.plan_rotation", plan.organization.path)
    if meeting.organization_id != visit.meeting.organization_id:
        raise RuleViolation(
            _("Please correct the errors below."),
            fields={"meeting": [_("Choose a meeting of the same cell.")]},
        )
    date = _local_date(meeting.starts_at)
    for other in plan.visits.filter(leader=visit.leader).exclude(pk=visit.pk).select_related("meeting"):
        if _local_date(other.meeting.starts_at) == date:
            raise RuleViolation(
                _("Please correct the errors below."),
                fields={"meeting": [_("The leader already has a visit on that date.")]},
                code="clash",
            )
    with transaction.atomic():
        visit.meeting = meeting
        stamp(visit, actor).save()
        save_versioned(plan, expected_version=None, actor=actor)
    return visit


def rotation_plan_publish(*, actor, plan: RotationPlan, expected_version: int | None = None) -> RotationPlan:
    """Publish the plan: each leader is added as a guest of the meetings they visit and notified."""
    permissions.authorize(actor, "meetings.plan_rotation", plan.organization.path)
    if plan.status == RotationStatus.PUBLISHED:
        raise RuleViolation(_("This plan is already published."), code="transition")
    with transaction.atomic():
        plan.status = RotationStatus.PUBLISHED
        plan.published_at = timezone.now()
        save_versioned(plan, expected_version=expected_version, actor=actor)
        visits = list(plan.visits.select_related("leader", "meeting"))
        existing = set(
            MeetingGuest.objects.filter(meeting_id__in=[v.meeting_id for v in visits]).values_list(
                "meeting_id", "member_id"
            )
        )
        MeetingGuest.objects.bulk_create(
            [
                MeetingGuest(
                    meeting_id=v.meeting_id, member_id=v.leader_id, role=_("Leader visiting in rotation")
                )
                for v in visits
                if (v.meeting_id, v.leader_id) not in existing
            ]
        )
        from coso.accounts.models import User
        from coso.notifications.services import notify

        notify(
            recipients=list(User.objects.filter(member__in=plan.leaders.all())),
            kind="meetings.rotation_published",
            title=format_lazy(gettext_lazy("Rotation plan published: {title}"), title=plan.title),
            url=reverse("meetings:rotation_detail", args=[plan.pk]),
            dedupe_key=f"meetings.rotation:{plan.pk}",
        )
    return plan
