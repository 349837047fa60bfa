"""The meeting rules as pure functions (no database): attendance figures and flags, votes, notice, duration,
the monthly and quarterly calendar checks and the yearly absence counters. Thresholds come from policies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import ATTENDED_STATUSES, AttendanceStatus, MeetingKind
from .policies import policy, policy_record


@dataclass
class Figures:
    """Attendance of one meeting, counted on the members who count (official, not exempted)."""

    base: int = 0
    attended: int = 0
    present: int = 0
    late: int = 0
    left_early: int = 0
    excused: int = 0
    unexcused: int = 0
    unrecorded: int = 0
    exempted: int = 0
    total: int = 0  # everyone listed, exempted included (the minutes' "total")
    flags: list = field(default_factory=list)

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused

    @property
    def rate(self) -> float | None:
        return round(100 * self.attended / self.base, 1) if self.base else None


def attendance_figures(rows: Iterable, *, on: dt.date) -> Figures:
    """`rows` have .status, .counted, .exempted, .is_guest (Attendance rows or the like)."""
    figures = Figures()
    for row in rows:
        if row.is_guest:
            continue
        figures.total += 1
        if row.exempted:
            figures.exempted += 1
        if not row.counted:
            continue
        figures.base += 1
        status = row.status
        if status in ATTENDED_STATUSES:
            figures.attended += 1
        if status == AttendanceStatus.PRESENT:
            figures.present += 1
        elif status == AttendanceStatus.LATE:
            figures.late += 1
        elif status == AttendanceStatus.LEFT_EARLY:
            figures.left_early += 1
        elif status == AttendanceStatus.ABSENT_EXCUSED:
            figures.excused += 1
        elif status == AttendanceStatus.ABSENT_UNEXCUSED:
            figures.unexcused += 1
        else:
            figures.unrecorded += 1
    figures.flags = attendance_flags(figures, on=on)
    return figures


def attendance_flags(figures: Figures, *, on: dt.date) -> list:
    flags = []
    limit = policy_record("meetings.min_attendance_percent", on)
    # The rate is judged once everyone is marked: half-way through the roll call it is bound to look low.
    if figures.rate is not None and not figures.unrecorded and figures.rate <= limit.value:
        flags.append(
            format_lazy(
                _("Attendance {rate}% is not above {limit}% ({source})."),
                rate=f"{figures.rate:g}",
                limit=limit.value,
                source=limit.source,
            )
        )
    if figures.unexcused:
        flags.append(format_lazy(_("{count} member(s) absent without reason."), count=figures.unexcused))
    return flags


def counts_in_rate(*, status: str, exempted: bool, on: dt.date) -> bool:
    """Whether a member of this status counts in the attendance rate and the vote base."""
    from coso.members.models import MemberStatus

    if exempted or status == MemberStatus.EXEMPT:
        return False
    if status == MemberStatus.FULL:
        return True
    return status == MemberStatus.PROBATIONARY and bool(policy("meetings.rate_counts_probationary", on))


@dataclass
class Vote:
    base: int
    votes_for: int
    passed: bool


def vote_result(*, votes_for: int, votes_against: int, votes_abstain: int, base: int, on: dt.date) -> Vote:
    """More than half of the base (official members minus exempted), not of those present."""
    if votes_for + votes_against + votes_abstain > base:
        raise ValueError("more votes than members who may vote")
    share = policy("meetings.vote_majority", on)
    return Vote(base=base, votes_for=votes_for, passed=base > 0 and votes_for > base * share)


def min_duration(*, kind: str, combined: bool, on: dt.date) -> int | None:
    if kind == MeetingKind.REGULAR and combined:
        return policy("meetings.min_minutes_combined", on)
    if kind in (MeetingKind.REGULAR, MeetingKind.THEMATIC):
        return policy("meetings.min_minutes", on)
    return None


def duration_warning(*, kind: str, combined: bool, minutes: int, on: dt.date):
    needed = min_duration(kind=kind, combined=combined, on=on)
    if needed is None or minutes >= needed:
        return None
    key = "meetings.min_minutes_combined" if combined else "meetings.min_minutes"
    return format_lazy(
        _(
            "Planned for {minutes} minutes: a meeting of this kind should last at least {needed} minutes ({source})."
        ),
        minutes=minutes,
        needed=needed,
        source=policy_record(key, on).source,
    )


def notice_deadline(starts_at: dt.datetime) -> dt.date:
    """The last day the notice may go out: `notice_days` before the meeting's date."""
    on = starts_at.date()
    return on - dt.timedelta(days=policy("meetings.notice_days", on))


def notice_warning(*, starts_at: dt.datetime, sent_on: dt.date):
    deadline = notice_deadline(starts_at)
    if sent_on <= deadline:
        return None
    record = policy_record("meetings.notice_days", starts_at.date())
    return format_lazy(
        _(
            "The notice goes out later than {days} day(s) before the meeting ({source}): members may not be able to prepare."
        ),
        days=record.value,
        source=record.source,
    )


def longest_excused_run(statuses: Sequence[str]) -> int:
    """The longest run of consecutive 'absent with reason' in a member's meetings (in date order)."""
    best = run = 0
    for status in statuses:
        if status == AttendanceStatus.ABSENT_EXCUSED:
            run += 1
            best = max(best, run)
        elif status:
            run = 0
    return best


@dataclass
class MemberYear:
    """A member's attendance in one year, with the flags the cell must review."""

    meetings: int = 0
    attended: int = 0
    excused: int = 0
    unexcused: int = 0
    longest_excused_run: int = 0
    unexcused_months: int = 0
    flags: list = field(default_factory=list)


def member_year(rows: Sequence[tuple[dt.date, str]], *, year: int) -> MemberYear:
    """`rows` are (meeting date, status) of the member's counted meetings, in date order."""
    on = dt.date(year, 12, 31)
    result = MemberYear()
    months = set()
    for date, status in rows:
        result.meetings += 1
        if status in ATTENDED_STATUSES:
            result.attended += 1
        elif status == AttendanceStatus.ABSENT_EXCUSED:
            result.excused += 1
        elif status == AttendanceStatus.ABSENT_UNEXCUSED:
            result.unexcused += 1
            months.add(date.month)
    result.unexcused_months = len(months)
    result.longest_excused_run = longest_excused_run([status for _date, status in rows])
    if result.unexcused:
        result.flags.append(
            format_lazy(_("Absent without reason {count} time(s) this year."), count=result.unexcused)
        )
    limit = policy_record("meetings.max_consecutive_excused", on)
    if result.longest_excused_run > limit.value:
        result.flags.append(
            format_lazy(
                _("Absent with reason {count} times in a row (more than {limit}, {source})."),
                count=result.longest_excused_run,
                limit=limit.value,
                source=limit.source,
            )
        )
    removal = policy_record("meetings.removal_absent_months", on)
    if result.unexcused_months >= removal.value:
        result.flags.append(
            format_lazy(
                _(
                    "Skipped meetings without reason in {months} months of the year: the cell must consider removing the name ({source})."
                ),
                months=result.unexcused_months,
                source=removal.source,
            )
        )
    return result


@dataclass
class YearCheck:
    months_without_held: list[int]
    quarters_without_thematic: list[int]


def year_check(meetings: Iterable, *, year: int, today: dt.date) -> YearCheck:
    """Months (up to the current one) with no held regular meeting; quarters (ended or current) with no held
    thematic meeting (a regular meeting combined with a thematic one counts)."""
    from .models import HELD_STATUSES

    held_months: set[int] = set()
    thematic_quarters: set[int] = set()
    for meeting in meetings:
        if meeting.status not in HELD_STATUSES:
            continue
        local = timezone.localtime(meeting.starts_at)
        if local.year != year:
            continue
        if meeting.kind == MeetingKind.REGULAR:
            held_months.add(local.month)
        if meeting.kind == MeetingKind.THEMATIC or (
            meeting.kind == MeetingKind.REGULAR and meeting.combined_thematic
        ):
            thematic_quarters.add((local.month - 1) // 3 + 1)
    last_month = 12 if today.year > year else (today.month if today.year == year else 0)
    months = [m for m in range(1, last_month + 1) if m not in held_months]
    last_quarter = (last_month - 1) // 3 + 1 if last_month else 0
    quarters = [q for q in range(1, last_quarter + 1) if q not in thematic_quarters]
    return YearCheck(months_without_held=months, quarters_without_thematic=quarters)
