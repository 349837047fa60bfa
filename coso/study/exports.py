"""Campaign report: per-organization figures and the members' report status, as XLSX and as DOCX."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles import Font

from coso.core.exporters import append_row, rows_to_xlsx

from . import selectors
from .models import Grade, ReportStatus, StudyCampaign

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def organization_headers() -> list[str]:
    return [
        _("Organization"),
        _("Members to study"),
        _("Exempted"),
        _("Sessions held"),
        _("Attendance rate (%)"),
        _("Not yet studied"),
        _("Reports submitted"),
        _("Reports reviewed"),
        _("Reports returned"),
        _("Submitted late"),
        _("Not submitted"),
    ]


def organization_rows(progress: selectors.Progress):
    for row in progress.rows:
        yield [
            "  " * row.depth + row.organization.name,
            row.required,
            row.exempted,
            row.sessions_held,
            row.attendance_rate if row.attendance_rate is not None else "",
            row.not_studied,
            row.submitted,
            row.reviewed,
            row.returned,
            row.late,
            row.not_submitted,
        ]


def member_headers() -> list[str]:
    return [
        _("Full name"),
        _("Organization"),
        _("Attended a session"),
        _("Report"),
        _("Grade"),
        _("Submitted late"),
        _("Submitted on"),
    ]


def member_rows(members):
    statuses = dict(ReportStatus.choices)
    grades = dict(Grade.choices)
    for member in members:
        submitted = member.report_submitted_at
        yield [
            member.full_name,
            member.organization.name,
            _("Yes") if member.studied else _("No"),
            str(statuses.get(member.report_status, _("Not started"))),
            str(grades.get(member.report_grade, "")),
            _("Yes") if member.report_late else "",
            timezone.localtime(submitted).strftime("%d/%m/%Y") if submitted else "",
        ]


def campaign_xlsx(*, actor, campaign: StudyCampaign) -> bytes:
    progress = selectors.campaign_progress(actor=actor, campaign=campaign)
    content = rows_to_xlsx(
        organization_headers(), organization_rows(progress), sheet_title=_("Organizations")
    )
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.create_sheet(_("Members"))
    append_row(sheet, member_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in member_rows(selectors.campaign_member_rows(actor=actor, campaign=campaign)):
        append_row(sheet, values)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFG", (30, 30, 12, 18, 10, 8, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def campaign_docx(*, actor, campaign: StudyCampaign) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    progress = selectors.campaign_progress(actor=actor, campaign=campaign)
    document = Docx()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    header = document.add_paragraph()
    header.add_run(_("COMMUNIST PARTY OF VIETNAM")).bold = True
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(campaign.organization.name.upper()).runs[0].bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(_("REPORT ON THE STUDY CAMPAIGN"))
    run.bold = True
    run.font.size = Pt(15)
    subtitle = document.add_paragraph(campaign.title)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        _("Documents: %(documents)s") % {"documents": "; ".join(str(d) for d in campaign.documents.all())}
    )
    document.add_paragraph(
        _("From %(start)s; sessions held by %(deadline)s; learning reports due on %(due)s.")
        % {
            "start": campaign.starts_on.strftime("%d/%m/%Y"),
            "deadline": campaign.deadline.strftime("%d/%m/%Y"),
            "due": campaign.report_due_on.strftime("%d/%m/%Y"),
        }
    )
    total = progress.total
    if total is not None:
        document.add_paragraph(
            _(
                "%(studied)s of %(required)s members have studied (%(exempted)s exempted); %(submitted)s learning "
                "reports submitted, %(reviewed)s reviewed, %(late)s late."
            )
            % {
                "studied": total.studied,
                "required": total.required,
                "exempted": total.exempted,
                "submitted": total.submitted,
                "reviewed": total.reviewed,
                "late": total.late,
            }
        )
    document.add_heading(_("1. Figures per organization"), level=2)
    _table(document, organization_headers(), organization_rows(progress))
    document.add_heading(_("2. Members and their learning reports"), level=2)
    _table(
        document,
        member_headers(),
        member_rows(selectors.campaign_member_rows(actor=actor, campaign=campaign)),
    )
    document.add_paragraph(
        _("Made on %(date)s.") % {"date": timezone.localdate().strftime("%d/%m/%Y")}
    ).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, headers, rows) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
        cell.paragraphs[0].runs[0].bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)
