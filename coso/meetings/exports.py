"""Files the meetings app produces: the minutes as .docx in the official layout and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import selectors
from .models import Meeting, Minutes, MinutesStatus

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


def _percent(value: float) -> str:
    """A percentage written the Vietnamese way: a decimal comma (95,8)."""
    return f"{value:g}".replace(".", ",")


def minutes_docx(meeting: Meeting, minutes: Minutes) -> bytes:
    """The minutes as Word: the official header (upper committee and cell on the left, the Party's name on the
    right), title, time and place, chair and minute-taker, attendance figures, body, conclusion, resolutions
    with their votes, and the two signatures. Always in Vietnamese: it is a Party record."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    org = meeting.organization
    parent = org.parent
    local = timezone.localtime(meeting.starts_at)
    rows = selectors.attendance_rows(meeting)
    figures = selectors.meeting_figures(meeting, rows)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    header = document.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    left_top, right_top = header.rows[0].cells
    left_bottom, right_bottom = header.rows[1].cells
    left_top.text = (parent.name if parent else "").upper()
    left_bottom.text = org.name.upper()
    right_top.text = PARTY
    right_bottom.text = f"{meeting.place or ''}, ngày {local:%d} tháng {local:%m} năm {local:%Y}".strip(", ")
    for cell in (left_top, left_bottom, right_top):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True
    for paragraph in right_bottom.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in paragraph.runs:
            run.italic = True

    kind_title = {
        "REGULAR": "THƯỜNG KỲ THÁNG {m}/{y}",
        "THEMATIC": "CHUYÊN ĐỀ THÁNG {m}/{y}",
        "STUDY": "HỌC TẬP NGHỊ QUYẾT THÁNG {m}/{y}",
        "CELL_COMMITTEE": "CHI ỦY THÁNG {m}/{y}",
    }[meeting.kind].format(m=f"{local:%m}", y=local.year)
    if meeting.kind == "REGULAR" and meeting.combined_thematic:
        kind_title = f"THƯỜNG KỲ KẾT HỢP CHUYÊN ĐỀ THÁNG {local:%m}/{local.year}"
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"BIÊN BẢN SINH HOẠT CHI BỘ {kind_title}")
    run.bold = True
    run.font.size = Pt(14)
    if minutes.number > 1:
        note = document.add_paragraph(
            f"(Bản điều chỉnh lần {minutes.number - 1}: {minutes.correction_reason})"
        )
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if meeting.title:
        subtitle = document.add_paragraph(meeting.title)
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

    end = local + dt.timedelta(minutes=meeting.duration_minutes)
    document.add_paragraph(f"Thời gian: bắt đầu lúc {local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}.")
    document.add_paragraph(f"Địa điểm: {meeting.place or '…'}.")
    document.add_paragraph(f"Chủ trì: {meeting.chair.full_name if meeting.chair else '…'}.")
    document.add_paragraph(f"Thư ký: {meeting.minute_taker.full_name if meeting.minute_taker else '…'}.")
    guests = list(meeting.guests.select_related("member"))
    if guests:
        names = "; ".join(f"{g.display_name}{f' ({g.role})' if g.role else ''}" for g in guests)
        document.add_paragraph(f"Khách mời: {names}.")
    document.add_paragraph(
        f"Tổng số đảng viên của chi bộ: {figures.total} (đảng viên dự bị: {figures.probationary}); "
        f"miễn sinh hoạt: {figures.exempted}; phải có mặt: {figures.must_attend}; có mặt: {figures.attended}; "
        f"vắng: {figures.absent} (có lý do: {figures.excused}, không lý do: {figures.unexcused})."
    )
    probationary_rule = (
        "tính cả đảng viên dự bị" if figures.probationary_counted else "không tính đảng viên dự bị"
    )
    document.add_paragraph(
        f"Số đảng viên tính tỷ lệ dự sinh hoạt: {figures.base} ({probationary_rule}, {figures.rule_source}); "
        f"số đảng viên biểu quyết (đảng viên chính thức trừ miễn sinh hoạt): {figures.vote_base}."
    )
    if figures.rate is not None:
        document.add_paragraph(f"Tỷ lệ đảng viên dự sinh hoạt: {_percent(figures.rate)}%.")
    for label, absent in (("có lý do", figures.excused_rows), ("không lý do", figures.unexcused_rows)):
        for row in absent:
            document.add_paragraph(
                f"Vắng {label}: {row.member.full_name}{f' ({row.reason})' if row.reason else ''}.",
                style="List Bullet",
            )

    document.add_heading("I. PHẦN MỞ ĐẦU", level=2)
    for line in (minutes.opening or "").splitlines() or [""]:
        document.add_paragraph(line)
    document.add_heading("II. NỘI DUNG SINH HOẠT", level=2)
    for index, item in enumerate(minutes.items, start=1):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{index}. {item.get('title', '')}").bold = True
        for line in (item.get("opinions") or "").splitlines():
            document.add_paragraph(line)
    document.add_heading("III. KẾT LUẬN", level=2)
    for line in (minutes.conclusion or "").splitlines() or [""]:
        document.add_paragraph(line)
    resolutions = list(minutes.resolutions.all())
    if resolutions:
        document.add_heading("IV. BIỂU QUYẾT", level=2)
        table = document.add_table(rows=1, cols=6)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            (
                "Nội dung",
                "Tán thành",
                "Không tán thành",
                "Không biểu quyết",
                "Số đảng viên biểu quyết",
                "Kết quả",
            ),
            strict=True,
        ):
            cell.text = text
        for resolution in resolutions:
            share = round(100 * resolution.votes_for / resolution.base, 1) if resolution.base else 0
            cells = table.add_row().cells
            cells[0].text = resolution.text
            # The kind decides the threshold (more than half, or at least two thirds): the minutes say which.
            with translation.override("vi"):
                cells[0].add_paragraph(f"({resolution.get_kind_display()})")
            cells[1].text = f"{resolution.votes_for} ({_percent(share)}%)"
            cells[2].text = str(resolution.votes_against)
            cells[3].text = str(resolution.votes_abstain)
            cells[4].text = str(resolution.base)
            cells[5].text = "Thông qua" if resolution.passed else "Không thông qua"
    document.add_paragraph(f"Sinh hoạt kết thúc lúc {end:%H} giờ {end:%M} phút cùng ngày.")
    if minutes.status == MinutesStatus.APPROVED and minutes.approved_at:
        document.add_paragraph(
            f"Biên bản đã được chủ trì duyệt ngày {timezone.localtime(minutes.approved_at):%d/%m/%Y}."
        )

    signatures = document.add_table(rows=3, cols=2)
    labels = (("THƯ KÝ", "CHỦ TRÌ"), ("(Ký, ghi rõ họ tên)", "(Ký, ghi rõ họ tên)"))
    for r, pair in enumerate(labels):
        for c, text in enumerate(pair):
            cell = signatures.rows[r].cells[c]
            cell.text = text
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if r == 0:
                cell.paragraphs[0].runs[0].bold = True
    names = (
        meeting.minute_taker.full_name if meeting.minute_taker else "",
        meeting.chair.full_name if meeting.chair else "",
    )
    for c, name in enumerate(names):
        cell = signatures.rows[2].cells[c]
        cell.text = f"\n\n\n{name}"
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def meetings_ics(meetings: list[Meeting], *, base_url: str) -> bytes:
    """An iCalendar of the meetings (one VEVENT each, stable UID, cancelled ones omitted by the selector)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Coso//meetings//VI")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Party meetings"))
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    base = base_url.rstrip("/")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@coso")
        event.add("summary", f"{meeting.title} · {meeting.organization.name}")
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes))
        event.add("dtstamp", meeting.updated_at)
        if meeting.place:
            event.add("location", meeting.place)
        agenda = "\n".join(f"{item.order}. {item.title}" for item in meeting.agenda_items.all())
        event.add("description", "\n".join(x for x in (meeting.topic, agenda) if x))
        event.add("url", base + reverse("meetings:detail", args=[meeting.pk]))
        event.add("status", "CONFIRMED" if meeting.status != "PLANNED" else "TENTATIVE")
        event.add("sequence", meeting.version)
        calendar.add_component(event)
    return calendar.to_ical()
