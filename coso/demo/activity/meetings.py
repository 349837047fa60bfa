"""A year of cell meetings for generated data: monthly regular meetings (a thematic one combined each quarter),
a few separate thematic meetings, attendance of every member of the cell on the day, and minutes.

Rules followed (as `meetings.services` would apply them when the secretary takes attendance and writes the
minutes):
- the attendance list is the cell's members on the meeting day (their membership period covers the day and
  their status derived from the events up to that day is current), as `attendance_prepare` lists them;
  `exempted` for exempted members, `counted` from `rules.counts_in_rate` on that day, `meeting_date` copied;
- the figures written in the minutes' opening and each resolution's vote base come from
  `rules.attendance_figures` over the same rows, and the votes from `rules.vote_result` (only the official
  members present vote, so the votes never exceed the base);
- a meeting whose minutes are approved has a chair and a minute-taker among those present, an opening, the
  opinions on the agenda and a conclusion (what `minutes_approve` requires); the last month's meeting of some
  cells is held with its minutes still a draft;
- regular meetings last at least 90 minutes, combined and thematic ones 120 (`rules.min_duration`), and the
  notice goes out three days before.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from coso.meetings import rules
from coso.meetings.models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
    MinutesStatus,
    Resolution,
)
from coso.members.models import MemberStatus

from ..bulk import insert_rows
from .roster import Roster

A = AttendanceStatus

AGENDA = [
    "Thông tin thời sự, văn bản mới của cấp trên",
    "Đánh giá kết quả thực hiện nhiệm vụ tháng",
    "Phương hướng, nhiệm vụ tháng tới; phân công đảng viên",
    "Tình hình tư tưởng đảng viên và nhân dân trên địa bàn",
]
OPINIONS = [
    "Các đồng chí đảng viên thống nhất với báo cáo; đề nghị bổ sung giải pháp cụ thể.",
    "Đảng viên phát biểu, góp ý; chi bộ tiếp thu và thống nhất.",
    "Đề nghị phân công đảng viên phụ trách từng tổ dân cư, theo dõi, báo cáo hằng tháng.",
]
THEMES = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao vai trò nêu gương của đảng viên nơi cư trú",
    "Công tác dân vận, xây dựng khu dân cư văn minh",
    "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống",
]
EXCUSES = ["Ốm", "Đi làm ăn xa", "Bận việc gia đình", "Đi công tác", "Chăm người nhà nằm viện"]


@dataclass
class Row:
    """What `rules.attendance_figures` reads of an attendance row (the member's status on the day included)."""

    status: str
    counted: bool
    exempted: bool
    is_guest: bool
    member_status: str


def month_starts(as_of: dt.date, months: int) -> list[dt.date]:
    """The first days of the `months` months before the reference date's month, oldest first."""
    index = as_of.year * 12 + as_of.month - 1
    return [dt.date((index - back) // 12, (index - back) % 12 + 1, 1) for back in range(months, 0, -1)]


def _at(day: dt.date, hour: int = 19, minute: int = 30) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _attendance(rng: random.Random, status: str, away: bool, age: int) -> tuple[str, str]:
    if status == MemberStatus.EXEMPT:
        return (A.PRESENT, "") if rng.random() < 0.3 else (A.ABSENT_EXCUSED, "Miễn sinh hoạt")
    roll = rng.random()
    if away:
        roll = 0.5 + roll / 2  # working far away: more often absent, with a reason
    elif age >= 70:
        roll = roll * 0.97 + 0.03
    if roll < 0.85:
        return A.PRESENT, ""
    if roll < 0.89:
        return A.LATE, "Kẹt việc nhà"
    if roll < 0.91:
        return A.LEFT_EARLY, "Có việc gia đình đột xuất"
    if roll < 0.985:
        return A.ABSENT_EXCUSED, "Đi làm ăn xa" if away else rng.choice(EXCUSES)
    return A.ABSENT_UNEXCUSED, ""


def opening_text(figures: rules.Figures) -> str:
    """The minutes' opening with the attendance figures; tests read the numbers back."""
    return (
        "Đồng chí bí thư chi bộ khai mạc, giới thiệu khách mời và thông qua chương trình. "
        f"Tổng số đảng viên: {figures.total}; phải dự: {figures.must_attend}; có mặt: {figures.attended} "
        f"(đi muộn: {figures.late}, về sớm: {figures.left_early}); vắng: {figures.absent} "
        f"(có lý do: {figures.excused}, không lý do: {figures.unexcused}); miễn sinh hoạt: {figures.exempted}."
    )


class MeetingWriter:
    def __init__(self, *, rng: random.Random, as_of: dt.date, months: int, batch_size: int):
        self.rng = rng
        self.as_of = as_of
        self.months = month_starts(as_of, months)
        self.batch_size = batch_size
        self._counts: dict[tuple[str, dt.date], bool] = {}
        self.meetings = self.attendance = self.minutes = 0

    def _counted(self, status: str, day: dt.date) -> bool:
        key = (status, day)
        if key not in self._counts:
            self._counts[key] = rules.counts_in_rate(status=status, exempted=False, on=day)
        return self._counts[key]

    def _plan(self, roster: Roster) -> list[Meeting]:
        rng = self.rng
        meetings = []
        for cell in roster.cells:
            usual = rng.randint(5, 24)
            # Some cells hold a separate thematic meeting once or twice a year besides the combined ones.
            thematic = set(
                rng.sample(range(len(self.months)), k=min(len(self.months), rng.choice([0, 0, 1, 2])))
            )
            for index, first in enumerate(self.months):
                day = first.replace(day=min(28, max(1, usual + rng.randint(-2, 2))))
                combined = day.month % 3 == 0
                meetings.append(
                    Meeting(
                        organization_id=cell.pk,
                        kind=MeetingKind.REGULAR,
                        combined_thematic=combined,
                        title=f"Sinh hoạt chi bộ thường kỳ tháng {day:%m/%Y}",
                        topic=f"Kết hợp sinh hoạt chuyên đề: {THEMES[(day.month // 3) % len(THEMES)]}"
                        if combined
                        else "",
                        starts_at=_at(day),
                        duration_minutes=120 if combined else 90,
                        place=f"Nhà văn hóa {cell.name.removeprefix('Chi bộ ').lower()}",
                        status=MeetingStatus.MINUTES_APPROVED,
                        published_at=_at(day - dt.timedelta(days=3), 8, 0),
                    )
                )
                if index in thematic:
                    extra = first.replace(day=min(28, day.day + 7) if day.day <= 20 else max(1, day.day - 7))
                    meetings.append(
                        Meeting(
                            organization_id=cell.pk,
                            kind=MeetingKind.THEMATIC,
                            title=f"Sinh hoạt chuyên đề tháng {extra:%m/%Y}",
                            topic=rng.choice(THEMES),
                            starts_at=_at(extra, 8, 0),
                            duration_minutes=120,
                            place=f"Nhà văn hóa {cell.name.removeprefix('Chi bộ ').lower()}",
                            status=MeetingStatus.MINUTES_APPROVED,
                            published_at=_at(extra - dt.timedelta(days=3), 8, 0),
                        )
                    )
        return meetings

    def write(self, roster: Roster) -> None:
        rng = self.rng
        meetings = self._plan(roster)
        last_month = self.months[-1] if self.months else None
        # Each meeting's rows first: the chair, the minute-taker and the status depend on who came.
        planned = []
        for meeting in meetings:
            day = timezone.localtime(meeting.starts_at).date()
            rows = []
            for life, status in roster.members_on(meeting.organization_id, day):
                attendance, reason = _attendance(
                    rng, status, life.working_away, day.year - life.date_of_birth.year
                )
                rows.append(
                    (
                        life,
                        Row(
                            status=attendance,
                            counted=self._counted(status, day),
                            exempted=status == MemberStatus.EXEMPT,
                            is_guest=False,
                            member_status=status,
                        ),
                        reason,
                    )
                )
            present = [life for life, row, _r in rows if row.status == A.PRESENT and not row.exempted]
            if len(present) < 2:
                continue  # a cell without two members present cannot hold its meeting: none is recorded
            meeting.chair_id = present[0].pk
            meeting.minute_taker_id = present[-1].pk
            if last_month and day >= last_month and rng.random() < 0.15:
                meeting.status = MeetingStatus.HELD  # the minutes of last month's meeting are still a draft
            planned.append((meeting, day, rows))
        Meeting.objects.bulk_create([m for m, _d, _r in planned], batch_size=self.batch_size)
        attendance: list[Attendance] = []
        minutes: list[Minutes] = []
        votes: list[tuple[Minutes, rules.Figures, int, dt.date]] = []
        for meeting, day, rows in planned:
            for life, row, reason in rows:
                attendance.append(
                    Attendance(
                        meeting_id=meeting.pk,
                        member_id=life.pk,
                        meeting_date=day,
                        status=row.status,
                        reason=reason,
                        exempted=row.exempted,
                        counted=row.counted,
                        recorded_at=meeting.starts_at,
                    )
                )
            figures = rules.attendance_figures([row for _l, row, _r in rows], on=day)
            approved = meeting.status == MeetingStatus.MINUTES_APPROVED
            record = Minutes(
                meeting_id=meeting.pk,
                number=1,
                opening=opening_text(figures),
                items=[{"item": None, "title": t, "opinions": rng.choice(OPINIONS)} for t in AGENDA],
                conclusion="Chi bộ thống nhất các nhiệm vụ trọng tâm tháng tới; phân công đảng viên thực hiện.",
                status=MinutesStatus.APPROVED if approved else MinutesStatus.DRAFT,
                approved_at=meeting.starts_at + dt.timedelta(days=rng.randint(1, 5)) if approved else None,
            )
            minutes.append(record)
            voters = sum(
                1
                for _l, row, _r in rows
                if row.member_status == MemberStatus.FULL
                and row.counted
                and not row.exempted
                and row.status in ATTENDED_STATUSES
            )
            votes.append((record, figures, voters, day))
        insert_rows(Attendance, attendance, batch_size=self.batch_size)
        Minutes.objects.bulk_create(minutes, batch_size=self.batch_size)
        resolutions = []
        for record, figures, voters, day in votes:
            against = 1 if voters > 8 and rng.random() < 0.05 else 0
            abstain = 1 if voters > 5 and rng.random() < 0.1 else 0
            counts = {
                "votes_for": voters - against - abstain,
                "votes_against": against,
                "votes_abstain": abstain,
            }
            vote = rules.vote_result(**counts, base=figures.vote_base, on=day)
            resolutions.append(
                Resolution(
                    minutes_id=record.pk,
                    order=1,
                    text="Thông qua nghị quyết lãnh đạo thực hiện nhiệm vụ tháng tới",
                    base=vote.base,
                    passed=vote.passed,
                    **counts,
                )
            )
        Resolution.objects.bulk_create(resolutions, batch_size=self.batch_size)
        self.meetings += len(planned)
        self.attendance += len(attendance)
        self.minutes += len(minutes)
