"""Planning a meeting: schedule, re-plan, send the notice, cancel, start, plan the year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.core.patching import changed_values, refuse_unwritable
from coso.members.models import CURRENT_STATUSES, Member
from coso.orgs.models import Organization

from .. import rules, selectors
from ..models import AgendaItem, Attendance, Meeting, MeetingKind, MeetingStatus
from ._common import _full_clean, _local_date, _transition, _user
from .attendance import attendance_prepare

MEETING_FIELDS = (
    "kind",
    "combined_thematic",
    "title",
    "topic",
    "starts_at",
    "duration_minutes",
    "place",
    "chair",
    "minute_taker",
)


def meeting_warnings(meeting: Meeting, *, now: dt.datetime | None = None) -> list:
    """What the secretary should know before sending the notice (never blocking)."""
    warnings = []
    on = _local_date(meeting.starts_at)
    duration = rules.duration_warning(
        kind=meeting.kind, combined=meeting.combined_thematic, minutes=meeting.duration_minutes, on=on
    )
    if duration:
        warnings.append(duration)
    if meeting.is_open:
        sent_at = meeting.published_at or now or timezone.now()
        notice = rules.notice_warning(starts_at=meeting.starts_at, sent_at=sent_at)
        if notice:
            warnings.append(notice)
    return warnings


def _default_title(kind: str, starts_at: dt.datetime) -> str:
    """The stored title when none is given: data, so in the site's language whoever or whatever creates it
    (a page in English, the command line, a scheduled job run with translations off)."""
    local = timezone.localtime(starts_at)
    with translation.override(settings.LANGUAGE_CODE):
        return _default_title_label(kind).format(month=local.month, year=local.year)


def _default_title_label(kind: str) -> str:
    labels = {
        MeetingKind.REGULAR: _("Regular meeting, {month:02d}/{year}"),
        MeetingKind.THEMATIC: _("Thematic meeting, {month:02d}/{year}"),
        MeetingKind.STUDY: _("Study session, {month:02d}/{year}"),
        MeetingKind.CELL_COMMITTEE: _("Cell committee meeting, {month:02d}/{year}"),
    }
    return labels[kind]


def _check_member_of(org: Organization, member: Member | None, field: str, errors: dict) -> None:
    if member is not None and member.organization_id != org.pk:
        errors.setdefault(field, []).append(_("Choose a member of this cell."))


def meeting_schedule(
    *,
    actor,
    organization: Organization,
    kind: str = MeetingKind.REGULAR,
    starts_at: dt.datetime,
    title: str = "",
    topic: str = "",
    duration_minutes: int | None = None,
    place: str = "",
    chair: Member | None = None,
    minute_taker: Member | None = None,
    combined_thematic: bool = False,
    agenda: Sequence[str] = (),
) -> Meeting:
    """Plan a meeting of `organization` (status PLANNED). Needs meetings.manage on the organization."""
    permissions.authorize(actor, "meetings.manage", organization.path)
    if not organization.is_active:
        raise RuleViolation(
            _("The organization is no longer active."),
            fields={"organization": [_("The organization is no longer active.")]},
        )
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    errors: dict = {}
    _check_member_of(organization, chair, "chair", errors)
    _check_member_of(organization, minute_taker, "minute_taker", errors)
    if combined_thematic and kind != MeetingKind.REGULAR:
        errors.setdefault("combined_thematic", []).append(
            _("Only a regular meeting can be combined with a thematic one.")
        )
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
    if duration_minutes is None:
        duration_minutes = (
            rules.min_duration(kind=kind, combined=combined_thematic, on=_local_date(starts_at)) or 90
        )
    meeting = Meeting(
        organization=organization,
        kind=kind,
        combined_thematic=combined_thematic,
        title=(title or "").strip() or _default_title(kind, starts_at),
        topic=topic or "",
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place or "",
        chair=chair,
        minute_taker=minute_taker,
        created_by=_user(actor),
    )
    _full_clean(meeting, exclude=["organization", "chair", "minute_taker", "created_by"])
    with transaction.atomic():
        stamp(meeting, actor).save()
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, order=i, title=text)
                for i, text in enumerate(agenda, start=1)
                if text
            ]
        )
    return meeting


def meeting_update(*, actor, meeting: Meeting, data: dict, expected_version: int | None) -> Meeting:
    """Change the plan of a meeting not yet held; a stale version is a conflict."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    # Status, organization and the record of the meeting change through their own actions, not here.
    refuse_unwritable(data, MEETING_FIELDS)
    if data.get("starts_at") is not None and timezone.is_naive(data["starts_at"]):
        data = {**data, "starts_at": timezone.make_aware(data["starts_at"])}
    if "title" in data and not (data["title"] or "").strip():
        data = {**data, "title": meeting.title}
    # Sending a held meeting back with the values it has is not re-planning it.
    if not meeting.is_open and set(changed_values(meeting, data)) - {"topic", "place"}:
        raise RuleViolation(
            _("A meeting that has been held or cancelled cannot be re-planned."), code="locked"
        )
    errors: dict = {}
    _check_member_of(meeting.organization, data.get("chair"), "chair", errors)
    _check_member_of(meeting.organization, data.get("minute_taker"), "minute_taker", errors)
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
    with transaction.atomic():
        for name in MEETING_FIELDS:
            if name in data:
                value = data[name]
                if name == "starts_at" and timezone.is_naive(value):
                    value = timezone.make_aware(value)
                setattr(
                    meeting, name, value if value is not None or name in ("chair", "minute_taker") else ""
                )
        if meeting.combined_thematic and meeting.kind != MeetingKind.REGULAR:
            meeting.combined_thematic = False
        _full_clean(meeting, exclude=["organization", "chair", "minute_taker", "created_by"])
        save_versioned(meeting, expected_version=expected_version, actor=actor, skip_unchanged=True)
        if "starts_at" in data:
            Attendance.objects.filter(meeting=meeting).update(meeting_date=_local_date(meeting.starts_at))
    return meeting


def meeting_recipients(meeting: Meeting) -> list:
    """Users of the cell's current members and of the guests who are members."""
    from coso.accounts.models import User

    guest_members = meeting.guests.exclude(member=None).values("member_id")
    return list(
        User.objects.filter(is_active=True).filter(
            Q(member__organization=meeting.organization, member__status__in=CURRENT_STATUSES)
            | Q(member_id__in=guest_members)
        )
    )


def _notice_body(meeting: Meeting):
    local = timezone.localtime(meeting.starts_at)
    agenda = "\n".join(f"{item.order}. {item.title}" for item in meeting.agenda_items.all())
    documents = "\n".join(f"- {doc.title}" for doc in meeting.documents.all())
    return format_lazy(
        gettext_lazy("{title}\nTime: {time}\nPlace: {place}\n\nAgenda:\n{agenda}\n\nDocuments:\n{documents}"),
        title=meeting.title,
        time=local.strftime("%H:%M %d/%m/%Y"),
        place=meeting.place or "-",
        agenda=agenda or "-",
        documents=documents or "-",
    )


def meeting_publish(*, actor, meeting: Meeting, expected_version: int | None = None, now=None) -> list:
    """Send the notice to the cell's members and the guests (in the app and by e-mail). Returns the warnings
    (late notice, short duration): publishing is never blocked by them."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    now = now or timezone.now()
    with transaction.atomic():
        _transition(meeting, MeetingStatus.PUBLISHED, actor)
        meeting.published_at = now
        save_versioned(meeting, expected_version=expected_version, actor=actor)
        warnings = meeting_warnings(meeting)
        from coso.notifications.services import notify

        local = timezone.localtime(meeting.starts_at)
        notify(
            recipients=meeting_recipients(meeting),
            kind="meetings.published",
            title=format_lazy(
                gettext_lazy("Meeting notice: {title}, {time}"),
                title=meeting.title,
                time=local.strftime("%H:%M %d/%m/%Y"),
            ),
            body=_notice_body(meeting),
            url=reverse("meetings:detail", args=[meeting.pk]),
            email=True,
            dedupe_key=f"meetings.published:{meeting.pk}",
        )
        emails = [g.email for g in meeting.guests.filter(member=None).exclude(email="")]
        if emails:
            subject = str(
                format_lazy(
                    gettext_lazy("Meeting notice: {title}, {time}"),
                    title=meeting.title,
                    time=local.strftime("%H:%M %d/%m/%Y"),
                )
            )
            body = str(_notice_body(meeting))
            transaction.on_commit(lambda: _mail_guests(subject, body, emails))
    return warnings


def _mail_guests(subject: str, body: str, emails: list[str]) -> None:
    from django.core.mail import send_mail

    send_mail(subject, body, None, emails, fail_silently=True)


def meeting_cancel(
    *, actor, meeting: Meeting, reason: str = "", expected_version: int | None = None
) -> Meeting:
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    with transaction.atomic():
        was_published = meeting.status == MeetingStatus.PUBLISHED
        _transition(meeting, MeetingStatus.CANCELLED, actor)
        meeting.cancelled_reason = (reason or "")[:255]
        save_versioned(meeting, expected_version=expected_version, actor=actor)
        if was_published:
            from coso.notifications.services import notify

            notify(
                recipients=meeting_recipients(meeting),
                kind="meetings.cancelled",
                title=format_lazy(gettext_lazy("Meeting cancelled: {title}"), title=meeting.title),
                body=meeting.cancelled_reason,
                url=reverse("meetings:detail", args=[meeting.pk]),
                dedupe_key=f"meetings.cancelled:{meeting.pk}",
            )
    return meeting


def meeting_mark_held(
    *, actor, meeting: Meeting, expected_version: int | None = None, today: dt.date | None = None
) -> Meeting:
    """The meeting starts: attendance can be taken. Not before its day: a meeting moved earlier is edited first,
    so that the month it counts for and the notice the members got stay true."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    today = today or timezone.localdate()
    if _local_date(meeting.starts_at) > today:
        raise RuleViolation(
            format_lazy(
                gettext_lazy("This meeting is planned for {day}: it cannot start before that day."),
                day=f"{_local_date(meeting.starts_at):%d/%m/%Y}",
            ),
            code="too_early",
        )
    with transaction.atomic():
        _transition(meeting, MeetingStatus.HELD, actor)
        save_versioned(meeting, expected_version=expected_version, actor=actor)
        attendance_prepare(meeting=meeting)
    return meeting


def meeting_plan_year(
    *,
    actor,
    organization: Organization,
    year: int,
    day: int,
    time: dt.time,
    place: str = "",
    duration_minutes: int | None = None,
    chair: Member | None = None,
    minute_taker: Member | None = None,
) -> list[Meeting]:
    """Plan the year's twelve regular meetings in one step, on `day` of each month (the month's last day when
    shorter). Months that already have a regular meeting are left as they are."""
    permissions.authorize(actor, "meetings.manage", organization.path)
    if not 1 <= day <= 31:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"day": [_("Choose a day from 1 to 31.")]}
        )
    if not 1930 <= year <= 2200:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"year": [_("Choose a year from 1930 to 2200.")]}
        )
    # A time sent with an offset ("08:00+07:00") is the local clock time all the same.
    time = time.replace(tzinfo=None)
    low, high = selectors.local_day_bounds(dt.date(year, 1, 1), dt.date(year, 12, 31))
    taken = {
        timezone.localtime(starts_at).month
        for starts_at in Meeting.objects.filter(
            organization=organization, kind=MeetingKind.REGULAR, starts_at__gte=low, starts_at__lt=high
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .values_list("starts_at", flat=True)
    }
    created = []
    with transaction.atomic():
        for month in range(1, 13):
            if month in taken:
                continue
            _first, last = selectors.month_bounds(year, month)
            date = dt.date(year, month, min(day, last.day))
            starts_at = timezone.make_aware(dt.datetime.combine(date, time))
            created.append(
                meeting_schedule(
                    actor=actor,
                    organization=organization,
                    kind=MeetingKind.REGULAR,
                    starts_at=starts_at,
                    place=place,
                    duration_minutes=duration_minutes,
                    chair=chair,
                    minute_taker=minute_taker,
                )
            )
    return created
