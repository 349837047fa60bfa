"""Attendance: the expected list when the meeting starts, and who came."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation
from coso.members.models import CURRENT_STATUSES, Member, MemberStatus

from .. import rules
from ..models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from ._common import _local_date, _user


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
