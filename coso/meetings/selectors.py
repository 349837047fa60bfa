"""Reads of meetings, always scoped by the actor through accounts.permissions.

`meeting_list` is also what the study app reads its study sessions (Meeting(kind=STUDY)) with.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coso.accounts import permissions
from coso.members.models import CURRENT_STATUSES, Member
from coso.orgs.models import CELL_KINDS, PATH_SEPARATOR, Organization, OrgKind, OrgStatus

from . import rules
from .models import (
    HELD_STATUSES,
    Attendance,
    Escalation,
    EscalationStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    RotationPlan,
    SeasonalTopic,
)
from .policies import policy


def _subtree_q(org: Organization, field: str = "organization__path") -> Q:
    return Q(**{field: org.path}) | Q(**{f"{field}__startswith": org.path + PATH_SEPARATOR})


def local_day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes from the start of `start` to the start of the day after `end` (local time)."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    last = (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
    return first, last


def meeting_list(
    *,
    actor,
    organization: Organization | None = None,
    kind: str | None = None,
    status: str | None = None,
    starts_from: dt.date | None = None,
    starts_to: dt.date | None = None,
    include_subtree: bool = True,
) -> QuerySet[Meeting]:
    """Meetings the actor may see, newest first; one query (organization joined)."""
    qs = Meeting.objects.filter(permissions.scope_q(actor, "meetings.view", field="organization__path"))
    if organization is not None:
        qs = qs.filter(_subtree_q(organization) if include_subtree else Q(organization=organization))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if starts_from or starts_to:
        low, high = local_day_bounds(starts_from or dt.date(1900, 1, 1), starts_to or dt.date(9999, 12, 30))
        qs = qs.filter(starts_at__gte=low, starts_at__lt=high)
    return qs.select_related("organization", "chair", "minute_taker")


def access_meeting(actor, pk, *, perm: str = "meetings.view") -> Meeting:
    """Fetch one meeting and authorize on its organization: outside scope → 404, too low a role → 403."""
    try:
        meeting = Meeting.objects.select_related("organization", "chair", "minute_taker").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404
    if perm == "meetings.view" and _is_invited(actor, meeting):
        return meeting
    permissions.authorize(actor, perm, meeting.organization.path)
    return meeting


def _is_invited(actor, meeting: Meeting) -> bool:
    """A guest (a member record invited to the meeting) sees it even outside their scope."""
    member_id = getattr(actor, "member_id", None)
    return bool(member_id) and meeting.guests.filter(member_id=member_id).exists()


def meeting_get_full(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_related("organization", "chair", "minute_taker")
        .prefetch_related("agenda_items__presenter", "guests__member", "documents")
        .get(pk=meeting.pk)
    )


def grassroots_committee_of(org: Organization) -> Organization | None:
    """The nearest grassroots committee above (or at) `org`: where a cell's escalations go."""
    if org.kind in (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL):
        return org
    return (
        Organization.objects.filter(path__in=org.ancestor_paths, kind=OrgKind.GRASSROOTS_COMMITTEE)
        .order_by("-depth")
        .first()
    )


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    """The meeting's attendance, members of the cell by name, guests last."""
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member")
        .order_by("is_guest", "exempted", "member__name_sort", "id")
    )


def meeting_figures(meeting: Meeting, rows: list[Attendance] | None = None) -> rules.Figures:
    rows = attendance_rows(meeting) if rows is None else rows
    return rules.attendance_figures(rows, on=timezone.localtime(meeting.starts_at).date())


def minutes_current(meeting: Meeting) -> Minutes | None:
    """The newest version of the minutes (draft or approved), with its resolutions."""
    return meeting.minutes_versions.prefetch_related("resolutions").order_by("-number").first()


def minutes_versions(meeting: Meeting) -> QuerySet[Minutes]:
    return meeting.minutes_versions.select_related("approved_by").order_by("-number")


def voting_base(meeting: Meeting) -> int:
    """Official members minus the exempted: from the attendance list when taken, else the cell's members now."""
    on = timezone.localtime(meeting.starts_at).date()
    rows = attendance_rows(meeting)
    if any(not row.is_guest for row in rows):
        return meeting_figures(meeting, rows).vote_base
    members = Member.objects.filter(organization=meeting.organization, status__in=CURRENT_STATUSES)
    return sum(
        1
        for status in members.values_list("status", flat=True)
        if status == "FULL" and rules.counts_in_rate(status=status, exempted=False, on=on)
    )


# ---- members' yearly record ------------------------------------------------------------------------------


def member_year(member: Member, *, year: int) -> rules.MemberYear:
    """One query: the member's counted attendance in their cells' meetings of `year`."""
    rows = (
        Attendance.objects.filter(
            member=member,
            is_guest=False,
            counted=True,
            meeting_date__year=year,
            meeting__status__in=HELD_STATUSES,
        )
        .order_by("meeting_date", "meeting_id")
        .values_list("meeting_date", "status")
    )
    return rules.member_year(list(rows), year=year)


def member_attendance_list(member: Member, *, year: int) -> list[Attendance]:
    return list(
        Attendance.objects.filter(member=member, meeting_date__year=year)
        .select_related("meeting")
        .order_by("-meeting_date")
    )


def flagged_members(org: Organization, *, year: int) -> list[tuple[Member, rules.MemberYear]]:
    """Members of the cell with an attendance flag this year: two queries whatever the cell's size."""
    rows = (
        Attendance.objects.filter(
            meeting__organization=org,
            is_guest=False,
            counted=True,
            meeting_date__year=year,
            meeting__status__in=HELD_STATUSES,
        )
        .order_by("meeting_date", "meeting_id")
        .values_list("member_id", "meeting_date", "status")
    )
    by_member: dict[int, list] = defaultdict(list)
    for member_id, date, status in rows:
        by_member[member_id].append((date, status))
    results = {pk: rules.member_year(items, year=year) for pk, items in by_member.items()}
    flagged = {pk: result for pk, result in results.items() if result.flags}
    members = Member.objects.filter(pk__in=flagged).order_by("name_sort")
    return [(member, flagged[member.pk]) for member in members]


# ---- calendar and overview --------------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: int
    meetings: list
    held: bool
    topics: list


def year_calendar(org: Organization, *, year: int, today: dt.date) -> tuple[list[MonthRow], rules.YearCheck]:
    low, high = local_day_bounds(dt.date(year, 1, 1), dt.date(year, 12, 31))
    meetings = list(
        Meeting.objects.filter(organization=org, starts_at__gte=low, starts_at__lt=high)
        .select_related("organization", "chair", "minute_taker")
        .order_by("starts_at")
    )
    topics = seasonal_topics_for(org)
    by_month: dict[int, list] = defaultdict(list)
    for meeting in meetings:
        by_month[timezone.localtime(meeting.starts_at).month].append(meeting)
    topics_by_month: dict[int, list] = defaultdict(list)
    for topic in topics:
        topics_by_month[topic.month].append(topic)
    check = rules.year_check(meetings, year=year, today=today)
    months = [
        MonthRow(
            month=m,
            meetings=by_month[m],
            held=m not in check.months_without_held and any(x.is_held for x in by_month[m]),
            topics=topics_by_month[m],
        )
        for m in range(1, 13)
    ]
    return months, check


def seasonal_topics_for(org: Organization) -> list[SeasonalTopic]:
    """Topics set by the organization or any committee above it (one query)."""
    return list(
        SeasonalTopic.objects.filter(organization__path__in=[*org.ancestor_paths, org.path])
        .select_related("organization")
        .order_by("month", "organization__depth", "id")
    )


@dataclass
class CellRow:
    cell: Organization
    met: bool
    meetings: int
    planned: int
    last_rate: float | None
    last_meeting: Meeting | None
    flags: list


def overview_cells(*, actor, org: Organization) -> QuerySet[Organization]:
    """The active cells under `org` that the actor may see, in tree order."""
    return (
        Organization.objects.filter(_subtree_q(org, "path"), kind__in=CELL_KINDS, status=OrgStatus.ACTIVE)
        .filter(permissions.scope_q(actor, "meetings.view"))
        .order_by("path")
    )


def _met_this_month(org: Organization, today: dt.date) -> QuerySet:
    """Ids of the cells under `org` that held this month the regular meetings the dated policy asks for."""
    first, last = month_bounds(today.year, today.month)
    low, high = local_day_bounds(first, last)
    return (
        Meeting.objects.filter(
            _subtree_q(org),
            kind=MeetingKind.REGULAR,
            status__in=HELD_STATUSES,
            starts_at__gte=low,
            starts_at__lt=high,
        )
        .order_by()
        .values("organization_id")
        .annotate(n=Count("id"))
        .filter(n__gte=policy("meetings.regular_per_month", today))
        .values("organization_id")
    )


def not_met_cells(*, actor, org: Organization, today: dt.date) -> QuerySet[Organization]:
    """The cells under `org` that have not yet held this month's regular meetings."""
    return overview_cells(actor=actor, org=org).exclude(pk__in=_met_this_month(org, today))


@dataclass
class OverviewSummary:
    cells: int
    not_met: int


def overview_summary(*, actor, org: Organization, today: dt.date) -> OverviewSummary:
    """How many cells there are under `org` and how many have not met this month (two counting queries, the
    same figures as the rows of `overview`, whatever the number of cells)."""
    return OverviewSummary(
        cells=overview_cells(actor=actor, org=org).count(),
        not_met=not_met_cells(actor=actor, org=org, today=today).count(),
    )


def overview(*, actor, org: Organization, today: dt.date, cells=None) -> list[CellRow]:
    """For every active cell under `org` (or the given `cells`, e.g. one page of them): met this month? its
    latest held meeting's rate and flags.

    Three queries whatever the number of cells: the cells, this month's meetings, and the attendance counts of
    each cell's latest held meeting (grouped in the database)."""
    cells = list(overview_cells(actor=actor, org=org) if cells is None else cells)
    first, last = month_bounds(today.year, today.month)
    low, high = local_day_bounds(first, last)
    month_meetings = list(
        Meeting.objects.filter(
            organization_id__in=[c.pk for c in cells],
            kind=MeetingKind.REGULAR,
            starts_at__gte=low,
            starts_at__lt=high,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )
    by_cell: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in month_meetings:
        by_cell[meeting.organization_id].append(meeting)
    # The latest held meeting of each cell this month and its attendance, aggregated per meeting.
    held_ids = [m.pk for m in month_meetings if m.is_held]
    counts = {
        row["meeting_id"]: row
        for row in Attendance.objects.filter(meeting_id__in=held_ids, is_guest=False, counted=True)
        .values("meeting_id")
        .annotate(
            base=Count("id"),
            attended=Count("id", filter=Q(status__in=rules.ATTENDED_STATUSES)),
            unexcused=Count("id", filter=Q(status="ABSENT_UNEXCUSED")),
            last=Max("meeting_date"),
        )
    }
    # The month's requirement comes from the dated policy in force on `today` (Charter Art. 24).
    regular_needed = policy("meetings.regular_per_month", today)
    rows = []
    for cell in cells:
        meetings = by_cell.get(cell.pk, [])
        held = [m for m in meetings if m.is_held]
        last_meeting = held[-1] if held else None
        rate = None
        flags: list = []
        if last_meeting is not None and last_meeting.pk in counts:
            c = counts[last_meeting.pk]
            figures = rules.Figures.aggregated(
                base=c["base"], attended=c["attended"], unexcused=c["unexcused"]
            )
            rate = figures.rate
            flags = rules.attendance_flags(figures, on=today)
        rows.append(
            CellRow(
                cell=cell,
                met=sum(1 for m in held if m.kind == MeetingKind.REGULAR) >= regular_needed,
                meetings=len(meetings),
                planned=sum(1 for m in meetings if m.is_open),
                last_rate=rate,
                last_meeting=last_meeting,
                flags=flags,
            )
        )
    return rows


def committees_of(actor, perm: str = "meetings.overview") -> QuerySet[Organization]:
    """Grassroots committees (and higher) the actor may act on with `perm`."""
    return (
        Organization.objects.filter(permissions.scope_q(actor, perm), status=OrgStatus.ACTIVE)
        .exclude(kind__in=CELL_KINDS)
        .order_by("path")
    )


# ---- escalations, rotation, feed ---------------------------------------------------------------------------


def escalation_list(*, actor, status: str | None = None) -> QuerySet[Escalation]:
    """Escalations of cells in scope or sent to committees in scope."""
    qs = Escalation.objects.filter(
        permissions.scope_q(actor, "meetings.view", field="organization__path")
        | permissions.scope_q(actor, "meetings.view", field="committee__path")
    )
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("organization", "committee", "meeting", "answered_by").order_by(
        "status", "-created_at"
    )


def open_escalation_count(*, actor) -> int:
    return Escalation.objects.filter(
        permissions.scope_q(actor, "meetings.answer_escalation", field="committee__path"),
        status=EscalationStatus.OPEN,
    ).count()


def access_escalation(actor, pk, *, perm: str = "meetings.view") -> Escalation:
    try:
        escalation = Escalation.objects.select_related("organization", "committee", "meeting").get(pk=pk)
    except (Escalation.DoesNotExist, ValueError, TypeError):
        raise Http404
    path = escalation.committee.path if perm == "meetings.answer_escalation" else escalation.organization.path
    permissions.authorize(actor, perm, path)
    return escalation


def rotation_plan_list(*, actor) -> QuerySet[RotationPlan]:
    return (
        RotationPlan.objects.filter(permissions.scope_q(actor, "meetings.view", field="organization__path"))
        .select_related("organization")
        .annotate(visit_count=Count("visits"))
        .order_by("-starts_on", "id")
    )


def access_rotation_plan(actor, pk, *, perm: str = "meetings.view") -> RotationPlan:
    try:
        plan = RotationPlan.objects.select_related("organization").get(pk=pk)
    except (RotationPlan.DoesNotExist, ValueError, TypeError):
        raise Http404
    permissions.authorize(actor, perm, plan.organization.path)
    return plan


def rotation_visits(plan: RotationPlan) -> list:
    """The plan's visits with whether each was done (the leader's attendance PRESENT or LATE)."""
    visits = list(
        plan.visits.select_related("leader", "meeting__organization").order_by(
            "meeting__starts_at", "leader__name_sort"
        )
    )
    done = set(
        Attendance.objects.filter(
            meeting_id__in=[v.meeting_id for v in visits],
            member_id__in={v.leader_id for v in visits},
            status__in=("PRESENT", "LATE"),
        ).values_list("meeting_id", "member_id")
    )
    for visit in visits:
        visit.done = (visit.meeting_id, visit.leader_id) in done
    return visits


def meetings_for_user(user, *, since: dt.date) -> list[Meeting]:
    """Meetings a user should have in their calendar: their cell's, those they are invited to, their rotation
    visits, and for secretaries and staff the meetings they manage."""
    low, _high = local_day_bounds(since, since)
    query = Q(pk__in=[])
    if user.member_id:
        query |= Q(organization__members__pk=user.member_id)
        query |= Q(guests__member_id=user.member_id) | Q(rotation_visits__leader_id=user.member_id)
    paths = permissions.scope_paths(user, "meetings.manage")
    if paths is None:
        paths = []
    for path in paths:
        query |= Q(organization__path=path) | Q(organization__path__startswith=path + PATH_SEPARATOR)
    return list(
        Meeting.objects.filter(query, starts_at__gte=low)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("organization")
        .prefetch_related("agenda_items")
        .distinct()
        .order_by("starts_at")[:500]
    )
