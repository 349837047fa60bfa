"""Files of the review cycle: the ratings of a cycle as XLSX (one row a review, every step's rating), and a
review as Word in the layout of the official forms (Mẫu 2A-2C for individuals, 01 for collectives; HD 43)."""

from __future__ import annotations

from io import BytesIO

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from coso.core.exporters import rows_to_xlsx
from coso.orgs.models import Position

from .grading import Grade
from .manifestations import Manifestation
from .models import AnnualReview, RatingLevel, RatingStep, ReviewCycle, ReviewKind

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"


def _label(value: str) -> str:
    return str(Grade(value).label) if value else ""


def _last_steps(reviews) -> dict[int, dict[str, RatingStep]]:
    """The last step of each level for each review: one query for the whole list."""
    last: dict[int, dict[str, RatingStep]] = {}
    steps = RatingStep.objects.filter(review__in=reviews).order_by("review_id", "created_at", "id")
    for step in steps:
        last.setdefault(step.review_id, {})[step.level] = step
    return last


def ratings_headers() -> list[str]:
    return [
        _("Organization"),
        _("Kind"),
        _("Member"),
        _("Status"),
        _("Self-proposed rating"),
        _("Self-proposed score"),
        _("Cell's proposal"),
        _("Votes for"),
        _("Votes against"),
        _("Committee's proposal"),
        _("Decision"),
        _("Score"),
    ]


def ratings_rows(reviews) -> list[list]:
    reviews = list(reviews)
    last = _last_steps(reviews)
    rows = []
    for review in reviews:
        steps = last.get(review.pk, {})
        cell = steps.get(RatingLevel.CELL)
        committee = steps.get(RatingLevel.COMMITTEE)
        decision = steps.get(RatingLevel.DECISION) if review.decided_at else None
        rows.append(
            [
                review.organization.name,
                str(ReviewKind(review.kind).label),
                review.member.full_name if review.member_id else "",
                review.get_status_display(),
                _label(review.self_grade),
                review.self_score,
                _label(cell.grade) if cell else "",
                cell.votes_for if cell else None,
                cell.votes_against if cell else None,
                _label(committee.grade) if committee else "",
                _label(decision.grade) if decision else "",
                decision.score if decision else None,
            ]
        )
    return rows


def ratings_xlsx(cycle: ReviewCycle, reviews) -> bytes:
    return rows_to_xlsx(ratings_headers(), ratings_rows(reviews), sheet_title=_("Ratings"))


def summary_xlsx(cycle: ReviewCycle, table: dict) -> bytes:
    """The ratings summary as on the page: per unit, each grade's count and share, the total, last year's."""
    headers = [_("Organization"), _("Rated")]
    for _value, label in Grade.choices:
        headers += [str(label), f"{label} (%)"]
    rows = []
    for row in [*table["rows"], table["total"], *([table["last"]] if table["last"] else [])]:
        if row is table["total"]:
            name = pgettext("ratings summary", "Total")
        elif row is table["last"]:
            name = _("Last year (%(year)s)") % {"year": cycle.year - 1}
        else:
            name = row.organization.name
        values = [name, row.rated]
        for _grade, count, percent in row.cells:
            values += [count, percent]
        rows.append(values)
    return rows_to_xlsx(headers, rows, sheet_title=_("Summary"))


def review_docx(review: AnnualReview) -> bytes:
    """The review form as Word, always in Vietnamese (a Party record): the official header, the title of the
    form, the reviewed person or collective, the sections of the self-review, the self-check, the proposed
    rating, then every step's rating."""
    with translation.override("vi"):
        return _review_docx(review)


def _review_docx(review: AnnualReview) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cycle = review.cycle
    org = review.organization
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    individual = review.kind == ReviewKind.INDIVIDUAL
    form_code = "Mẫu 01"
    if individual:
        # 2A for members holding a leadership seat on the review date, 2B for the others (HD 43; where 2C, for
        # members outside the political system, begins is UNSURE, so it is not chosen automatically).
        seated = Position.objects.filter(member=review.member, starts_on__lte=cycle.review_date).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=cycle.review_date)
        )
        form_code = "Mẫu 2A" if seated.exists() else "Mẫu 2B"

    header = document.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    (left_top, right_top), (left_bottom, right_bottom) = (row.cells for row in header.rows)
    left_top.text = (
        cycle.organization.name if individual else (org.parent.name if org.parent else "")
    ).upper()
    left_bottom.text = org.name.upper()
    right_top.text = PARTY
    day = timezone.localdate(review.submitted_at) if review.submitted_at else cycle.review_date
    right_bottom.text = f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"
    for cell in (left_top, left_bottom, right_top):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True
    code = document.add_paragraph(form_code)
    code.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = "BẢN KIỂM ĐIỂM CÁ NHÂN" if individual else "BÁO CÁO KIỂM ĐIỂM TẬP THỂ"
    run = title.add_run(f"{heading}\nNăm {cycle.year}")
    run.bold = True
    run.font.size = Pt(14)
    if individual:
        member = review.member
        document.add_paragraph(f"Họ và tên: {member.full_name}. Ngày sinh: {member.date_of_birth:%d/%m/%Y}.")
        document.add_paragraph(f"Chi bộ: {org.name}.")
    else:
        document.add_paragraph(f"Tập thể: {org.name}.")

    sections = [
        ("I. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC", review.strengths),
        ("II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", review.shortcomings),
        ("III. TRÁCH NHIỆM", review.responsibility),
        ("IV. GIẢI TRÌNH CÁC VẤN ĐỀ ĐƯỢC GỢI Ý KIỂM ĐIỂM", review.prompt_answers),
        (
            "V. KẾT QUẢ KHẮC PHỤC HẠN CHẾ, KHUYẾT ĐIỂM ĐÃ ĐƯỢC CẤP CÓ THẨM QUYỀN KẾT LUẬN",
            review.earlier_shortcomings_fixed,
        ),
        ("VI. KẾT QUẢ THỰC HIỆN KẾ HOẠCH HỌC TẬP VÀ LÀM THEO", review.plan_result),
    ]
    for heading_text, body in sections:
        paragraph = document.add_paragraph()
        paragraph.add_run(heading_text).bold = True
        document.add_paragraph(body or "…")
    if individual:
        paragraph = document.add_paragraph()
        paragraph.add_run("VII. TỰ SOI, TỰ SỬA VỀ 27 BIỂU HIỆN SUY THOÁI").bold = True
        if review.manifestations:
            for code_value in review.manifestations:
                document.add_paragraph(
                    f"{code_value}. {Manifestation(code_value).label}", style="List Bullet"
                )
        else:
            document.add_paragraph("Không có biểu hiện nào.")
    paragraph = document.add_paragraph()
    paragraph.add_run("TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG").bold = True
    score = f" ({review.self_score} điểm)" if review.self_score is not None else ""
    document.add_paragraph(f"{Grade(review.self_grade).label if review.self_grade else '…'}{score}.")
    steps = list(review.steps.order_by("created_at", "id"))
    if steps:
        paragraph = document.add_paragraph()
        paragraph.add_run("CÁC BƯỚC ĐÁNH GIÁ, XẾP LOẠI").bold = True
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("Bước", "Mức xếp loại", "Điểm", "Biểu quyết, ý kiến"), strict=True
        ):
            cell.text = text
        for step in steps:
            vote = (
                f"{step.votes_for} tán thành, {step.votes_against} không tán thành"
                if step.votes_for is not None
                else ""
            )
            values = (
                str(RatingLevel(step.level).label),
                str(Grade(step.grade).label) if step.grade else "",
                "" if step.score is None else str(step.score),
                "; ".join(part for part in (vote, step.reason) if part),
            )
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
    signature = document.add_paragraph("NGƯỜI TỰ KIỂM ĐIỂM" if individual else "T/M CHI BỘ")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
