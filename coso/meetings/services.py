"""Writes of the meetings app. Every function checks the actor's permission through accounts.permissions, runs in
one transaction and sends notices after commit.

The study app schedules its study sessions with `meeting_schedule(kind=MeetingKind.STUDY, ...)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
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
from coso.members.models import CURRENT_STATUSES, Member, MemberStatus
from coso.orgs.models import Organization

from . import rules, selectors
from .models import (
    TRANSITIONS,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CalendarToken,
    Escalation,
    EscalationStatus,
    Meeting,
    MeetingDocument,
    MeetingGuest,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Resolution,
    ResolutionKind,
    RotationPlan,
    RotationStatus,
    RotationVisit,
    SeasonalTopic,
)

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


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise RuleViolation(_("Please correct the errors below."), fields=fields, code="invalid")


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


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


def _transition(meeting: Meeting, status: str, actor) -> None:
    if status not in TRANSITIONS[meeting.status]:
        raise RuleViolation(
            format_lazy(
                gettext_lazy("A meeting that is “{current}” cannot become “{target}”."),
                current=meeting.get_status_display(),
                target=MeetingStatus(status).label,
            ),
            code="transition",
        )
    meeting.status = status


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


# ---- agenda, guests, documents ---------------------------------------------------------------------------


def _check_open(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.MINUTES_APPROVED, MeetingStatus.CANCELLED):
        raise RuleViolation(_("This meeting is closed: its record can no longer change."), code="locked")


def agenda_set(*, actor, meeting: Meeting, items: Iterable[dict]) -> list[AgendaItem]:
    """Replace the agenda: items are {"title", "presenter" (Member or None), "duration_minutes"} in order."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    _check_open(meeting)
    rows = []
    for i, item in enumerate(items, start=1):
        title = (item.get("title") or "").strip()
        if not title:
            continue
        rows.append(
            AgendaItem(
                meeting=meeting,
                order=i,
                title=title[:255],
                presenter=item.get("presenter"),
                duration_minutes=item.get("duration_minutes") or None,
            )
        )
    with transaction.atomic():
        meeting.agenda_items.all().delete()
        AgendaItem.objects.bulk_create(rows)
        stamp(meeting, actor)
    return rows


def agenda_item_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    presenter: Member | None = None,
    duration_minutes: int | None = None,
) -> AgendaItem:
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    _check_open(meeting)
    title = (title or "").strip()
    if not title:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"title": [_("This field is required.")]}
        )
    last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        title=title[:255],
        presenter=presenter,
        duration_minutes=duration_minutes,
    )
    stamp(item, actor).save()
    return item


def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    permissions.authorize(actor, "meetings.manage", item.meeting.organization.path)
    _check_open(item.meeting)
    item.delete()


def guest_add(
    *, actor, meeting: Meeting, member: Member | None = None, name: str = "", role: str = "", email: str = ""
) -> MeetingGuest:
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    _check_open(meeting)
    if member is None and not (name or "").strip():
        raise RuleViolation(
            _("Please correct the errors below."), fields={"name": [_("Choose a member or type a name.")]}
        )
    guest = MeetingGuest(
        meeting=meeting, member=member, name=(name or "").strip(), role=role or "", email=email or ""
    )
    _full_clean(guest, exclude=["meeting", "member"])
    guest.save()
    return guest


def guest_remove(*, actor, guest: MeetingGuest) -> None:
    permissions.authorize(actor, "meetings.manage", guest.meeting.organization.path)
    _check_open(guest.meeting)
    guest.delete()


def document_add(*, actor, meeting: Meeting, title: str, file=None, link: str = "") -> MeetingDocument:
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    _check_open(meeting)
    if not file and not (link or "").strip():
        raise RuleViolation(
            _("Please correct the errors below."), fields={"file": [_("Attach a file or give a link.")]}
        )
    document = MeetingDocument(
        meeting=meeting,
        title=(title or "").strip() or getattr(file, "name", "") or link,
        link=link or "",
        uploaded_by=_user(actor),
    )
    if file:
        document.file = file
    _full_clean(document, exclude=["meeting", "uploaded_by"])
    document.save()
    return document


def document_remove(*, actor, document: MeetingDocument) -> None:
    permissions.authorize(actor, "meetings.manage", document.meeting.organization.path)
    _check_open(document.meeting)
    if document.file:
        document.file.delete(save=False)
    document.delete()


# ---- attendance ------------------------------------------------------------------------------------------


def attendance_prepare(*, meeting: Meeting) -> int:
    """List the cell's current members on the meeting (once): exempted members apart, not counted."""
    on = _local_date(meeting.starts_at)
    existing = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    members = Member.objects.filter(organization=meeting.organization, status__in=CURRENT_STATUSES).exclude(
        pk__in=existing
    )
    rows = [
        Attendance(
            meeting=meeting,
            member=member,
            meeting_date=on,
            exempted=member.status == MemberStatus.EXEMPT,
            counted=rules.counts_in_rate(status=member.status, exempted=False, on=on),
        )
        for member in members.only("id", "status")
    ]
    Attendance.objects.bulk_create(rows)
    return len(rows)


def attendance_record(
    *, actor, meeting: Meeting, member: Member, status: str, reason: str = "", now=None
) -> Attendance:
    """Record one tap of the attendance screen. A leader visiting the cell (not a member) is a guest row."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    if meeting.status in (MeetingStatus.MINUTES_APPROVED, MeetingStatus.CANCELLED):
        raise RuleViolation(_("This meeting is closed: its record can no longer change."), code="locked")
    if status and status not in AttendanceStatus.values:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"status": [_("Unknown attendance.")]}
        )
    if status == AttendanceStatus.ABSENT_EXCUSED and not (reason or "").strip():
        reason = ""  # the reason may be typed afterwards; an excused absence is what the secretary says it is
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
        if row is None:
            is_guest = member.organization_id != meeting.organization_id
            on = _local_date(meeting.starts_at)
            row = Attendance(
                meeting=meeting,
                member=member,
                meeting_date=on,
                is_guest=is_guest,
                exempted=member.status == MemberStatus.EXEMPT,
                counted=not is_guest and rules.counts_in_rate(status=member.status, exempted=False, on=on),
            )
        row.status = status
        row.reason = (
            (reason or "").strip()[:255]
            if status
            in (
                AttendanceStatus.ABSENT_EXCUSED,
                AttendanceStatus.ABSENT_UNEXCUSED,
                AttendanceStatus.LATE,
                AttendanceStatus.LEFT_EARLY,
            )
            else ""
        )
        row.recorded_by = _user(actor)
        row.recorded_at = now or timezone.now()
        stamp(row, actor).save()
    return row


def attendance_rest_present(*, actor, meeting: Meeting, now=None) -> int:
    """Mark every member not yet marked as present, in one tap: most of a cell comes, the secretary marks the
    absent and late ones first. Rows already marked and exempted members are left as they are."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    if meeting.status in (MeetingStatus.MINUTES_APPROVED, MeetingStatus.CANCELLED):
        raise RuleViolation(_("This meeting is closed: its record can no longer change."), code="locked")
    with transaction.atomic():
        attendance_prepare(meeting=meeting)
        rows = list(
            Attendance.objects.select_for_update().filter(
                meeting=meeting, is_guest=False, exempted=False, status=""
            )
        )
        when = now or timezone.now()
        for row in rows:
            row.status = AttendanceStatus.PRESENT
            row.recorded_by = _user(actor)
            row.recorded_at = when
            stamp(row, actor).save()
    return len(rows)


# ---- minutes ---------------------------------------------------------------------------------------------


def _agenda_skeleton(meeting: Meeting) -> list[dict]:
    return [
        {"item": item.pk, "title": item.title, "opinions": ""}
        for item in meeting.agenda_items.order_by("order", "id")
    ]


def minutes_start(*, actor, meeting: Meeting) -> Minutes:
    """The draft minutes of the meeting, created with one entry per agenda item the first time."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    current = selectors.minutes_current(meeting)
    if current is not None:
        return current
    if meeting.status not in (MeetingStatus.HELD,) and not meeting.is_open:
        raise RuleViolation(_("This meeting is closed: its record can no longer change."), code="locked")
    minutes = Minutes(meeting=meeting, number=1, items=_agenda_skeleton(meeting))
    stamp(minutes, actor).save()
    return minutes


def minutes_update(
    *,
    actor,
    minutes: Minutes,
    data: dict,
    resolutions: Sequence[dict] | None = None,
    expected_version: int | None,
) -> Minutes:
    """Save the draft: opening, opinions per item, conclusion and (when given) the resolutions with their votes.
    Approved minutes are locked: a correction is a new version (minutes_correct)."""
    meeting = minutes.meeting
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    if minutes.is_locked:
        raise RuleViolation(
            _("These minutes are approved and locked. Start a correction to change them."), code="locked"
        )
    on = _local_date(meeting.starts_at)
    with transaction.atomic():
        for name in ("opening", "conclusion", "correction_reason"):
            if name in data:
                setattr(minutes, name, data[name] or "")
        if "items" in data:
            minutes.items = [
                {
                    "item": row.get("item"),
                    "title": str(row.get("title") or "")[:255],
                    "opinions": row.get("opinions") or "",
                }
                for row in data["items"]
            ]
        save_versioned(minutes, expected_version=expected_version, actor=actor)
        if resolutions is not None:
            base = selectors.voting_base(meeting)
            rows = []
            errors: dict = {}
            for i, item in enumerate(resolutions, start=1):
                text = (item.get("text") or "").strip()
                if not text:
                    continue
                counts = {k: int(item.get(k) or 0) for k in ("votes_for", "votes_against", "votes_abstain")}
                if any(v < 0 for v in counts.values()):
                    errors.setdefault(f"resolutions.{i}", []).append(_("Votes cannot be negative."))
                    continue
                kind = item.get("kind") or ResolutionKind.ORDINARY
                if kind not in ResolutionKind.values:
                    errors.setdefault(f"resolutions.{i}", []).append(_("Unknown kind of vote."))
                    continue
                try:
                    vote = rules.vote_result(**counts, base=base, on=on, kind=kind)
                except ValueError:
                    errors.setdefault(f"resolutions.{i}", []).append(
                        format_lazy(
                            gettext_lazy("More votes than the {base} members who may vote."), base=base
                        )
                    )
                    continue
                rows.append(
                    Resolution(
                        minutes=minutes,
                        order=i,
                        text=text,
                        kind=kind,
                        base=vote.base,
                        passed=vote.passed,
                        **counts,
                    )
                )
            if errors:
                raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
            minutes.resolutions.all().delete()
            Resolution.objects.bulk_create(rows)
    return minutes


def minutes_missing(*, meeting: Meeting, minutes: Minutes) -> dict:
    """What the minutes still lack before approval (HD 12: chair, minute-taker, opening, opinions, conclusion)."""
    missing: dict = {}
    if meeting.chair_id is None:
        missing["chair"] = gettext_lazy("the chair")
    if meeting.minute_taker_id is None:
        missing["minute_taker"] = gettext_lazy("the minute-taker")
    if not (minutes.opening or "").strip():
        missing["opening"] = gettext_lazy("the opening")
    if not minutes.items or not any((item.get("opinions") or "").strip() for item in minutes.items):
        missing["items"] = gettext_lazy("the opinions on the agenda")
    if not (minutes.conclusion or "").strip():
        missing["conclusion"] = gettext_lazy("the conclusion")
    return missing


def minutes_approve(*, actor, minutes: Minutes, expected_version: int | None = None) -> Minutes:
    """The chair approves the minutes: they lock, and the meeting's record is closed."""
    meeting = minutes.meeting
    permissions.authorize(actor, "meetings.approve_minutes", meeting.organization.path)
    if minutes.is_locked:
        raise RuleViolation(_("These minutes are already approved."), code="locked")
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
        raise RuleViolation(_("Minutes can be approved once the meeting has been held."), code="transition")
    missing = minutes_missing(meeting=meeting, minutes=minutes)
    if missing:
        raise RuleViolation(
            format_lazy(
                gettext_lazy("The minutes cannot be approved yet; missing: {missing}."),
                missing="; ".join(str(m) for m in missing.values()),
            ),
            fields={key: [gettext_lazy("Required before approval.")] for key in missing},
            code="incomplete",
        )
    with transaction.atomic():
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_by = _user(actor)
        minutes.approved_at = timezone.now()
        save_versioned(minutes, expected_version=expected_version, actor=actor)
        if meeting.status == MeetingStatus.HELD:
            _transition(meeting, MeetingStatus.MINUTES_APPROVED, actor)
            save_versioned(meeting, expected_version=None, actor=actor)
    return minutes


def minutes_correct(*, actor, meeting: Meeting, reason: str) -> Minutes:
    """A correction of approved minutes: a new draft version copied from the approved one, which is kept."""
    permissions.authorize(actor, "meetings.approve_minutes", meeting.organization.path)
    current = selectors.minutes_current(meeting)
    if current is None or not current.is_locked:
        raise RuleViolation(
            _("Only approved minutes need a correction; edit the draft instead."), code="transition"
        )
    if not (reason or "").strip():
        raise RuleViolation(
            _("Please correct the errors below."), fields={"reason": [_("Say what the correction is for.")]}
        )
    with transaction.atomic():
        current.status = MinutesStatus.SUPERSEDED
        save_versioned(current, expected_version=None, actor=actor)
        new = Minutes(
            meeting=meeting,
            number=current.number + 1,
            opening=current.opening,
            items=current.items,
            conclusion=current.conclusion,
            correction_reason=reason.strip()[:255],
        )
        stamp(new, actor).save()
        Resolution.objects.bulk_create(
            [
                Resolution(
                    minutes=new,
                    order=r.order,
                    text=r.text,
                    kind=r.kind,
                    votes_for=r.votes_for,
                    votes_against=r.votes_against,
                    votes_abstain=r.votes_abstain,
                    base=r.base,
                    passed=r.passed,
                )
                for r in current.resolutions.all()
            ]
        )
        if meeting.status == MeetingStatus.MINUTES_APPROVED:
            meeting.status = MeetingStatus.HELD  # back to held until the correction is approved
            save_versioned(meeting, expected_version=None, actor=actor)
    return new


# ---- escalations -----------------------------------------------------------------------------------------


def escalation_raise(*, actor, meeting: Meeting, text: str) -> Escalation:
    """Send an issue raised in the meeting up to the grassroots committee, which is notified."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    text = (text or "").strip()
    if not text:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"text": [_("This field is required.")]}
        )
    committee = selectors.grassroots_committee_of(meeting.organization)
    if committee is None or committee.pk == meeting.organization_id:
        committee = meeting.organization.parent
    if committee is None:
        raise RuleViolation(_("This organization has no committee above it."), code="no_committee")
    escalation = Escalation(
        meeting=meeting,
        organization=meeting.organization,
        committee=committee,
        text=text,
        raised_by=_user(actor),
    )
    with transaction.atomic():
        stamp(escalation, actor).save()
        from coso.accounts.models import Role, User
        from coso.notifications.services import notify

        staff = User.objects.filter(
            is_active=True,
            grants__organization=committee,
            grants__revoked_at__isnull=True,
            grants__role__in=(Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER),
        ).distinct()
        notify(
            recipients=list(staff),
            kind="meetings.escalated",
            title=format_lazy(
                gettext_lazy("{cell} asks the committee: {text}"),
                cell=meeting.organization.name,
                text=text[:80],
            ),
            body=text,
            url=reverse("meetings:escalations"),
        )
    return escalation


def escalation_answer(
    *, actor, escalation: Escalation, answer: str, expected_version: int | None
) -> Escalation:
    """The committee answers; the cell's secretaries are notified."""
    permissions.authorize(actor, "meetings.answer_escalation", escalation.committee.path)
    answer = (answer or "").strip()
    if not answer:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"answer": [_("This field is required.")]}
        )
    with transaction.atomic():
        escalation.answer = answer
        escalation.status = EscalationStatus.ANSWERED
        escalation.answered_by = _user(actor)
        escalation.answered_at = timezone.now()
        save_versioned(escalation, expected_version=expected_version, actor=actor)
        from coso.accounts.models import Role, User
        from coso.notifications.services import notify

        secretaries = User.objects.filter(
            is_active=True,
            grants__organization=escalation.organization,
            grants__revoked_at__isnull=True,
            grants__role=Role.CELL_SECRETARY,
        ).distinct()
        notify(
            recipients=list(secretaries),
            kind="meetings.escalation_answered",
            title=format_lazy(gettext_lazy("The committee answered: {text}"), text=escalation.text[:80]),
            body=answer,
            url=reverse("meetings:detail", args=[escalation.meeting_id]),
        )
    return escalation


# ---- seasonal topics -------------------------------------------------------------------------------------


def seasonal_topic_save(
    *,
    actor,
    organization: Organization,
    month: int,
    topic: str,
    note: str = "",
    instance: SeasonalTopic | None = None,
    expected_version: int | None = None,
) -> SeasonalTopic:
    permissions.authorize(actor, "meetings.edit_topics", organization.path)
    item = instance or SeasonalTopic(organization=organization)
    item.month = month
    item.topic = (topic or "").strip()
    item.note = note or ""
    _full_clean(item, exclude=["organization"])
    if instance is None:
        stamp(item, actor).save()
    else:
        save_versioned(item, expected_version=expected_version, actor=actor)
    return item


def seasonal_topic_delete(*, actor, topic: SeasonalTopic) -> None:
    permissions.authorize(actor, "meetings.edit_topics", topic.organization.path)
    topic.delete()


# ---- rotation planner ------------------------------------------------------------------------------------


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


# ---- reminders and calendar feed ---------------------------------------------------------------------------


def meetings_send_reminders(*, today: dt.date) -> int:
    """Remind the members and guests of tomorrow's published meetings. Run daily; running twice sends nothing
    new (dedupe key per meeting)."""
    from coso.notifications.services import notify

    tomorrow = today + dt.timedelta(days=1)
    low, high = selectors.local_day_bounds(tomorrow, tomorrow)
    sent = 0
    meetings = Meeting.objects.filter(status=MeetingStatus.PUBLISHED, starts_at__gte=low, starts_at__lt=high)
    for meeting in meetings.select_related("organization").prefetch_related("agenda_items", "documents"):
        local = timezone.localtime(meeting.starts_at)
        sent += len(
            notify(
                recipients=meeting_recipients(meeting),
                kind="meetings.reminder",
                title=format_lazy(
                    gettext_lazy("Reminder: {title} tomorrow at {time}"),
                    title=meeting.title,
                    time=local.strftime("%H:%M"),
                ),
                body=_notice_body(meeting),
                url=reverse("meetings:detail", args=[meeting.pk]),
                dedupe_key=f"meetings.reminder:{meeting.pk}:{tomorrow.isoformat()}",
            )
        )
    return sent


def calendar_token_get(*, user) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def calendar_token_regenerate(*, user) -> CalendarToken:
    from .models import _new_token

    token = calendar_token_get(user=user)
    token.token = _new_token()
    token.save(update_fields=["token", "updated_at"])
    return token
