"""Commitments (hard tasks, weak links, pressing issues) of a generated province for the year before the
reference date: two province tasks shared out to every commune, each commune's own tasks in every state, and
the weak links a few cells committed to, each with a responsible member and dated progress updates.

Rules followed (`commitments.services`): the responsible person is a member of the organization
(`_check`); a part is for the same year as its whole, due no later, and points to the family's root
(`family_root_id`); `submitted_at` from submission on, `accepted_at` from acceptance on (registered, in
progress, reported done, verified, and returned after acceptance); a task reported done or verified has
`own_progress` 100 and an update with evidence (`_on_report_done`), a verified one `verified_at` and its
note; a returned one the reason and no `reported_done_at` (`_on_return`); the first update of a registered
task starts it (in progress). Titles are NFC with their folded search column (`TrackedItem.save`), and the
progress of every family is rolled up with `core.tracking.refresh_progress`, as each service does.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from coso.commitments.models import HardTask, HardTaskKind, HardTaskStatus, HardTaskUpdate
from coso.core.text import fold, nfc
from coso.core.tracking import refresh_progress
from coso.members.models import MemberStatus

from .roster import Roster

S = HardTaskStatus
K = HardTaskKind
EVIDENCE = "commitments/evidence/generated/bien-ban-nghiem-thu.pdf"

PROVINCE_TASKS = [
    ("Xóa nhà tạm, nhà dột nát cho hộ nghèo, hộ cận nghèo {where}", K.HARD_TASK,
     "Không còn nhà tạm, nhà dột nát trên địa bàn; mỗi căn có biên bản bàn giao."),
    ("Giải quyết dứt điểm khiếu nại đông người, kéo dài {where}", K.PRESSING_ISSUE,
     "100% vụ việc được giải quyết; không để khiếu nại vượt cấp."),
]  # fmt: skip
COMMUNE_TASKS = [
    ("Khắc phục tình trạng ngập úng các tuyến đường {where}", K.PRESSING_ISSUE,
     "Nạo vét, nâng cấp thoát nước; không còn ngập quá 30 phút sau mưa."),
    ("Nâng cao chất lượng sinh hoạt chi bộ khu dân cư {where}", K.WEAK_LINK,
     "100% chi bộ sinh hoạt đủ nội dung; tỷ lệ đảng viên dự từ 90% trở lên."),
    ("Lập lại trật tự lòng lề đường, vỉa hè khu chợ {where}", K.PRESSING_ISSUE,
     "Vỉa hè thông thoáng; hộ kinh doanh có hợp đồng tại điểm được phép."),
]  # fmt: skip
CELL_TASK = (
    "Khắc phục tình trạng đảng viên vắng sinh hoạt, đóng đảng phí chậm",
    K.WEAK_LINK,
    "Không còn đảng viên vắng sinh hoạt không lý do; đảng phí đóng đúng hạn.",
)
UPDATE_TEXTS = [
    "Họp thống nhất kế hoạch, phân công đồng chí phụ trách từng phần việc.",
    "Rà soát, khảo sát thực tế tại địa bàn; làm việc với các hộ liên quan.",
    "Phối hợp với các ngành chức năng giải quyết các trường hợp vướng mắc.",
    "Sơ kết tiến độ, báo cáo cấp ủy cấp trên; tiếp tục theo dõi.",
]
DONE_TEXT = "Hoàn thành các phần việc đã cam kết; gửi kèm biên bản kiểm tra, nghiệm thu."
# The commune's own tasks go through every state; weights of each.
STATES = [(S.DRAFT, 6), (S.SUBMITTED, 8), (S.REGISTERED, 8), (S.IN_PROGRESS, 40), (S.REPORTED_DONE, 12),
          (S.VERIFIED, 18), (S.RETURNED, 8)]  # fmt: skip
MIN_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def evidence_file() -> str:
    """One small PDF (the acceptance record) shared by the generated updates that carry evidence."""
    if not default_storage.exists(EVIDENCE):
        return default_storage.save(EVIDENCE, ContentFile(MIN_PDF))
    return EVIDENCE


def _first_full(roster: Roster, cell_id: int, day: dt.date):
    return next(
        (life for life, status in roster.members_on(cell_id, day) if status == MemberStatus.FULL), None
    )


class CommitmentWriter:
    def __init__(self, *, rng: random.Random, as_of: dt.date, root, batch_size: int):
        self.rng = rng
        self.root = root
        self.as_of = as_of
        self.year = as_of.year - 1 if as_of.month == 1 else as_of.year
        self.batch_size = batch_size
        self.evidence = evidence_file()
        self.tasks = self.updates = 0
        self.province_tasks: list[HardTask] = []

    def _task(
        self, org_id: int, spec, *, where: str, status: str, responsible, parent=None, due=None
    ) -> HardTask:
        rng = self.rng
        title, kind, target = spec
        title = nfc(title.format(where=where).strip())
        start = dt.date(self.year, 1, 1) + dt.timedelta(days=rng.randint(5, 50))
        task = HardTask(
            organization_id=org_id,
            responsible_id=getattr(responsible, "pk", None),
            title=title,
            title_folded=fold(title),
            description="Cam kết với cấp ủy cấp trên, theo dõi đến khi giải quyết dứt điểm.",
            target_result=target,
            kind=kind,
            year=self.year,
            due_date=due or dt.date(self.year, rng.choice([9, 11, 12]), 15),
            status=status,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            weight=1,
        )
        if parent is not None:
            task.due_date = min(task.due_date, parent.due_date)
        if status != S.DRAFT:
            task.submitted_at = _at(start)
        accepted = status in (S.REGISTERED, S.IN_PROGRESS, S.REPORTED_DONE, S.VERIFIED) or (
            status == S.RETURNED and rng.random() < 0.6
        )
        if accepted:
            task.accepted_at = _at(start + dt.timedelta(days=rng.randint(3, 15)))
        task._start = start  # for the updates' dates (not a field)
        return task

    def _updates(self, task: HardTask) -> list[HardTaskUpdate]:
        """Dated updates for an accepted task; the last one of a task reported done carries the evidence."""
        rng = self.rng
        if task.status == S.RETURNED:
            task.returned_reason = "Kiểm tra thực tế còn việc chưa hoàn thành; đề nghị bổ sung minh chứng."
        if task.accepted_at is None or task.status == S.REGISTERED:
            return []
        done = task.status in (S.REPORTED_DONE, S.VERIFIED) or (
            task.status == S.RETURNED and rng.random() < 0.5
        )
        count = rng.randint(1, 4)
        first = timezone.localtime(task.accepted_at).date() + dt.timedelta(days=7)
        last = min(task.due_date, self.as_of - dt.timedelta(days=5))
        span = max(1, (last - first).days)
        progress, rows = 0, []
        for i in range(count):
            progress = min(95, progress + rng.randint(10, 35))
            rows.append(
                HardTaskUpdate(
                    task_id=task.pk,
                    date=first + dt.timedelta(days=span * (i + 1) // (count + 1)),
                    text=UPDATE_TEXTS[i % len(UPDATE_TEXTS)],
                    progress=progress,
                )
            )
        if done:
            rows.append(
                HardTaskUpdate(
                    task_id=task.pk,
                    date=last,
                    text=DONE_TEXT,
                    progress=100,
                    evidence=self.evidence,
                    evidence_name="bien-ban-nghiem-thu.pdf",
                )  # fmt: skip
            )
        if task.status in (S.REPORTED_DONE, S.VERIFIED):
            task.own_progress = 100
            task.reported_done_at = _at(last, 16)
            if task.status == S.VERIFIED:
                task.verified_at = _at(
                    min(last + dt.timedelta(days=rng.randint(2, 10)), self.as_of - dt.timedelta(days=1))
                )
                task.verification_note = "Kiểm tra thực tế: đã giải quyết dứt điểm."
        else:
            task.own_progress = rows[-1].progress if not done else 90
        return rows

    def province(self, root, lead) -> None:
        """The province's own tasks, shared out to the communes (in progress all year; their progress rolls up
        from the communes' parts)."""
        tasks = [
            self._task(
                root.pk,
                spec,
                where="trên địa bàn tỉnh",
                status=S.IN_PROGRESS,
                responsible=lead,
                due=dt.date(self.year, 12, 20),
            )  # fmt: skip
            for spec in PROVINCE_TASKS
        ]
        HardTask.objects.bulk_create(tasks)
        self.province_tasks = tasks
        self.tasks += len(tasks)

    def write(self, roster: Roster) -> None:
        rng = self.rng
        commune = roster.commune
        where = commune.name.removeprefix("Đảng bộ ").lower()
        mid_year = dt.date(self.year, 6, 30)
        lead = next((p for c in roster.cells if (p := _first_full(roster, c.pk, mid_year))), None)
        if not self.province_tasks and self.root is not None:
            self.province(self.root, lead)
        tasks: list[HardTask] = []
        for parent in self.province_tasks:
            status = rng.choice([S.IN_PROGRESS, S.IN_PROGRESS, S.REPORTED_DONE, S.VERIFIED])
            tasks.append(self._task(commune.pk, PROVINCE_TASKS[self.province_tasks.index(parent)], where=where,
                                    status=status, responsible=lead, parent=parent))  # fmt: skip
        for spec in rng.sample(COMMUNE_TASKS, k=2):
            tasks.append(
                self._task(commune.pk, spec, where=where, status=_weighted(rng, STATES), responsible=lead)
            )
        for cell in roster.cells:
            if rng.random() < 0.05:
                person = _first_full(roster, cell.pk, mid_year)
                if person is not None:
                    tasks.append(
                        self._task(
                            cell.pk, CELL_TASK, where="", status=_weighted(rng, STATES), responsible=person
                        )
                    )
        HardTask.objects.bulk_create(tasks, batch_size=self.batch_size)
        updates = [row for task in tasks for row in self._updates(task)]
        HardTask.objects.bulk_update(
            tasks,
            ["own_progress", "reported_done_at", "verified_at", "verification_note", "returned_reason"],
            batch_size=self.batch_size,
        )
        HardTaskUpdate.objects.bulk_create(updates, batch_size=self.batch_size)
        refresh_progress(HardTask, [t.pk for t in tasks if t.parent_id is None])
        self.tasks += len(tasks)
        self.updates += len(updates)

    def finish(self) -> None:
        refresh_progress(HardTask, [t.pk for t in self.province_tasks])


def _weighted(rng: random.Random, table):
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]
