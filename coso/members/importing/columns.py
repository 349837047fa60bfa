"""The columns of a member file: Vietnamese headers as offices write them, their synonyms, and cell conversion.

The headers are part of the file format (the template, the export and the importer share them), so they are
fixed Vietnamese text, not translated. Headers match whatever the case, accents and spacing ("SO CCCD",
"Số  căn cước", "so can cuoc" are the same column).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from coso.core.text import fold, nfc

from ..models import Gender, TheoryLevel

TEXT, DATE, GENDER, THEORY, FLAG, DIGITS = "text", "date", "gender", "theory", "flag", "digits"
ORGANIZATION_CODE = "organization_code"
ORGANIZATION_NAME = "organization_name"


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str = TEXT
    synonyms: tuple[str, ...] = ()
    required: bool = False
    personal: bool = False
    example: object = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name",
        "Họ và tên",
        synonyms=("Họ tên", "Họ và tên đảng viên", "Tên đảng viên", "Full name", "Name"),
        required=True,
        example="Nguyễn Thị Hoà",
    ),
    Column("gender", "Giới tính", GENDER, ("Giới", "Nam/Nữ", "Gender"), required=True, example="Nữ"),
    Column(
        "date_of_birth",
        "Ngày sinh",
        DATE,
        ("Ngày tháng năm sinh", "Sinh ngày", "Date of birth"),
        required=True,
        personal=True,
        example=dt.date(1985, 3, 12),
    ),
    Column("ethnicity", "Dân tộc", synonyms=("Ethnicity",), example="Kinh"),
    Column("religion", "Tôn giáo", synonyms=("Religion",), example="Không"),
    Column("hometown", "Quê quán", synonyms=("Nguyên quán", "Hometown"), example="Xã Vị Thanh, Hậu Giang"),
    Column(
        "current_address",
        "Nơi ở hiện nay",
        synonyms=("Chỗ ở hiện nay", "Địa chỉ", "Nơi ở", "Nơi cư trú", "Địa chỉ hiện nay", "Address"),
        personal=True,
        example="Số 12, khu vực 1, phường Vị Tân",
    ),
    Column(
        "national_id",
        "Số CCCD",
        DIGITS,
        (
            "CCCD",
            "Số căn cước",
            "Căn cước",
            "Căn cước công dân",
            "Số căn cước công dân",
            "Số CMND/CCCD",
            "CMND/CCCD",
            "Số định danh",
            "Số định danh cá nhân",
            "National ID",
        ),
        personal=True,
        example="093185001234",
    ),
    Column(
        "phone",
        "Số điện thoại",
        synonyms=("Điện thoại", "SĐT", "Số ĐT", "Di động", "Phone"),
        personal=True,
        example="0912345678",
    ),
    Column("email", "Email", synonyms=("E-mail", "Thư điện tử"), personal=True, example=""),
    Column(
        "education",
        "Trình độ giáo dục phổ thông",
        synonyms=("Giáo dục phổ thông", "Trình độ văn hoá", "Văn hoá", "Học vấn", "Education"),
        example="12/12",
    ),
    Column(
        "professional_qualification",
        "Chuyên môn nghiệp vụ",
        synonyms=("Trình độ chuyên môn", "Chuyên môn", "Trình độ chuyên môn nghiệp vụ"),
        example="Đại học Sư phạm",
    ),
    Column(
        "theory_level",
        "Lý luận chính trị",
        THEORY,
        ("Trình độ lý luận chính trị", "LLCT", "Trình độ LLCT", "Political theory"),
        example="Sơ cấp",
    ),
    Column(
        "occupation",
        "Nghề nghiệp",
        synonyms=("Nghề nghiệp hiện nay", "Công việc", "Occupation"),
        example="Giáo viên",
    ),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        DIGITS,
        ("Số thẻ", "Số thẻ Đảng", "Thẻ đảng viên", "Số thẻ ĐV", "Card number"),
        example="93001234",
    ),
    Column(
        "admitted_on",
        "Ngày vào Đảng",
        DATE,
        ("Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày kết nạp vào Đảng", "Admission date"),
        required=True,
        example=dt.date(2010, 5, 19),
    ),
    Column(
        "full_member_on",
        "Ngày chính thức",
        DATE,
        (
            "Ngày công nhận chính thức",
            "Ngày chính thức vào Đảng",
            "Ngày được công nhận đảng viên chính thức",
            "Ngày công nhận đảng viên chính thức",
            "Full-membership date",
        ),
        example=dt.date(2011, 5, 19),
    ),
    Column("working_away", "Đi làm ăn xa", FLAG, ("Làm ăn xa", "Working away"), example="Không"),
    Column(ORGANIZATION_CODE, "Mã chi bộ", synonyms=("Mã tổ chức", "Cell code"), example="A"),
    Column(
        ORGANIZATION_NAME,
        "Chi bộ",
        synonyms=("Tên chi bộ", "Chi bộ sinh hoạt", "Chi bộ đang sinh hoạt", "Cell"),
        example="Chi bộ khu vực 1",
    ),
)
BY_FIELD = {column.field: column for column in COLUMNS}
# Columns offices keep for themselves (row numbers, notes): read past without a remark.
IGNORED_HEADERS = ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú")


def header_key(text) -> str:
    """Fold case, accents and everything but letters and digits: "Số  CCCD" and "so-cccd" are one key."""
    return re.sub(r"[^a-z0-9]", "", fold(nfc(str(text or ""))))


_HEADER_INDEX: dict[str, Column] = {}
for _column in COLUMNS:
    for _text in (_column.header, *_column.synonyms):
        _HEADER_INDEX[header_key(_text)] = _column
_IGNORED = {header_key(text) for text in IGNORED_HEADERS}


def column_for(header) -> Column | None:
    return _HEADER_INDEX.get(header_key(header))


def is_ignored(header) -> bool:
    return header_key(header) in _IGNORED


# --- Cell values ----------------------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_GENDERS = {
    "nam": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "nu": Gender.FEMALE,
    "f": Gender.FEMALE,
}
_GENDERS.update({"female": Gender.FEMALE, "1": Gender.MALE, "0": Gender.FEMALE})
_THEORY = {
    "": TheoryLevel.NONE,
    "khong": TheoryLevel.NONE,
    "chuaco": TheoryLevel.NONE,
    "chuaqua": TheoryLevel.NONE,
    "none": TheoryLevel.NONE,
    "socap": TheoryLevel.ELEMENTARY,
    "elementary": TheoryLevel.ELEMENTARY,
    "trungcap": TheoryLevel.INTERMEDIATE,
    "intermediate": TheoryLevel.INTERMEDIATE,
    "caocap": TheoryLevel.ADVANCED,
    "advanced": TheoryLevel.ADVANCED,
    "cunhan": TheoryLevel.BACHELOR,
    "cunhanchinhtri": TheoryLevel.BACHELOR,
    "bachelorofpolitics": TheoryLevel.BACHELOR,
    "bachelor": TheoryLevel.BACHELOR,
}
_YES = {"co", "x", "1", "yes", "true", "dilamanxa"}
_NO = {"khong", "0", "no", "false", ""}

# What the export writes (and the template shows) for coded values: the Vietnamese words offices use.
GENDER_TEXT = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
THEORY_TEXT = {
    TheoryLevel.NONE: "",
    TheoryLevel.ELEMENTARY: "Sơ cấp",
    TheoryLevel.INTERMEDIATE: "Trung cấp",
    TheoryLevel.ADVANCED: "Cao cấp",
    TheoryLevel.BACHELOR: "Cử nhân",
}
FLAG_TEXT = {True: "Có", False: "Không"}


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the user."""


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value) -> str:
    """A cell as the user typed it, for the report."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def _number_text(value) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell stored as its Excel serial number (a date column formatted as "General").
        if 1 <= value < 100_000:
            result = from_excel(value)
            return result.date() if isinstance(result, dt.datetime) else result
        raise CellError(_("This is not a date; write it as dd/mm/yyyy."))
    text = str(value).strip()
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO_DATE.match(text)
        if not match:
            raise CellError(_("This is not a date; write it as dd/mm/yyyy."))
        year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("This date does not exist; write it as dd/mm/yyyy."))


def convert(column: Column, value, warnings: list[str]):
    """The stored value of one non-blank cell, or CellError. Fixes Excel's habits and says so in `warnings`."""
    if column.kind == DATE:
        return parse_date(value)
    if column.kind == GENDER:
        key = header_key(value)
        if key not in _GENDERS:
            raise CellError(_("The gender must be “Nam” or “Nữ”."))
        return _GENDERS[key]
    if column.kind == THEORY:
        key = header_key(value)
        if key not in _THEORY:
            raise CellError(_("Unknown political theory level; use Sơ cấp, Trung cấp, Cao cấp or Cử nhân."))
        return _THEORY[key]
    if column.kind == FLAG:
        key = header_key(value)
        if key in _YES:
            return True
        if key in _NO:
            return False
        raise CellError(_("Write “Có” or “Không”."))
    if column.kind == DIGITS:
        number = _number_text(value)
        if number is not None:
            # Excel drops the leading zero of numbers such as a CCCD starting with 0.
            if column.field == "national_id" and len(number) == 11:
                warnings.append(_("The leading zero that Excel dropped was restored."))
                return "0" + number
            return number
        return re.sub(r"[\s.]", "", nfc(str(value))) if column.field == "national_id" else nfc(str(value))
    # Plain text.
    number = _number_text(value)
    if number is not None:
        if column.field == "phone" and len(number) == 9:
            warnings.append(_("The leading zero that Excel dropped was restored."))
            return "0" + number
        return number
    if isinstance(value, dt.datetime | dt.date):
        if column.field == "education":
            # Excel reads "12/12" as the twelfth of December.
            return f"{value.day}/{value.month}"
        return display(value)
    text = nfc(str(value))
    if column.field == "email":
        try:
            validate_email(text)
        except ValidationError:
            raise CellError(_("This is not an e-mail address."))
    return text
