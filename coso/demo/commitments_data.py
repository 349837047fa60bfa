"""Demo hard tasks: the Vị Thanh city committee and each ward/commune commit to their hardest issues of the year.

The city's compensation-complaint and temporary-housing tasks are split into the wards' shares (one ward splits
its share again into area cells), so the city page shows progress rolling up over three levels. Every state
appears: drafts, one awaiting the city's acceptance, tasks under way with dated updates, one reported done and
waiting for verification, one verified, one returned with a reason, one overdue. Compensation tasks link to
citizens' complaints of the same ward when the citizens demo data is there.

Written directly (not through the services, which would notify every demo account of every step), with history
rows, then the progress of every family is rolled up once.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from coso.accounts.permissions import SYSTEM
from coso.commitments.models import HardTask, HardTaskKind, HardTaskStatus, HardTaskUpdate
from coso.commitments.selectors import default_responsible, linkable_feedback
from coso.core.tracking import refresh_progress
from coso.orgs.models import CELL_KINDS, Organization, OrgStatus

from . import city

S = HardTaskStatus

COMPENSATION = (
    "Giải quyết dứt điểm khiếu nại về bồi thường giải phóng mặt bằng khu dân cư {where}",
    "Bồi thường, hỗ trợ đúng và đủ cho các hộ bị thu hồi đất; không để khiếu nại kéo dài, vượt cấp.",
    "100% hồ sơ khiếu nại được trả lời; không còn khiếu nại đông người; các hộ nhận tiền bồi thường.",
)
HOUSING = (
    "Xóa nhà tạm, nhà dột nát cho hộ nghèo, hộ cận nghèo {where}",
    "Vận động nguồn lực xã hội hóa cùng ngân sách để xây mới, sửa chữa nhà cho hộ nghèo, cận nghèo.",
    "Không còn nhà tạm, nhà dột nát trên địa bàn; mỗi căn có biên bản bàn giao.",
)
CELL_MEETINGS = (
    "Nâng cao chất lượng sinh hoạt chi bộ khu dân cư",
    "Nhiều chi bộ khu dân cư sinh hoạt còn hình thức, nội dung chung chung, tỷ lệ đảng viên dự chưa cao.",
    "100% chi bộ sinh hoạt đủ nội dung theo Hướng dẫn 12; tỷ lệ đảng viên dự sinh hoạt từ 90% trở lên.",
)
WARD_OWN = [
    (
        "Khắc phục tình trạng ngập úng tuyến đường {street}",
        "Mưa lớn gây ngập kéo dài, người dân phản ánh nhiều lần.",
        "Nạo vét, nâng cấp hệ thống thoát nước; không còn ngập quá 30 phút sau mưa.",
        HardTaskKind.PRESSING_ISSUE,
    ),
    (
        "Lập lại trật tự lòng lề đường, vỉa hè khu chợ",
        "Buôn bán lấn chiếm lòng đường, vỉa hè gây mất an toàn giao thông.",
        "Vỉa hè thông thoáng; có hợp đồng kinh doanh có thời hạn tại điểm được phép.",
        HardTaskKind.PRESSING_ISSUE,
    ),
    (
        "Khắc phục tình trạng đảng viên đóng đảng phí chậm, sinh hoạt không đều",
        "Một số đảng viên ở chi bộ khu dân cư vắng sinh hoạt nhiều lần, đóng đảng phí chậm.",
        "100% đảng viên đóng đảng phí đúng hạn; không còn đảng viên vắng sinh hoạt không lý do.",
        HardTaskKind.WEAK_LINK,
    ),
    (
        "Giảm tai nạn giao thông và tình trạng thanh thiếu niên đua xe",
        "Tụ tập đua xe ban đêm trên các tuyến đường mới mở.",
        "Không còn điểm nóng đua xe; số vụ tai nạn giảm so với năm trước.",
        HardTaskKind.PRESSING_ISSUE,
    ),
]
RETURN_REASON = "Kiểm tra thực tế còn 2 hộ chưa được bàn giao nhà; đề nghị hoàn thành và gửi biên bản bàn giao của các hộ này."
DONE_TEXT = "Hoàn thành các phần việc đã cam kết; gửi kèm biên bản kiểm tra, nghiệm thu."
UPDATE_TEXTS = [
    "Họp Đảng ủy thống nhất kế hoạch, phân công đồng chí phụ trách từng phần việc.",
    "Rà soát danh sách, khảo sát thực tế tại địa bàn; làm việc với các hộ liên quan.",
    "Tổ chức đối thoại với người dân; giải thích chính sách, tiếp thu ý kiến.",
    "Phối hợp với các ngành chức năng giải quyết các trường hợp vướng mắc.",
    "Sơ kết tiến độ, báo cáo Ban Thường vụ; tiếp tục theo dõi các trường hợp còn lại.",
]


def load(*, scale: float, seed: int, today: dt.date) -> None:
    root = Organization.objects.filter(code=city.CITY[0]).first()
    if root is None or HardTask.objects.filter(organization=root).exists():
        return
    _Builder(random.Random(seed + 8), today, root).build()


class _Builder:
    def __init__(self, rng: random.Random, today: dt.date, root: Organization):
        self.rng = rng
        self.today = today
        self.year = today.year
        self.root = root
        self.now = timezone.now()
        self.pdf_serial = 0

    # --- helpers ---------------------------------------------------------------------------------------------

    def _date(self, days_ago: int) -> dt.date:
        return max(self.today - dt.timedelta(days=days_ago), dt.date(self.year, 1, 2))

    def _task(self, org, spec, *, status, parent=None, where="", due=None, weight=1, responsible=None):
        title, description, target = spec[:3]
        kind = spec[3] if len(spec) > 3 else HardTaskKind.HARD_TASK
        accepted = status not in (S.DRAFT, S.SUBMITTED)
        task = HardTask(
            organization=org,
            title=title.format(where=where, street=where),
            description=description,
            target_result=target,
            kind=kind,
            year=self.year,
            due_date=due or dt.date(self.year, 12, 15),
            status=status,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            weight=weight,
            responsible=responsible or default_responsible(org),
            submitted_at=self.now if status != S.DRAFT else None,
            accepted_at=self.now if accepted else None,
        )
        task.save()
        return task

    def _updates(self, task, progresses: list[int], *, evidence_last: bool = False) -> None:
        count = len(progresses)
        for i, progress in enumerate(progresses):
            update = HardTaskUpdate(
                task=task,
                date=self._date(20 * (count - i) + self.rng.randint(0, 6)),
                text=DONE_TEXT if progress == 100 else UPDATE_TEXTS[i % len(UPDATE_TEXTS)],
                progress=progress,
            )
            if evidence_last and i == count - 1:
                self.pdf_serial += 1
                name = f"bien-ban-{task.organization.code.lower()}-{self.pdf_serial}.pdf"
                update.evidence.save(name, ContentFile(_pdf(task.title)), save=False)
                update.evidence_name = name
            update.save()
        if progresses:
            task.own_progress = progresses[-1]
            if task.status == S.REGISTERED:
                task.status = S.IN_PROGRESS
            task.save()

    def _link_feedback(self, task, org) -> None:
        items = linkable_feedback(actor=SYSTEM, organization=org)
        preferred = items.filter(Q(kind__in=["COMPLAINT", "PETITION"]) | Q(title__icontains="đất"))
        chosen = list(preferred[:2]) or list(items[:1])
        if chosen:
            task.feedback_items.set(chosen)

    # --- the year's commitments ----------------------------------------------------------------------------

    def build(self) -> None:
        today = self.today
        compensation = self._task(self.root, COMPENSATION, status=S.IN_PROGRESS, where="thành phố")
        housing = self._task(self.root, HOUSING, status=S.IN_PROGRESS, where="thành phố")
        meetings = self._task(self.root, (*CELL_MEETINGS, HardTaskKind.WEAK_LINK), status=S.REGISTERED)
        self._updates(meetings, [20, 45])
        units = sorted(
            Organization.objects.filter(parent=self.root, status=OrgStatus.ACTIVE).exclude(
                kind__in=CELL_KINDS
            ),
            # The demo accounts' ward (phường I) first: it splits its share and has the overdue task.
            key=lambda unit: (unit.code != city.DEMO_CELL.rsplit("-", 1)[0], unit.code),
        )
        for index, unit in enumerate(units):
            where = unit.name.replace("Đảng bộ ", "")
            # Every unit takes its share of the city's two tasks.
            comp = self._task(
                unit,
                COMPENSATION,
                status=S.IN_PROGRESS,
                parent=compensation,
                where=where,
                weight=1 + index % 2,
            )
            self._link_feedback(comp, unit)
            house = self._task(unit, HOUSING, status=S.IN_PROGRESS, parent=housing, where=where)
            own_spec = WARD_OWN[index % len(WARD_OWN)]
            own_status = [S.IN_PROGRESS, S.SUBMITTED, S.DRAFT, S.REGISTERED][index % 4]
            own = self._task(unit, own_spec, status=own_status, where=_street(unit))
            if index == 0:
                # phường I splits its compensation share into its area cells (three levels in all).
                cells = list(
                    Organization.objects.filter(
                        parent=unit, status=OrgStatus.ACTIVE, code__contains="-KV"
                    ).order_by("code")[:2]
                )
                for n, cell in enumerate(cells):
                    part = self._task(
                        cell,
                        (
                            "Vận động các hộ khu vực nhận tiền bồi thường, bàn giao mặt bằng",
                            "Một số hộ chưa đồng thuận phương án bồi thường.",
                            "Các hộ trong khu vực nhận tiền và bàn giao mặt bằng.",
                        ),
                        status=S.IN_PROGRESS if n == 0 else S.REGISTERED,
                        parent=comp,
                        due=dt.date(self.year, 11, 30),
                    )
                    if n == 0:
                        self._updates(part, [30, 60])
                comp.own_progress = 0
                comp.save()
            else:
                self._updates(comp, sorted(self.rng.sample(range(10, 95, 5), 2)))
            # The states every page should show, each on a different unit.
            if index == 1:
                self._updates(house, [40, 80, 100], evidence_last=True)
                house.status = S.VERIFIED
                house.reported_done_at = self.now
                house.verified_at = self.now
                house.verification_note = "Đoàn kiểm tra của Thành ủy đã xác minh thực tế tại các hộ."
                house.save()
            elif index == 2:
                self._updates(house, [50, 90, 100], evidence_last=True)
                house.status = S.RETURNED
                house.reported_done_at = None
                house.returned_reason = RETURN_REASON
                house.save()
            elif index == 3:
                self._updates(house, [60, 100], evidence_last=True)
                house.status = S.REPORTED_DONE
                house.reported_done_at = self.now
                house.save()
            else:
                self._updates(house, sorted(self.rng.sample(range(10, 95, 5), 2)))
            if own_status == S.IN_PROGRESS:
                # One task under way past its due date: the overdue flag on every page.
                own.due_date = today - dt.timedelta(days=12 + index)
                own.save()
                self._updates(own, [35])
            elif own_status == S.REGISTERED:
                self._updates(own, [15])
        roots = HardTask.objects.filter(organization__path__startswith=self.root.path, parent__isnull=True)
        refresh_progress(HardTask, roots.values_list("pk", flat=True))


def _street(unit: Organization) -> str:
    return {
        "VT-P1": "Trần Hưng Đạo",
        "VT-P3": "Lê Lợi",
        "VT-P4": "Ngô Quốc Trị",
        "VT-P5": "Trần Ngọc Quế",
        "VT-P7": "Nguyễn Huệ",
    }.get(unit.code, "trung tâm " + unit.name.replace("Đảng bộ ", ""))


def _pdf(title: str) -> bytes:
    """A tiny valid PDF standing in for the scanned minutes (biên bản) a ward would upload."""
    text = "Bien ban kiem tra ket qua thuc hien"
    stream = f"BT /F1 12 Tf 40 780 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
