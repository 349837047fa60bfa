"""Citizens' feedback, reception days and dialogues of a generated commune over the year before the reference date.

Each item is received on a day of the year and then lives its course (classified and assigned, handled,
answered, rated or closed after 14 days without a rating; or transferred, rejected, reported again), each step
a few hours or days after the one before; the steps after the reference date have not happened yet, so recent
items are still open and old ones finished, as in a real register.

Rules followed (`citizens.services`): the receiving unit is the commune above the area cell
(`receiving_unit_for`); the deadline is `deadline_for` / the acceptance deadline from receipt, counted again
from the acceptance for complaints (`feedback_assign`) and from the new report when reopened
(`feedback_reopen`); `assigned_at`, `answered_at`, `closed_at` (closed, transferred, rejected), `rated_at`
with a rating of 1 to 5 are set by the step that sets them; a reopened item keeps its rating, has no
`closed_at` and counts one reopening; an open item overdue by the policy's working days is escalated to the
level above (`feedback_escalate_overdue`). Every step is a `FeedbackUpdate` row with its from/to statuses.
Generated categories need no evidence with the answer (no files are written), and the reporter's secret hash
is empty, as for items filed before the secret existed.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coso.citizens import policies
from coso.citizens.models import (
    Category,
    Channel,
    Dialogue,
    EvidenceRequired,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    FeedbackUpdate,
    ReceptionDay,
    UpdateKind,
)
from coso.citizens.services import deadline_for
from coso.citizens.services.routing import CODE_ALPHABET, acceptance_deadline
from coso.core import workdays
from coso.members.models import MemberStatus

from ..bulk import insert_rows
from .roster import Roster

S = FeedbackStatus
U = UpdateKind

CATEGORIES = [
    # code, name, default kind, working days
    ("gen-duong-den", "Đường sá, đèn chiếu sáng", FeedbackKind.REPORT, 10),
    ("gen-ve-sinh", "Vệ sinh môi trường, rác thải", FeedbackKind.REPORT, 5),
    ("gen-trat-tu", "An ninh trật tự", FeedbackKind.REPORT, 5),
    ("gen-dat-dai", "Đất đai, giải phóng mặt bằng", FeedbackKind.COMPLAINT, 10),
    ("gen-chinh-sach", "Chính sách xã hội", FeedbackKind.PETITION, 10),
    ("gen-thu-tuc", "Thủ tục hành chính", FeedbackKind.PETITION, 10),
]
CATEGORY_WEIGHTS = [30, 25, 12, 8, 15, 10]
TEXTS = {
    "gen-duong-den": ["Đèn đường tổ {n} tắt nhiều đêm, đi lại rất tối.", "Ổ gà lớn trên đường số {n}, xe dễ té ngã."],
    "gen-ve-sinh": ["Rác tồn đọng đầu hẻm {n} hơn một tuần chưa thu gom.", "Cống thoát nước tổ {n} bị nghẹt."],
    "gen-trat-tu": ["Thanh niên tụ tập gây ồn ào khuya ở tổ {n}.", "Mất trộm xe máy nhiều lần ở tổ {n}."],
    "gen-dat-dai": ["Khiếu nại mức bồi thường khi mở rộng đường số {n}.", "Tranh chấp ranh đất với hộ lân cận tổ {n}."],
    "gen-chinh-sach": ["Đề nghị xem xét hỗ trợ hộ cận nghèo ở tổ {n}.", "Đề nghị giải quyết chế độ người có công."],
    "gen-thu-tuc": ["Đề nghị rút ngắn thời gian cấp giấy xác nhận cư trú.", "Thủ tục chứng thực còn phải chờ lâu."],
}  # fmt: skip
ANSWERS = [
    "Đã phối hợp với đơn vị chức năng khắc phục; kiểm tra lại thực tế, đạt yêu cầu.",
    "Đã tổ chức thu gom, vận động các hộ thực hiện đúng quy định.",
    "Đã làm việc với tổ dân phố, công an khu vực tăng cường tuần tra.",
    "Đã xem xét, lập hồ sơ đề nghị theo quy định; kết quả thông báo đến người dân.",
]
NAMES = ["Nguyễn Văn Tư", "Trần Thị Lan", "Lê Văn Hùng", "Phạm Thị Hồng", "Võ Minh Tâm", "Huỳnh Thị Mai"]
# (fate, weight): what would happen to the item given time.
FATES = [("rated", 62), ("stale", 10), ("transfer", 7), ("reject", 5), ("reopen", 4), ("slow", 12)]
CHANNELS = [
    (Channel.WEB, 40),
    (Channel.PHONE, 12),
    (Channel.WALK_IN, 10),
    (Channel.RECEPTION, 12),
    (Channel.DIALOGUE, 8),
    (Channel.FORUM, 5),
    (Channel.DOOR_TO_DOOR, 8),
    (Channel.LETTER, 5),
]
FEEDBACK_PER_MEMBER = 0.1  # about 20,000 items for 200,000 members


def categories() -> dict[str, Category]:
    result = {}
    for order, (code, name, kind, days) in enumerate(CATEGORIES):
        result[code], _created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "default_kind": kind,
                "deadline_working_days": days,
                "evidence_required": EvidenceRequired.NONE,
                "order": 100 + order,
            },
        )
    return result


def _pick(rng: random.Random, table):
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class CitizensWriter:
    def __init__(
        self, *, rng, as_of: dt.date, root, cats: dict[str, Category], used_codes: set, batch_size: int
    ):
        self.rng = rng
        self.as_of = as_of
        self.end = _at(as_of, 0)  # nothing happens on or after the reference date
        self.root = root
        self.cats = cats
        self.used_codes = used_codes
        self.batch_size = batch_size
        self.feedback = self.updates = self.reception_days = self.dialogues = 0
        self._escalate_after: int | None = None

    # --- identifiers ----------------------------------------------------------------------------------
    def _code(self) -> str:
        while True:
            raw = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(8))
            code = f"{raw[:4]}-{raw[4:]}"
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    # --- reception days and dialogues -------------------------------------------------------------------
    def _head(self, roster: Roster):
        """The commune's head for reception days: generated communes have no committee seats, so a full member
        of the first cell (the first by citizen ID) stands in for the secretary."""
        for cell in roster.cells:
            people = [
                life for life, status in roster.members_on(cell.pk, self.as_of) if status == MemberStatus.FULL
            ]
            if people:
                return people[0]
        return None

    def _activities(self, roster: Roster, head) -> tuple[list[ReceptionDay], list[Dialogue]]:
        rng, commune = self.rng, roster.commune
        place = f"Trụ sở {commune.name.removeprefix('Đảng bộ ')}"
        days = []
        for back in range(12, 0, -1):
            index = self.as_of.year * 12 + self.as_of.month - 1 - back
            first = dt.date(index // 12, index % 12 + 1, 1)
            working = [
                first + dt.timedelta(days=n)
                for n in range(28)
                if workdays.is_working_day(first + dt.timedelta(days=n))
            ]
            # Twice a month, as QĐ 11-QĐi/TW asks of a commune's head; now and then only once.
            chosen = [working[2], working[12]] if rng.random() > 0.08 else [working[5]]
            for day in chosen:
                count = rng.randint(0, 9)
                days.append(
                    ReceptionDay(
                        organization_id=commune.pk,
                        head_id=head.pk,
                        date=day,
                        status="HELD",
                        place=place,
                        received_by="Chủ tịch UBND, Chủ tịch UBMTTQ",
                        citizens_count=count,
                        matters="Đèn đường, rác thải, hỗ trợ hộ cận nghèo." if count else "",
                    )
                )
        dialogues = []
        for quarter in range(4):
            day = self.as_of - dt.timedelta(days=30 + 90 * quarter + rng.randint(0, 40))
            dialogues.append(
                Dialogue(
                    organization_id=commune.pk,
                    kind=rng.choice(["CITIZENS", "FORUM"]),
                    topic="Đối thoại với Nhân dân về xây dựng nông thôn mới, đô thị văn minh",
                    date=day,
                    place=place,
                    status="HELD",
                    chaired_by_id=head.pk,
                    participants_count=rng.randint(30, 120),
                    questions="Tiến độ nâng cấp đường giao thông; đèn chiếu sáng; thu gom rác.",
                    answers="Ủy ban nhân dân trả lời, hẹn thời gian khắc phục.",
                )
            )
        for cell in rng.sample(roster.cells, k=min(len(roster.cells), 3)):
            dialogues.append(
                Dialogue(
                    organization_id=cell.pk,
                    kind="DOOR_TO_DOOR",
                    topic="Đi từng ngõ, rõ từng nhà",
                    date=self.as_of - dt.timedelta(days=rng.randint(10, 300)),
                    status="HELD",
                    participants_count=rng.randint(10, 40),
                )
            )
        ReceptionDay.objects.bulk_create(days, batch_size=self.batch_size)
        Dialogue.objects.bulk_create(dialogues, batch_size=self.batch_size)
        self.reception_days += len(days)
        self.dialogues += len(dialogues)
        return days, dialogues

    # --- feedback ---------------------------------------------------------------------------------------
    def write(self, roster: Roster) -> None:
        self.roster = roster
        head = self._head(roster)
        if head is None or not roster.cells:
            return
        days, dialogues = self._activities(roster, head)
        members = sum(len(roster.members_on(c.pk, self.as_of)) for c in roster.cells)
        items, steps = [], []
        for _n in range(round(members * FEEDBACK_PER_MEMBER)):
            item, item_steps = self._item(roster, days, dialogues)
            items.append(item)
            steps.append(item_steps)
        Feedback.objects.bulk_create(items, batch_size=self.batch_size)
        updates = [
            FeedbackUpdate(feedback_id=item.pk, **step)
            for item, item_steps in zip(items, steps, strict=True)
            for step in sorted(item_steps, key=lambda s: s["at"])
        ]
        insert_rows(FeedbackUpdate, updates, batch_size=self.batch_size)
        self.feedback += len(items)
        self.updates += len(updates)

    def _item(self, roster: Roster, days, dialogues) -> tuple[Feedback, list[dict]]:
        rng = self.rng
        code = rng.choices([c[0] for c in CATEGORIES], weights=CATEGORY_WEIGHTS)[0]
        category = self.cats[code]
        area = rng.choice(roster.cells)
        channel = _pick(rng, CHANNELS)
        received_day = self.as_of - dt.timedelta(days=rng.randint(1, 365))
        reception = dialogue = None
        if channel == Channel.RECEPTION:
            reception = rng.choice(days)
            received_day = reception.date
        elif channel in (Channel.DIALOGUE, Channel.FORUM):
            dialogue = rng.choice(dialogues[:4])
            received_day = dialogue.date
        received = _at(received_day, rng.randint(7, 19), rng.randint(0, 59))
        contact = channel != Channel.WEB or rng.random() < 0.6
        item = Feedback(
            code=self._code(),
            public_id=f"{rng.getrandbits(64):016x}",
            kind=category.default_kind,
            channel=channel,
            category=category,
            status=S.RECEIVED,
            receiving_org=roster.commune,
            area=area,
            address=f"Tổ {rng.randint(1, 12)}, {area.name}",
            title="",
            description=rng.choice(TEXTS[code]).format(n=rng.randint(1, 30)),
            reporter_name=rng.choice(NAMES) if contact else "",
            reporter_phone=f"09{rng.randint(10000000, 99999999)}" if contact else "",
            consent_at=received if contact else None,
            reception_day=reception,
            dialogue=dialogue,
            several_units=rng.random() < 0.05,
            received_at=received,
        )
        item.title = item.description[:80]
        item.deadline_at = (
            acceptance_deadline(item)
            if item.kind in (FeedbackKind.COMPLAINT, FeedbackKind.DENUNCIATION)
            else deadline_for(item, start=received)
        )
        steps = [self._step(item, U.RECEIVED, "", received)]
        self._live(item, steps, roster)
        return item, steps

    def _step(
        self, item: Feedback, kind: str, previous: str, at: dt.datetime, text: str = "", **extra
    ) -> dict:
        return {
            "at": at,
            "kind": kind,
            "from_status": previous,
            "to_status": item.status,
            "text": text,
            **extra,
        }

    def _live(self, item: Feedback, steps: list[dict], roster: Roster) -> None:
        """Walk the item's course step by step; stop at the first step that would fall on the reference date or
        later."""
        rng, end = self.rng, self.end
        fate = _pick(rng, FATES)
        cursor = item.received_at

        def later(low_hours: int, high_hours: int) -> dt.datetime | None:
            nonlocal cursor
            cursor = cursor + dt.timedelta(hours=rng.randint(low_hours, max(low_hours, high_hours)))
            return cursor if cursor < end else None

        if fate == "reject":
            at = later(4, 60)
            if at:
                item.status, item.closed_at = S.REJECTED, at
                steps.append(
                    self._step(item, U.REJECTED, S.RECEIVED, at, "Nội dung trùng với phản ánh đã giải quyết.")
                )
            return self._escalate(item, steps)
        # Slow units take weeks to classify and to start: their items are the ones still open and overdue.
        at = later(2, 50) if fate != "slow" else later(24, 24 * 45)
        if at is None:
            return self._escalate(item, steps)
        item.status = S.ASSIGNED
        item.organization = item.area if rng.random() < 0.3 else roster.commune
        item.assigned_at = at
        if item.kind in (FeedbackKind.COMPLAINT, FeedbackKind.DENUNCIATION):
            item.deadline_at = deadline_for(item, start=at)
        steps.append(self._step(item, U.ASSIGNED, S.RECEIVED, at, organization_id=item.organization.pk))
        if fate == "transfer":
            at = later(24, 120)
            if at:
                item.status, item.closed_at = S.TRANSFERRED, at
                steps.append(
                    self._step(
                        item,
                        U.TRANSFERRED,
                        S.ASSIGNED,
                        at,
                        "Chuyển đến UBND xã: thuộc thẩm quyền chính quyền.",
                    )
                )
            return self._escalate(item, steps)
        at = later(4, 72) if fate != "slow" else later(24, 24 * 60)
        if at is None:
            return self._escalate(item, steps)
        item.status = S.IN_PROGRESS
        steps.append(self._step(item, U.STARTED, S.ASSIGNED, at))
        # Most answers come in time; slow items take longer than their deadline.
        budget = max(1, int((item.deadline_at - cursor).total_seconds() // 3600))
        at = later(2, budget if fate != "slow" else budget * 3 + 48)
        if at is None:
            return self._escalate(item, steps)
        item.status, item.answer, item.answered_at = S.ANSWERED, rng.choice(ANSWERS), at
        steps.append(self._step(item, U.ANSWERED, S.IN_PROGRESS, at, item.answer))
        if fate == "stale" or (fate == "slow" and rng.random() < 0.5):
            at = later(14 * 24, 15 * 24)
            if at:
                item.status, item.closed_at = S.CLOSED, at
                steps.append(self._step(item, U.CLOSED, S.ANSWERED, at, "Quá 14 ngày không đánh giá."))
            return
        at = later(2, 240)
        if at is None:
            return
        rating = rng.choices([5, 4, 3, 2, 1], weights=[35, 30, 15, 10, 10])[0] if fate != "reopen" else 1
        item.status, item.rating, item.rated_at, item.closed_at = S.CLOSED, rating, at, at
        steps.append(self._step(item, U.RATED, S.ANSWERED, at, f"{rating}/5 sao."))
        if fate == "reopen":
            at = later(24, 200)
            if at:
                item.status, item.closed_at = S.REOPENED, None
                item.reopen_count = 1
                item.deadline_at = deadline_for(item, start=at)
                steps.append(self._step(item, U.REOPENED, S.CLOSED, at, "Tình trạng tái diễn sau vài ngày."))
                self._escalate(item, steps)

    def _escalate(self, item: Feedback, steps: list[dict]) -> None:
        """An open item overdue by the policy's working days went up one level when the nightly job ran."""
        if (
            item.status not in (S.RECEIVED, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED)
            or item.deadline_at >= self.end
        ):
            return
        overdue_since = timezone.localtime(item.deadline_at).date()
        if self._escalate_after is None:
            self._escalate_after = policies.policy("citizens.escalate_after_working_days", self.as_of)
        day = workdays.add_working_days(overdue_since, self._escalate_after)
        at = _at(day, 2)
        if at >= self.end or at <= item.deadline_at:
            return
        # A cell's overdue item goes to the commune above it; a commune's to the province.
        base = item.organization or item.receiving_org
        upper = self.root if base.pk == self.roster.commune.pk else self.roster.commune
        item.escalated_at, item.escalated_to = at, upper
        steps.append(
            self._step(
                item,
                U.ESCALATED,
                "",
                at,
                f"Quá hạn từ {overdue_since:%d/%m/%Y}: chuyển lên {upper.name}.",
                public=False,
                organization_id=upper.pk,
            )
        )
