"""Home-page and member-page sections of the meetings app (the handbook). Each costs at most three queries,
whatever the size of the user's part of the tree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from coso.accounts import permissions
from coso.accounts.models import Role
from coso.core.panels import Panel
from coso.orgs.models import CELL_KINDS, Organization

from . import rules, selectors
from .models import HELD_STATUSES, Attendance, Meeting, MeetingStatus

UPCOMING = 3
SHOWN = 10


def _cell_grants(user, role: str) -> list[int]:
    return [g.organization_id for g in permissions.grants_of(user) if g.role == role]


def member_upcoming(request, today: dt.date) -> list[Panel]:
    """A member's next meetings (their cell's and those they are invited to) with agenda and documents."""
    user = request.user
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return []
    low, _high = selectors.local_day_bounds(today, today)
    meetings = list(
        Meeting.objects.filter(
            Q(organization__members__pk=member_id) | Q(guests__member_id=member_id),
            status=MeetingStatus.PUBLISHED,
            starts_at__gte=low,
        )
        .select_related("organization")
        .prefetch_related("agenda_items", "documents")
        .distinct()
        .order_by("starts_at")[:UPCOMING]
    )
    return [Panel(template="meetings/_panel_upcoming.html", context={"meetings": meetings}, order=10)]


def member_attendance(request, today: dt.date) -> list[Panel]:
    user = request.user
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return []
    rows = list(
        Attendance.objects.filter(
            member_id=member_id,
            is_guest=False,
            meeting_date__year=today.year,
            meeting__status__in=HELD_STATUSES,
        )
        .order_by("meeting_date", "meeting_id")
        .values_list("meeting_date", "status", "counted")
    )
    year = rules.member_year([(d, s) for d, s, counted in rows if counted], year=today.year)
    return [
        Panel(
            template="meetings/_panel_my_attendance.html",
            context={"year": year, "today": today, "recent": list(reversed(rows))[:6]},
            order=30,
            slot="side",
        )
    ]


def secretary_month(request, today: dt.date) -> list[Panel]:
    """The cell secretary's month: meeting status, attendance to take, members with flags."""
    cell_ids = _cell_grants(request.user, Role.CELL_SECRETARY)
    if not cell_ids:
        return []
    first, last = selectors.month_bounds(today.year, today.month)
    low, high = selectors.local_day_bounds(first, last)
    cells = list(Organization.objects.filter(pk__in=cell_ids, kind__in=CELL_KINDS).order_by("path")[:SHOWN])
    meetings = list(
        Meeting.objects.filter(organization_id__in=cell_ids, starts_at__gte=low, starts_at__lt=high)
        .exclude(status=MeetingStatus.CANCELLED)
        .annotate(
            unmarked=Count("attendances", filter=Q(attendances__status="", attendances__is_guest=False)),
            listed=Count("attendances"),
        )
        .order_by("starts_at")
    )
    by_cell: dict[int, list] = {}
    for meeting in meetings:
        meeting.to_take = meeting.status == MeetingStatus.HELD and (meeting.unmarked or not meeting.listed)
        meeting.to_take = meeting.to_take or (
            meeting.is_open and timezone.localtime(meeting.starts_at).date() == today
        )
        by_cell.setdefault(meeting.organization_id, []).append(meeting)
    flagged = _flagged(cell_ids, year=today.year)
    rows = [(cell, by_cell.get(cell.pk, [])) for cell in cells]
    return [
        Panel(
            template="meetings/_panel_secretary.html",
            context={"rows": rows, "flagged": flagged[:SHOWN], "more_flagged": max(0, len(flagged) - SHOWN)},
            order=8,
        )
    ]


def _flagged(cell_ids: list[int], *, year: int) -> list:
    """Members of these cells with an attendance flag this year: two queries."""
    from coso.members.models import Member

    rows = (
        Attendance.objects.filter(
            meeting__organization_id__in=cell_ids,
            is_guest=False,
            counted=True,
            meeting_date__year=year,
            meeting__status__in=HELD_STATUSES,
        )
        .order_by("meeting_date", "meeting_id")
        .values_list("member_id", "meeting_date", "status")
    )
    by_member: dict[int, list] = {}
    for member_id, date, status in rows:
        by_member.setdefault(member_id, []).append((date, status))
    results = {pk: rules.member_year(items, year=year) for pk, items in by_member.items()}
    flagged = {pk: r for pk, r in results.items() if r.flags}
    if not flagged:
        return []
    return [(m, flagged[m.pk]) for m in Member.objects.filter(pk__in=flagged).order_by("name_sort")]


def committee_not_met(request, today: dt.date) -> list[Panel]:
    """For committee staff and leaders: the cells that have not met this month."""
    user = request.user
    paths = permissions.scope_paths(user, "meetings.overview")
    if paths is not None and not paths:
        return []
    org = (
        Organization.objects.filter(path=min(paths, key=lambda p: (p.count("."), p))).first()
        if paths
        else Organization.objects.filter(parent=None).order_by("path").first()
    )
    if org is None or org.kind in CELL_KINDS:
        return []
    summary = selectors.overview_summary(actor=user, org=org, today=today)
    shown = selectors.not_met_cells(actor=user, org=org, today=today)[:SHOWN]
    return [
        Panel(
            template="meetings/_panel_committee.html",
            context={
                "organization": org,
                "total": summary.cells,
                "not_met": selectors.overview(actor=user, org=org, today=today, cells=shown),
                "count": summary.not_met,
            },
            order=12,
        )
    ]


def home_panels(request, today: dt.date) -> list[Panel]:
    if not request.user.is_authenticated:
        return []
    result: list[Panel] = []
    for provider in (member_upcoming, member_attendance, secretary_month, committee_not_met):
        result.extend(provider(request, today))
    return result


def member_panels(request, today: dt.date, member) -> list[Panel]:
    """On a member's record: their attendance this year and the count toward the 3-month rule."""
    year = selectors.member_year(member, year=today.year)
    from .policies import policy_record

    return [
        Panel(
            template="meetings/_panel_member_record.html",
            context={
                "year": year,
                "today": today,
                "removal": policy_record("meetings.removal_absent_months", today),
            },
            order=40,
        )
    ]
