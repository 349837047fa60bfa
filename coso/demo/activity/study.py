"""Study campaigns and learning reports for generated data.

The province launches the study of a resolution six weeks before the reference date (still in progress: its
reports were due five days before, so some are late and some still drafts); each commune ran its own campaign
earlier in the year (closed, its reports reviewed). Many cells still hand in learning reports on paper: only
the members of the cells that use the app have a report in it (about one cell in twenty per campaign), which
gives about one report for ten members over the two campaigns.

Rules followed (`study.services`): a report exists only for a member the campaign requires on its start day
(`campaign_requires`: full or probationary, in the campaign's subtree); `due_on` is the campaign's
`report_due_on`; a submitted report has `submitted_at` and is `late` when submitted after `due_on`
(`report_submit`); a reviewed one has a grade GOOD or PASS, a comment and `reviewed_at`; a returned one the
grade REDO, the reviewer's comment and `reviewed_at` (`report_review` / `report_return`); a draft has none of
these. The reviewing organization is the member's cell (`reviewer_for`: generated members hold no committee
seat), and no reviewer is named since generated cells have no secretary's seat.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coso.core.text import nfc
from coso.study.models import (
    CampaignStatus,
    Document,
    DocumentKind,
    Grade,
    LearningReport,
    ReportStatus,
    StudyCampaign,
)
from coso.study.services import REQUIRED_STATUSES

from .roster import Roster

S = ReportStatus
ADOPTION = 0.05  # share of cells whose members write their reports in the app, per campaign

DOCUMENTS = [
    (DocumentKind.RESOLUTION, "57-NQ/TW", "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
     "và chuyển đổi số quốc gia", "Bộ Chính trị", dt.date(2024, 12, 22)),
    (DocumentKind.DIRECTIVE, "50-CT/TW", "Chỉ thị về nâng cao chất lượng sinh hoạt chi bộ trong giai đoạn mới",
     "Ban Bí thư", dt.date(2025, 7, 23)),
    (DocumentKind.GUIDANCE, "12-HD/BTCTW", "Hướng dẫn một số vấn đề về nâng cao chất lượng sinh hoạt chi bộ",
     "Ban Tổ chức Trung ương", dt.date(2018, 5, 18)),
]  # fmt: skip
REPORT_TEXTS = [
    "Qua học tập, bản thân nhận thức rõ hơn trách nhiệm của đảng viên; tôi sẽ gương mẫu thực hiện và vận động "
    "gia đình, bà con trong khu dân cư cùng thực hiện.",
    "Điều tâm đắc nhất là lấy người dân làm trung tâm. Bản thân cam kết học tập kỹ năng số, tham gia sinh hoạt "
    "đầy đủ và đóng góp ý kiến xây dựng chi bộ.",
    "Liên hệ bản thân: còn hạn chế trong việc nắm tình hình nhân dân; thời gian tới sẽ đi từng ngõ, gặp từng nhà.",
]
RETURN_COMMENTS = ["Bổ sung phần liên hệ bản thân.", "Nêu rõ việc làm cụ thể trong năm tới."]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def documents(root, as_of: dt.date) -> list[Document]:
    """The documents studied (created once per generated province; Document.save derives the search column)."""
    result = []
    for kind, number, title, body, issued in DOCUMENTS:
        if issued >= as_of:
            continue
        doc = Document(
            organization=root, kind=kind, number=number, title=title, issuing_body=body, issued_on=issued
        )
        doc.save()
        result.append(doc)
    return result


def _campaign(org, docs, *, title, starts_on, deadline, report_due_on, status) -> StudyCampaign:
    campaign = StudyCampaign.objects.create(
        organization=org,
        title=nfc(title),
        description="Các chi bộ tổ chức học tập; mỗi đảng viên viết bài thu hoạch, liên hệ bản thân.",
        starts_on=starts_on,
        deadline=deadline,
        report_due_on=report_due_on,
        status=status,
    )
    campaign.documents.set(docs)
    return campaign


def province_campaign(root, docs, as_of: dt.date) -> StudyCampaign:
    return _campaign(
        root,
        docs[:1],
        title=f"Học tập, quán triệt {docs[0].number} trong Đảng bộ tỉnh" if docs else "Học tập nghị quyết",
        starts_on=as_of - dt.timedelta(days=45),
        deadline=as_of - dt.timedelta(days=12),
        report_due_on=as_of - dt.timedelta(days=5),
        status=CampaignStatus.ACTIVE,
    )


class StudyWriter:
    def __init__(self, *, rng: random.Random, as_of: dt.date, docs, province: StudyCampaign, batch_size: int):
        self.rng = rng
        self.as_of = as_of
        self.docs = docs
        self.province = province
        self.batch_size = batch_size
        self.campaigns = 1
        self.reports = 0

    def write(self, roster: Roster) -> None:
        rng, as_of = self.rng, self.as_of
        starts = as_of - dt.timedelta(days=rng.randint(150, 240))
        commune = _campaign(
            roster.commune,
            self.docs[1:] or self.docs,
            title="Quán triệt Chỉ thị 50-CT/TW về nâng cao chất lượng sinh hoạt chi bộ",
            starts_on=starts,
            deadline=starts + dt.timedelta(days=30),
            report_due_on=starts + dt.timedelta(days=40),
            status=CampaignStatus.CLOSED,
        )
        self.campaigns += 1
        rows = self._reports(roster, commune, closed=True) + self._reports(
            roster, self.province, closed=False
        )
        LearningReport.objects.bulk_create(rows, batch_size=self.batch_size)
        self.reports += len(rows)

    def _reports(self, roster: Roster, campaign: StudyCampaign, *, closed: bool) -> list[LearningReport]:
        rng = self.rng
        rows = []
        for cell in roster.cells:
            if rng.random() >= ADOPTION:
                continue
            for life, status in roster.members_on(cell.pk, campaign.starts_on):
                if status not in REQUIRED_STATUSES or rng.random() < 0.08:
                    continue  # a few never open the app: their report is not there at all
                rows.append(self._report(campaign, cell, life, closed=closed))
        return [row for row in rows if row is not None]

    def _report(self, campaign: StudyCampaign, cell, life, *, closed: bool) -> LearningReport:
        rng, as_of = self.rng, self.as_of
        report = LearningReport(
            campaign_id=campaign.pk,
            member_id=life.pk,
            due_on=campaign.report_due_on,
            reviewer_organization_id=cell.pk,
            body=rng.choice(REPORT_TEXTS),
        )
        roll = rng.random()
        if not closed and roll < 0.12:
            report.status = S.DRAFT  # started, not sent yet
            return report
        offset = rng.randint(3, (campaign.report_due_on - campaign.starts_on).days + 6)
        submitted = _at(campaign.starts_on + dt.timedelta(days=offset), rng.randint(7, 21))
        latest = _at(as_of - dt.timedelta(days=1), 20)
        submitted = min(submitted, latest)
        report.status = S.SUBMITTED
        report.submitted_at = submitted
        report.late = timezone.localtime(submitted).date() > report.due_on
        review = rng.random()
        if closed or review < 0.55:
            reviewed = min(submitted + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 5)), latest)
            if review < 0.07:
                report.status, report.grade = S.RETURNED, Grade.REDO
                report.comment = rng.choice(RETURN_COMMENTS)
            elif review < 0.12 and not closed:
                return report  # still waiting for the secretary
            else:
                report.status = S.REVIEWED
                report.grade = Grade.GOOD if rng.random() < 0.35 else Grade.PASS
                report.comment = (
                    "Đạt yêu cầu." if report.grade == Grade.PASS else "Bài viết tốt, liên hệ sâu sắc."
                )
            report.reviewed_at = reviewed
        return report
