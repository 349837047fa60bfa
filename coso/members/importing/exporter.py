"""Member lists as XLSX with the import columns (so an export imports back with no change), and the template.

Exports stream: members come from the database in chunks (`.iterator()`) into a write-only workbook, so a list
of a whole province does not sit in memory. Dates are real Excel dates shown as dd/mm/yyyy; numbers that are
identifiers (CCCD, card, phone) are text so Excel keeps their leading zeros.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from coso.accounts import permissions
from coso.accounts.services import access_log_record
from coso.core.exporters import as_text, looks_like_formula
from coso.orgs.models import Organization

from .. import selectors
from ..models import Member
from ..personal import Level, level_checker, level_of
from .columns import (
    COLUMNS,
    DATE,
    FLAG,
    FLAG_TEXT,
    GENDER,
    GENDER_TEXT,
    ORGANIZATION_CODE,
    ORGANIZATION_NAME,
    THEORY,
    THEORY_TEXT,
    Column,
)

DATE_FORMAT = "DD/MM/YYYY"
SHEET_TITLE = "Đảng viên"
_WIDTHS = {DATE: 12, GENDER: 9, FLAG: 11}


def export_columns(*, personal: bool) -> list[Column]:
    """The import columns; personal ones (birth date, CCCD, phone, e-mail, address) only when allowed."""
    return [column for column in COLUMNS if personal or not column.personal]


def member_values(member: Member, columns: list[Column], *, personal=True) -> list:
    """The row of one member; `personal` is the viewer's level (coso.members.personal) or a bool."""
    if isinstance(personal, bool):
        personal = Level.SENSITIVE if personal else Level.PEER
    values = []
    for column in columns:
        if (column.personal and personal < Level.PERSONAL) or level_of(column.field) > personal:
            values.append(None)
            continue
        if column.field == ORGANIZATION_CODE:
            value = member.organization.code
        elif column.field == ORGANIZATION_NAME:
            value = member.organization.name
        else:
            value = getattr(member, column.field)
        if column.kind == GENDER:
            value = GENDER_TEXT.get(value, value)
        elif column.kind == THEORY:
            value = THEORY_TEXT.get(value, value)
        elif column.kind == FLAG:
            value = FLAG_TEXT[bool(value)]
        values.append(value if value not in ("",) else None)
    return values


def _sheet(workbook: Workbook, title: str, columns: list[Column]):
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        width = _WIDTHS.get(column.kind, max(len(column.header) + 2, 16))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    return sheet


def _row(sheet, values: list) -> list:
    cells = []
    for value in values:
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            cells.append(cell)
        elif looks_like_formula(value):
            cells.append(as_text(WriteOnlyCell(sheet, value=value)))  # text typed as =..., never a formula
        else:
            cells.append(value)
    return cells


def members_xlsx(
    members: Iterable[Member], *, columns: list[Column], personal: Callable[[Member], object], shown=None
) -> tuple[bytes, int]:
    """The workbook and the number of members in it; `shown` collects the members written with personal data."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, SHEET_TITLE, columns)
    count = 0
    for member in members:
        level = personal(member)
        sheet.append(_row(sheet, member_values(member, columns, personal=level)))
        if shown is not None and level and level >= Level.PERSONAL:
            shown.append(_Shown(member.pk, member.full_name, member.organization.path))
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def template_xlsx(*, cell_code: str = "", cell_name: str = "") -> bytes:
    """Headers, one example row and a sheet of instructions in the user's language (Vietnamese first)."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, SHEET_TITLE, list(COLUMNS))
    example = []
    for column in COLUMNS:
        if column.field == ORGANIZATION_CODE:
            example.append(cell_code or column.example)
        elif column.field == ORGANIZATION_NAME:
            example.append(cell_name or column.example)
        else:
            example.append(column.example or None)
    sheet.append(_row(sheet, example))
    guide = workbook.create_sheet(_("Instructions"))
    guide.column_dimensions["A"].width = 32
    guide.column_dimensions["B"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(first: str, second: str = "", *, bold: bool = False) -> None:
        a = WriteOnlyCell(guide, value=first)
        b = WriteOnlyCell(guide, value=second)
        a.alignment = b.alignment = wrap
        if bold:
            a.font = Font(bold=True)
        guide.append([a, b])

    line(_("How to fill in the member list"), bold=True)
    for text in (
        _(
            "Fill one row per party member in the sheet “Đảng viên”, under the header row; delete the example row."
        ),
        _(
            "Keep the column headers. Columns may be in any order; headers are matched without regard to case or accents."
        ),
        _("Write dates as dd/mm/yyyy (for example 19/05/2010) or use Excel date cells."),
        _(
            "Required columns: Họ và tên, Giới tính, Ngày sinh, Ngày vào Đảng, and the cell (Mã chi bộ or Chi bộ)."
        ),
        _(
            "The cell is given by its code (Mã chi bộ) or its exact name (Chi bộ); it must be an active cell "
            "in the organization you import into."
        ),
        _(
            "Existing members are recognised by their national ID (CCCD), then by their party card number: "
            "their row updates the record. Importing the same file again changes nothing."
        ),
        _("An empty cell leaves the stored value unchanged."),
        _(
            "If any row has an error, nothing is imported: correct the rows listed in the report and import again."
        ),
    ):
        line("•", text)
    line("")
    line(_("Column"), _("What to write"), bold=True)
    hints = {
        "full_name": _("Family name, middle name(s) and given name."),
        "gender": _("Nam or Nữ."),
        "date_of_birth": _(
            "dd/mm/yyyy. At admission the member must have been 18 to 60 years old (in months)."
        ),
        "national_id": _("12 digits, matching the gender and the year of birth."),
        "phone": _("A Vietnamese phone number, e.g. 0912345678."),
        "education": _("For example 12/12 or 9/12."),
        "theory_level": _("Sơ cấp, Trung cấp, Cao cấp, Cử nhân, or empty."),
        "card_number": _("The number on the party card (full members only)."),
        "admitted_on": _("dd/mm/yyyy, not in the future."),
        "full_member_on": _(
            "dd/mm/yyyy, at least 12 months after the admission; empty for probationary members."
        ),
        "working_away": _("Có or Không."),
        ORGANIZATION_CODE: _("The code of the cell in Coso."),
        ORGANIZATION_NAME: _("The name of the cell, if you do not give its code."),
    }
    for column in COLUMNS:
        line(column.header, hints.get(column.field, ""))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def member_export_xlsx(*, actor, filters: selectors.MemberFilters, request=None) -> tuple[bytes, int]:
    """The filtered member list within the actor's export scope; an export with personal data is logged."""
    if filters.organization is not None:
        permissions.authorize(actor, "members.export", filters.organization.path)
    members = selectors.member_list(actor=actor, filters=filters).filter(
        permissions.scope_q(actor, "members.export", field="organization__path")
    )
    personal = permissions.has_any(actor, "members.view_personal")
    check = level_checker(actor) if personal else (lambda member: Level.PEER)
    columns = [c for c in export_columns(personal=personal) if level_of(c.field) <= _top_level(actor)]
    shown: list[_Shown] = []
    content, count = members_xlsx(
        members.iterator(chunk_size=2000), columns=columns, personal=check, shown=shown
    )
    if shown:
        subject = filters.organization or _top_organization(actor)
        access_log_record(
            actor=actor,
            action="member.export",
            obj=subject,
            label=_("Export of %(count)d members") % {"count": count},
            path=subject.path if subject else "",
            request=request,
            detail=(request.GET.urlencode() if request is not None else "") or _("no filter"),
            items=shown,
        )
    return content, count


@dataclass
class _Shown:
    """What the access log keeps of an exported member (not the whole record, for a province's export)."""

    pk: int
    name: str
    path: str

    @property
    def organization(self):
        return self

    def __str__(self) -> str:
        return self.name


def _top_level(actor) -> Level:
    """The highest level the actor holds anywhere: columns above it are left out of the file."""
    if permissions.has_any(actor, "members.view_sensitive"):
        return Level.SENSITIVE
    if permissions.has_any(actor, "members.view_personal"):
        return Level.PERSONAL
    return Level.PEER


def _top_organization(actor) -> Organization | None:
    """The organization an unfiltered export is logged against: the top of the actor's part of the tree."""
    path = permissions.home_path(actor)
    if path:
        return Organization.objects.filter(path=path).first()
    return Organization.objects.filter(parent__isnull=True).order_by("path").first()
