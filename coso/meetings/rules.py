"""The meeting rules as pure functions (no database): attendance figures and flags, votes, notice, duration,
the monthly and quarterly calendar checks and the yearly absence counters. Thresholds come from policies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import ATTENDED_STATUSES, TWO_THIRDS_KINDS, AttendanceStatus, MeetingKind, ResolutionKind
from .policies import policy, policy_record


@dataclass
class Figures:
    """Attendance of one meeting. Every member listed (official and probationary) is counted in the totals and
    listed under them; the rate is computed on `base` (official, not exempted, and probationary members when the
    dated policy says so) and votes on `vote_base` (official members minus the exempted)."""

    base: int = 0  # counted in the attendance rate
    base_attended: int = 0  # of them, attended
    vote_base: int = 0
    probationary: int = 0
    probationary_counted: bool = False
    rule_source: str = ""
    expected: list = field(default_factory=list)  # everyone who must attend (exempted and guests apart)
    attended_rows: list = field(default_factory=list)
    present_rows: list = field(default_factory=list)
    late_rows: list = field(default_factory=list)
    left_early_rows: list = field(default_factory=list)
    excused_rows: list = field(default_factory=list)
    unexcused_rows: list = field(default_factory=list)
    unrecorded_rows: list = field(default_factory=list)
    exempted_rows: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    # Aggregated figures (the overview) have no rows: these override the counts.
    _attended: int | None = None
    _unexcused: int | None = None

    @property
    def must_attend(self) -> int:
        return len(self.expected)

    @property
    def attended(self) -> int:
        return len(self.attended_rows) if self._attended is None else self._attended

    @property
    def present(self) -> int:
        return len(self.present_rows)

    @property
    def late(self) -> int:
        return len(self.late_rows)

    @property
    def left_early(self) -> int:
        return len(self.left_early_rows)

    @property
    def excused(self) -> int:
        return len(self.excused_rows)

    @property
    def unexcused(self) -> int:
        return len(self.unexcused_rows) if self._unexcused is None else self._unexcused

    @property
    def unrecorded(self) -> int:
        return len(self.unrecorded_rows)

    @property
    def exempted(self) -> int:
        return len(self.exempted_rows)

    @property
    def total(self) -> int:
        """Everyone listed, exempted and probationary included (the minutes' "tổng số")."""
        return self.must_attend + self.exempted

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused

    @property
    def rate(self) -> float | None:
        return round(100 * self.base_attended / self.base, 1) if self.base else None

    @classmethod
    def aggregated(cls, *, base: int, attended: int, unexcused: int) -> Figures:
        return cls(base=base, base_attended=attended, _attended=attended, _unexcused=unexcused)


def _member_status(row) -> str | None:
    member = getattr(row, "member", None)
    return getattr(member, "status", None) if member is not None else getattr(row, "member_status", None)


def attendance_figures(rows: Iterable, *, on: dt.date) -> Figures:
    """The one computation of a meeting's numbers (attendance page, minutes page, API, .docx). `rows` have
    .status, .counted, .exempted, .is_guest and .member (Attendance rows or the like)."""
    from coso.members.models import MemberStatus

    record = policy_record("meetings.rate_counts_probationary", on)
    figures = Figures(probationary_counted=bool(record.value), rule_source=record.source)
    by_status = {
        AttendanceStatus.PRESENT: figures.present_rows,
        AttendanceStatus.LATE: figures.late_rows,
        AttendanceStatus.LEFT_EARLY: figures.left_early_rows,
        AttendanceStatus.ABSENT_EXCUSED: figures.excused_rows,
        AttendanceStatus.ABSENT_UNEXCUSED: figures.unexcused_rows,
    }
    for row in rows:
        if row.is_guest:
            continue
        if row.exempted:
            figures.exempted_rows.append(row)
            continue
        figures.expected.append(row)
        status = row.status
        by_status.get(status, figures.unrecorded_rows).append(row)
        if status in ATTENDED_STATUSES:
            figures.attended_rows.append(row)
        member_status = _member_status(row)
        if member_status == MemberStatus.PROBATIONARY:
            figures.probationary += 1
        elif member_status in (MemberStatus.FULL, None) and row.counted:
            figures.vote_base += 1
        if row.counted:
            figures.base += 1
            if status in ATTENDED_STATUSES:
                figures.base_attended += 1
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


def vote_result(
    *,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    base: int,
    on: dt.date,
    kind: str = ResolutionKind.ORDINARY,
) -> Vote:
    """Shares of the base (official members minus exempted), not of those present: an ordinary resolution needs
    more than half; admission, recognition and removal need at least two thirds."""
    if votes_for + votes_against + votes_abstain > base:
        raise ValueError("more votes than members who may vote")
    if kind in TWO_THIRDS_KINDS:
        passed = base > 0 and votes_for >= base * policy("meetings.vote_two_thirds", on)
    else:
        passed = base > 0 and votes_for > base * policy("meetings.vote_majority", on)
    return Vote(base=base, votes_for=votes_for, passed=passed)


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


def notice_deadline(starts_at: dt.datetime) -> dt.datetime:
    """The latest moment the notice may go out: `notice_days` whole days (24 hours each) before the start.
    "At least one day before" is a duration, not a calendar date: 18:00 for 14:00 the next day is late."""
    on = timezone.localtime(starts_at).date() if timezone.is_aware(starts_at) else starts_at.date()
    return starts_at - dt.timedelta(days=policy("meetings.notice_days", on))


def notice_warning(*, starts_at: dt.datetime, sent_at: dt.datetime):
    if sent_at <= notice_deadline(starts_at):
        return None
    on = timezone.localtime(starts_at).date() if timezone.is_aware(starts_at) else starts_at.date()
    record = policy_record("meetings.notice_days", on)
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


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def year_check(meetings: Iterable, *, year: int, today: dt.date) -> YearCheck:
    """Months (up to the current one) with fewer held regular meetings than `meetings.regular_per_month`;
    quarters (ended or current) with fewer held thematic meetings than `meetings.thematic_per_quarter` (a
    regular meeting combined with a thematic one counts). Each period is judged by the policy in force at its end."""
    from collections import Counter

    from .models import HELD_STATUSES

    held_months: Counter[int] = Counter()
    thematic_quarters: Counter[int] = Counter()
    for meeting in meetings:
        if meeting.status not in HELD_STATUSES:
            continue
        local = timezone.localtime(meeting.starts_at)
        if local.year != year:
            continue
        if meeting.kind == MeetingKind.REGULAR:
            held_months[local.month] += 1
        if meeting.kind == MeetingKind.THEMATIC or (
            meeting.kind == MeetingKind.REGULAR and meeting.combined_thematic
        ):
            thematic_quarters[(local.month - 1) // 3 + 1] += 1
    last_month = 12 if today.year > year else (today.month if today.year == year else 0)
    months = [
        m
        for m in range(1, last_month + 1)
        if held_months[m] < policy("meetings.regular_per_month", _month_end(year, m))
    ]
    last_quarter = (last_month - 1) // 3 + 1 if last_month else 0
    quarters = [
        q
        for q in range(1, last_quarter + 1)
        if thematic_quarters[q] < policy("meetings.thematic_per_quarter", _month_end(year, 3 * q))
    ]
    return YearCheck(months_without_held=months, quarters_without_thematic=quarters)
