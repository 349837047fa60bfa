"""Reads of the citizens app, always scoped by the actor: the inbox, a feedback item, the reporter's contact,
the public views by tracking code, reception compliance, and the aggregated transparency figures.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from coso.accounts import permissions
from coso.core import workdays
from coso.orgs.models import Organization

from . import policies
from .models import (
    OPEN_STATUSES,
    ActivityStatus,
    Attachment,
    Dialogue,
    DialogueKind,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    FeedbackUpdate,
    ReceptionDay,
    UpdateKind,
)
from .services import heads_of, level_of

S = FeedbackStatus
FEEDBACK_RELATED = ("category", "organization", "receiving_org", "area", "handler", "escalated_to")


def feedback_scope_q(actor, perm: str = "citizens.view") -> Q:
    """Items the actor's part of the tree received, handles, or had escalated to it."""
    return (
        permissions.scope_q(actor, perm, field="receiving_org__path")
        | permissions.scope_q(actor, perm, field="organization__path")
        | permissions.scope_q(actor, perm, field="escalated_to__path")
    )


def due_soon_limit(now: dt.datetime) -> dt.datetime:
    today = timezone.localtime(now).date()
    days = policies.policy("citizens.due_soon_working_days", today)
    return workdays.end_of_working_day(workdays.add_working_days(today, days))


def feedback_list(
    *, actor, filters: dict | None = None, now: dt.datetime | None = None
) -> QuerySet[Feedback]:
    """The staff inbox. Filters: box (all/overdue/due_soon/unassigned/mine/open/escalated), status, kind,
    category, org (an organization in scope: items it received or handles, subtree included), q (code or words).
    """
    filters = filters or {}
    now = now or timezone.now()
    items = Feedback.objects.filter(feedback_scope_q(actor)).select_related(*FEEDBACK_RELATED)
    box = filters.get("box") or "open"
    if box == "open":
        items = items.filter(status__in=OPEN_STATUSES)
    elif box == "overdue":
        items = items.filter(status__in=OPEN_STATUSES, deadline_at__lt=now)
    elif box == "due_soon":
        items = items.filter(
            status__in=OPEN_STATUSES, deadline_at__gte=now, deadline_at__lte=due_soon_limit(now)
        )
    elif box == "unassigned":
        items = items.filter(status__in=(FeedbackStatus.RECEIVED,))
    elif box == "mine":
        items = items.filter(status__in=OPEN_STATUSES, handler=actor if getattr(actor, "pk", None) else None)
    elif box == "escalated":
        items = items.filter(status__in=OPEN_STATUSES, escalated_at__isnull=False)
    if filters.get("status"):
        items = items.filter(status=filters["status"])
    if filters.get("kind"):
        items = items.filter(kind=filters["kind"])
    if filters.get("category"):
        items = items.filter(category=filters["category"])
    org = filters.get("org")
    if org is not None:
        items = items.filter(
            Q(receiving_org__path=org.path)
            | Q(organization__path=org.path)
            | Q(organization__path__startswith=org.path + ".")
            | Q(area__path=org.path)
            | Q(area__path__startswith=org.path + ".")
        )
    q = (filters.get("q") or "").strip()
    if q:
        items = items.filter(Q(code__iexact=q) | Q(code__iexact=q.replace(" ", "")) | Q(title__icontains=q))
    if box in ("open", "overdue", "due_soon", "mine", "escalated", "unassigned"):
        return items.order_by(F("deadline_at").asc(nulls_last=True), "id")
    return items.order_by("-received_at", "-id")


def inbox_counts(*, actor, now: dt.datetime | None = None) -> dict[str, int]:
    """The counts on the inbox tabs, in one aggregate query."""
    now = now or timezone.now()
    open_q = Q(status__in=OPEN_STATUSES)
    mine = Q(handler=actor) if getattr(actor, "pk", None) else Q(pk__in=[])
    return Feedback.objects.filter(feedback_scope_q(actor)).aggregate(
        open=Count("id", filter=open_q),
        overdue=Count("id", filter=open_q & Q(deadline_at__lt=now)),
        due_soon=Count("id", filter=open_q & Q(deadline_at__gte=now, deadline_at__lte=due_soon_limit(now))),
        unassigned=Count("id", filter=Q(status=FeedbackStatus.RECEIVED)),
        mine=Count("id", filter=open_q & mine),
        escalated=Count("id", filter=open_q & Q(escalated_at__isnull=False)),
    )


def access_feedback(actor, pk: int, *, perm: str = "citizens.view") -> Feedback:
    """The item when the actor's part of the tree received it, handles it or had it escalated to it (else 404).

    `perm` (e.g. "citizens.handle") is then checked on those same organizations: 403 when it fails.
    """
    feedback = (
        Feedback.objects.filter(feedback_scope_q(actor))
        .select_related(*FEEDBACK_RELATED)
        .filter(pk=pk)
        .first()
    )
    if feedback is None:
        raise Http404
    if perm != "citizens.view":
        paths = [o.path for o in (feedback.receiving_org, feedback.organization, feedback.escalated_to) if o]
        if not any(permissions.can(actor, perm, path) for path in paths):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
    return feedback


def can_view_contact(actor, feedback: Feedback) -> bool:
    """A hidden reporter (the category hides them; denunciations always do): only the receiving unit's own
    office and heads, through a grant on that unit itself. Staff and leaders of the levels above see the item
    through their subtree, but not who reported it. A reporter who is not hidden: also the handling organization
    and the levels above."""
    if feedback.category.hide_reporter or feedback.kind == FeedbackKind.DENUNCIATION:
        return permissions.can_here(actor, "citizens.view_contact", feedback.receiving_org_id)
    orgs = (feedback.receiving_org, feedback.organization)
    return any(permissions.can(actor, "citizens.view_contact", org.path) for org in orgs if org)


def feedback_actions(actor, feedback: Feedback) -> dict[str, bool]:
    """Which workflow buttons the actor sees (the services check again)."""
    from .services import TRANSITIONS

    status = feedback.status
    allowed = TRANSITIONS.get(status, set())
    receive = permissions.can(actor, "citizens.receive", feedback.receiving_org.path)
    handle = receive or (
        feedback.organization is not None
        and permissions.can(actor, "citizens.handle", feedback.organization.path)
    )
    return {
        "assign": receive and status in (S.RECEIVED, S.REOPENED),
        "reassign": handle and S.ASSIGNED in allowed and status != S.RECEIVED,
        "start": handle and S.IN_PROGRESS in allowed and feedback.organization is not None,
        "answer": handle and S.ANSWERED in allowed,
        "transfer": handle and S.TRANSFERRED in allowed,
        "reject": receive and S.REJECTED in allowed,
        "close": handle and S.CLOSED in allowed,
        "extend": handle
        and status in (S.ASSIGNED, S.IN_PROGRESS, S.REOPENED)
        and feedback.kind in (FeedbackKind.COMPLAINT, FeedbackKind.DENUNCIATION),
        "note": handle and status not in (S.CLOSED, S.TRANSFERRED, S.REJECTED),
    }


def feedback_updates(feedback: Feedback, *, public_only: bool) -> list[FeedbackUpdate]:
    updates = feedback.updates.select_related("actor", "organization").prefetch_related("attachments")
    if public_only:
        updates = updates.filter(public=True)
    return list(updates)


def feedback_attachments(feedback: Feedback, *, public_only: bool) -> list[Attachment]:
    rows = feedback.attachments.filter(update__isnull=True)
    if public_only:
        rows = rows.filter(public=True)
    return list(rows)


# ---------------------------------------------------------------------------------------------------- public


def public_feedback_get(code: str) -> Feedback:
    """An item by its tracking code (the code is the citizen's key; denunciations are found but show no content)."""
    from .services import normalize_code

    code = normalize_code(code)
    feedback = (
        Feedback.objects.select_related("category", "organization", "area").filter(code=code).first()
        if code
        else None
    )
    if feedback is None:
        raise Http404
    return feedback


def public_feedback_exists(code: str) -> bool:
    return Feedback.objects.filter(code=code).exists()


def public_feedback_by_public_id(public_id: str) -> Feedback | None:
    """An item by its published id (Open311): public categories only, never denunciations."""
    return public_feedback_list().filter(public_id=public_id).first()


def is_citizens_file(attachment: Attachment) -> bool:
    """Sent by the citizen (with the report or when reporting again), as opposed to an answer's evidence."""
    return attachment.update_id is None or attachment.update.kind == UpdateKind.REOPENED


def public_feedback_list() -> QuerySet[Feedback]:
    """Items anyone may read (Open311): public categories, never denunciations."""
    return (
        Feedback.objects.filter(category__public=True)
        .exclude(kind=FeedbackKind.DENUNCIATION)
        .select_related("category", "organization", "area")
    )


def communes() -> QuerySet[Organization]:
    """Organizations that receive citizens' feedback and have a transparency page."""
    from coso.orgs.models import GRASSROOTS_KINDS, OrgStatus

    return Organization.objects.filter(
        kind__in=GRASSROOTS_KINDS, residential=True, status=OrgStatus.ACTIVE
    ).order_by("name_sort")


@dataclass
class MonthFigures:
    month: dt.date
    received: int
    answered: int
    on_time: int
    avg_days: float | None
    rated: int
    satisfaction: float | None

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None


def transparency(org: Organization, *, months: int = 6, today: dt.date | None = None) -> dict:
    """Aggregates for a commune's public page: by month of receipt and by category. No personal data."""
    today = today or timezone.localdate()
    first = dt.date(today.year, today.month, 1)
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    items = Feedback.objects.filter(
        Q(receiving_org=org) | Q(receiving_org__path__startswith=org.path + "."), received_at__gte=start
    ).exclude(kind=FeedbackKind.DENUNCIATION)
    answered_q = Q(answered_at__isnull=False)
    on_time_q = answered_q & Q(answered_at__lte=F("deadline_at"))
    aggregates = {
        "received": Count("id"),
        "answered": Count("id", filter=answered_q),
        "on_time": Count("id", filter=on_time_q),
        "rated": Count("id", filter=Q(rating__isnull=False)),
        "satisfaction": Avg("rating"),
        "avg_duration": Avg(F("answered_at") - F("received_at"), filter=answered_q),
    }
    by_month_rows = {
        timezone.localtime(row["month"]).date().replace(day=1)
        if isinstance(row["month"], dt.datetime)
        else row["month"]: row
        for row in items.annotate(month=TruncMonth("received_at")).values("month").annotate(**aggregates)
    }
    by_month = []
    cursor = first
    while cursor <= today:
        row = by_month_rows.get(cursor, {})
        by_month.append(_figures(cursor, row))
        cursor = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    by_category = [
        (row["category__name"], _figures(None, row))
        for row in items.values("category__name").annotate(**aggregates).order_by("category__name")
    ]
    total = _figures(None, items.aggregate(**aggregates))
    return {"by_month": by_month, "by_category": by_category, "total": total, "since": first}


def _figures(month, row) -> MonthFigures:
    duration = row.get("avg_duration")
    if isinstance(duration, (int, float)):  # some backends answer microseconds
        duration = dt.timedelta(microseconds=duration)
    return MonthFigures(
        month=month,
        received=row.get("received") or 0,
        answered=row.get("answered") or 0,
        on_time=row.get("on_time") or 0,
        avg_days=round(duration.total_seconds() / 86400, 1) if duration else None,
        rated=row.get("rated") or 0,
        satisfaction=round(row["satisfaction"], 1) if row.get("satisfaction") is not None else None,
    )


def digest_counts(org: Organization, *, now: dt.datetime) -> dict[str, int]:
    week_ago = now - dt.timedelta(days=7)
    scope = Q(receiving_org__path=org.path) | Q(receiving_org__path__startswith=org.path + ".")
    scope |= Q(organization__path=org.path) | Q(organization__path__startswith=org.path + ".")
    open_q = Q(status__in=OPEN_STATUSES)
    return Feedback.objects.filter(scope).aggregate(
        received=Count("id", filter=Q(received_at__gte=week_ago)),
        answered=Count("id", filter=Q(answered_at__gte=week_ago)),
        open=Count("id", filter=open_q),
        overdue=Count("id", filter=open_q & Q(deadline_at__lt=now)),
        unassigned=Count("id", filter=Q(status=FeedbackStatus.RECEIVED)),
    )


# ---------------------------------------------------------------------------------------------------- reception


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def required_reception_days(org: Organization, month: dt.date) -> int:
    level = level_of(org)
    if level is None:
        return 0
    return policies.policy(f"citizens.reception_days.{level}", month_bounds(month)[1])


@dataclass
class Compliance:
    organization: Organization
    head: object
    required: int
    held: int
    planned: int
    days: list

    @property
    def short(self) -> bool:
        return self.held < self.required

    @property
    def on_track(self) -> bool:
        return self.held + self.planned >= self.required


def reception_compliance(*, actor, month: dt.date) -> list[Compliance]:
    """For every committee in the actor's scope that must hold reception days: the head, days held and planned
    this month against the rule in force (three queries whatever the size of the tree)."""
    from coso.orgs.models import GRASSROOTS_KINDS, OrgKind, OrgStatus, Position, PositionTitle

    first, last = month_bounds(month)
    orgs = list(
        Organization.objects.filter(
            permissions.scope_q(actor, "citizens.view"),
            status=OrgStatus.ACTIVE,
            kind__in=(*GRASSROOTS_KINDS, OrgKind.PROVINCIAL, OrgKind.DISTRICT),
        ).order_by("path")
    )
    ids = [o.pk for o in orgs]
    seats = (
        Position.objects.filter(
            committee__organization_id__in=ids, title=PositionTitle.SECRETARY, starts_on__lte=last
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .select_related("member", "committee")
        .order_by("-starts_on")
    )
    head_of: dict[int, object] = {}
    for seat in seats:
        head_of.setdefault(seat.committee.organization_id, seat.member)
    days: dict[int, list] = {}
    for day in (
        ReceptionDay.objects.filter(organization_id__in=ids, date__gte=first, date__lte=last)
        .select_related("head")
        .order_by("date")
    ):
        days.setdefault(day.organization_id, []).append(day)
    result = []
    for org in orgs:
        required = required_reception_days(org, month)
        rows = days.get(org.pk, [])
        if not required and not rows:
            continue
        result.append(
            Compliance(
                organization=org,
                head=head_of.get(org.pk),
                required=required,
                held=sum(1 for d in rows if d.status == "HELD"),
                planned=sum(1 for d in rows if d.status == "PLANNED"),
                days=rows,
            )
        )
    return result


def reception_calendar(*, org: Organization, month: dt.date) -> dict:
    """A month grid (weeks of 7 cells, Monday first) with the reception days, holidays and the compliance."""
    first, last = month_bounds(month)
    days = list(
        ReceptionDay.objects.filter(organization=org, date__gte=first, date__lte=last).select_related("head")
    )
    by_date: dict[dt.date, list] = {}
    for day in days:
        by_date.setdefault(day.date, []).append(day)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {
                    "date": d,
                    "in_month": d.month == first.month,
                    "working": workdays.is_working_day(d),
                    "holiday": workdays.holiday_name(d),
                    "receptions": by_date.get(d, []),
                }
                for d in week
            ]
        )
    required = required_reception_days(org, month)
    held = sum(1 for d in days if d.status == "HELD")
    planned = sum(1 for d in days if d.status == "PLANNED")
    rule = policies.policy_record(f"citizens.reception_days.{level_of(org)}", last) if level_of(org) else None
    return {
        "weeks": weeks,
        "days": days,
        "required": required,
        "held": held,
        "planned": planned,
        "short": held < required,
        "rule": rule,
        "heads": list(heads_of(org, last)),
    }


def reception_list(*, actor, org: Organization | None = None) -> QuerySet[ReceptionDay]:
    rows = ReceptionDay.objects.filter(
        permissions.scope_q(actor, "citizens.view", field="organization__path")
    )
    if org is not None:
        rows = rows.filter(organization=org)
    return rows.select_related("organization", "head")


def access_reception_day(actor, pk: int, *, perm: str = "citizens.view") -> ReceptionDay:
    item = ReceptionDay.objects.select_related("organization", "head").filter(pk=pk).first()
    if item is None:
        raise Http404
    permissions.authorize(actor, perm, item.organization.path)
    return item


def dialogue_list(*, actor, filters: dict | None = None) -> QuerySet[Dialogue]:
    filters = filters or {}
    rows = Dialogue.objects.filter(permissions.scope_q(actor, "citizens.view", field="organization__path"))
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("org") is not None:
        org = filters["org"]
        rows = rows.filter(Q(organization__path=org.path) | Q(organization__path__startswith=org.path + "."))
    return (
        rows.select_related("organization", "chaired_by")
        .annotate(feedback_count=Count("feedback"))
        .order_by("-date", "-id")
    )


def access_dialogue(actor, pk: int, *, perm: str = "citizens.view") -> Dialogue:
    item = Dialogue.objects.select_related("organization", "chaired_by").filter(pk=pk).first()
    if item is None:
        raise Http404
    permissions.authorize(actor, perm, item.organization.path)
    return item


# ---------------------------------------------------------------------------------------------------- announced


PUBLIC_DIALOGUE_KINDS = (DialogueKind.CITIZENS, DialogueKind.FORUM, DialogueKind.DOOR_TO_DOOR)


def public_reception_days(
    *, commune: Organization | None = None, today: dt.date | None = None, days: int = 62
):
    """The planned reception days of the coming weeks (who receives, when, where), for the public calendar."""
    today = today or timezone.localdate()
    rows = ReceptionDay.objects.filter(
        status=ActivityStatus.PLANNED, date__gte=today, date__lte=today + dt.timedelta(days=days)
    ).select_related("organization", "head")
    if commune is not None:
        rows = rows.filter(Q(organization=commune) | Q(organization__path__startswith=commune.path + "."))
    return rows.order_by("date", "id")


def public_dialogues(*, commune: Organization | None = None, today: dt.date | None = None):
    """Announced dialogues and forums with citizens (not the internal ones with cadres and members)."""
    today = today or timezone.localdate()
    rows = Dialogue.objects.filter(
        status=ActivityStatus.PLANNED, date__gte=today, kind__in=PUBLIC_DIALOGUE_KINDS
    ).select_related("organization", "chaired_by")
    if commune is not None:
        rows = rows.filter(Q(organization=commune) | Q(organization__path__startswith=commune.path + "."))
    return rows.order_by("date", "id")[:100]
