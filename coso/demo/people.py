"""Believable people for demo and generated data: Vietnamese names, ages, IDs and membership histories.

Everything is drawn from one `random.Random`, so the same seed and reference date give the same people. A
`Person` is only a plan (record fields, membership periods, events); `coso.demo.bulk` writes it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from coso.members.models import EventKind, Gender, PeriodKind, TheoryLevel
from coso.members.rules import add_months

# Family names as they are spread in the Mekong delta (weights roughly per 1,000 people).
FAMILY_KINH = {
    "Nguyễn": 330,
    "Trần": 110,
    "Lê": 95,
    "Phạm": 55,
    "Huỳnh": 55,
    "Võ": 45,
    "Phan": 40,
    "Trương": 25,
    "Đặng": 20,
    "Bùi": 18,
    "Hồ": 18,
    "Ngô": 15,
    "Dương": 14,
    "Đỗ": 12,
    "Lâm": 12,
    "Đoàn": 10,
    "Châu": 10,
    "Hoàng": 10,
    "Mai": 8,
    "Cao": 8,
    "Tô": 7,
    "Lương": 6,
    "Thái": 6,
    "Đinh": 5,
    "Tạ": 4,
    "Lưu": 4,
}
MIDDLE_MALE = {
    "Văn": 420,
    "Minh": 80,
    "Thanh": 60,
    "Hoàng": 45,
    "Quốc": 45,
    "Hữu": 40,
    "Tấn": 35,
    "Công": 30,
    "Thành": 30,
    "Chí": 25,
    "Trọng": 20,
    "Phước": 20,
    "Ngọc": 20,
    "Hoài": 15,
    "Duy": 15,
    "Đức": 15,
    "Tuấn": 10,
    "Trung": 10,
}
MIDDLE_FEMALE = {
    "Thị": 520,
    "Ngọc": 80,
    "Thanh": 50,
    "Kim": 45,
    "Mỹ": 40,
    "Thu": 35,
    "Hồng": 30,
    "Bích": 25,
    "Phương": 20,
    "Thúy": 20,
    "Huỳnh": 10,
    "Diễm": 10,
    "Cẩm": 10,
}
# A second middle name, mostly for people born after 1980 ("Nguyễn Thị Mỹ Linh").
SECOND_MIDDLE_FEMALE = ["Mỹ", "Ngọc", "Thanh", "Kim", "Bảo", "Thu", "Diễm", "Phương"]
SECOND_MIDDLE_MALE = ["Minh", "Hoàng", "Quốc", "Thanh", "Tấn", "Gia", "Hữu"]
GIVEN_MALE = (
    "Hùng Dũng Tuấn Minh Hải Sơn Thắng Phong Long Nam Khang Phúc Tâm Tài Trí Nghĩa Hiếu Thanh Quang Huy Vinh "
    "Toàn Tùng Lộc Sang Tín Thành Kiệt Đạt Bảo Khoa Nhân Lực Hòa Bình An Cường Duy Hậu Lợi Phát Tú Út Hưởng "
    "Mến Ẩn Triều Hiền Thuận Đức Quân Nhựt Trung Hoàng Khải Luân Tính"
).split()
GIVEN_FEMALE = (
    "Lan Hoa Hồng Mai Hương Hạnh Thảo Trang Linh Ngọc Nhung Phương Thủy Hà Yến Tuyết Loan Diễm Nga Trinh "
    "Hằng Hiền Nhi Vy Trâm Thư Uyên Xuân Dung Liên Hòa Huệ Cúc Đào Kiều Oanh Quyên Thắm My Ngân Tiên Nương "
    "Bé Giang Châu Hậu Thơ Vân Anh"
).split()
# Khmer and Hoa names as they are written on Vietnamese records.
FAMILY_KHMER = {"Thạch": 30, "Danh": 25, "Sơn": 20, "Kim": 15, "Lâm": 10, "Châu": 10, "Lý": 8}
GIVEN_KHMER_MALE = [
    "Sà Rinh",
    "Sóc Kha",
    "Chanh Đa",
    "Sa Ry",
    "Pho",
    "Sang",
    "Rươl",
    "Thươl",
    "Sà Ron",
    "Ếch",
]
GIVEN_KHMER_FEMALE = ["Sa Vân", "Sóc Khêm", "Thị Sa Ri", "Thị Nang", "Sà Phia", "Thị Chanh Thu", "Thị Sóc Na"]
FAMILY_HOA = {"Lý": 25, "Trương": 20, "Quách": 15, "Lưu": 12, "Mã": 10, "Diệp": 10, "Hứa": 8, "Tăng": 8}

# Where people were born: (province code of the citizen ID, home town text).
BIRTHPLACES = [
    ("093", "Vị Thanh, Hậu Giang", 40),
    ("093", "Vị Thủy, Hậu Giang", 12),
    ("093", "Long Mỹ, Hậu Giang", 10),
    ("093", "Phụng Hiệp, Hậu Giang", 6),
    ("093", "Châu Thành A, Hậu Giang", 4),
    ("092", "Ninh Kiều, Cần Thơ", 6),
    ("092", "Ô Môn, Cần Thơ", 3),
    ("091", "Gò Quao, Kiên Giang", 5),
    ("094", "Kế Sách, Sóc Trăng", 4),
    ("094", "Mỹ Tú, Sóc Trăng", 3),
    ("095", "Giá Rai, Bạc Liêu", 2),
    ("086", "Trà Ôn, Vĩnh Long", 2),
    ("089", "Long Xuyên, An Giang", 2),
    ("096", "Thới Bình, Cà Mau", 1),
]
RELIGIONS_KINH = [("Không", 82), ("Phật giáo", 8), ("Phật giáo Hòa Hảo", 5), ("Công giáo", 3), ("Cao Đài", 2)]
RELIGIONS_KHMER = [("Phật giáo Nam tông Khmer", 60), ("Không", 40)]
RELIGIONS_HOA = [("Không", 70), ("Phật giáo", 30)]
QUALIFICATIONS = [
    ("", 20),
    ("Trung cấp Nông nghiệp", 6),
    ("Cử nhân Luật", 8),
    ("Cử nhân Quản lý nhà nước", 8),
    ("Cử nhân Kinh tế", 8),
    ("Cử nhân Sư phạm", 8),
    ("Kỹ sư Nông nghiệp", 5),
    ("Kỹ sư Xây dựng", 3),
    ("Bác sĩ đa khoa", 2),
    ("Trung cấp Y", 3),
    ("Thạc sĩ Quản lý kinh tế", 3),
    ("Cử nhân Công nghệ thông tin", 3),
    ("Cao đẳng Kế toán", 4),
]
EXTERNAL_PARTIES = [
    "Đảng bộ phường An Hòa, Ninh Kiều, Cần Thơ",
    "Đảng bộ xã Vị Đông, Vị Thủy, Hậu Giang",
    "Đảng bộ phường 7, Quận 3, TP. Hồ Chí Minh",
    "Đảng bộ thị trấn Một Ngàn, Châu Thành A, Hậu Giang",
    "Đảng bộ phường Thuận An, Long Mỹ, Hậu Giang",
    "Đảng bộ xã Thạnh Hòa, Phụng Hiệp, Hậu Giang",
]
PHONE_PREFIXES = ["0939", "0918", "0987", "0353", "0779", "0845", "0913", "0356", "0704", "0966"]


def weighted(rng: random.Random, table) -> str:
    """Pick from a {value: weight} dict or a list of (value, weight) pairs."""
    items = list(table.items()) if isinstance(table, dict) else [(row[0], row[-1]) for row in table]
    total = sum(weight for _value, weight in items)
    pick = rng.uniform(0, total)
    for value, weight in items:
        pick -= weight
        if pick <= 0:
            return value
    return items[-1][0]


@dataclass
class CellProfile:
    """What kind of people a cell has: residents of an area, office staff, teachers, police, soldiers."""

    kind: str = "area"  # area | village | office | school | health | police | army
    address: str = ""  # e.g. "khu vực 3, phường I, thành phố Vị Thanh, Hậu Giang"
    place: str = ""  # street or hamlet names for addresses


# age range, occupations and theory levels by cell profile
_AGES = {
    "area": (22, 85),
    "village": (20, 82),
    "office": (24, 59),
    "school": (24, 58),
    "health": (24, 58),
    "police": (22, 55),
    "army": (21, 52),
}
_OCCUPATIONS = {
    "area": [
        ("Hưu trí", 30),
        ("Kinh doanh", 15),
        ("Công chức", 10),
        ("Viên chức", 10),
        ("Công nhân", 8),
        ("Tự do", 8),
    ],
    "village": [("Nông dân", 45), ("Hưu trí", 20), ("Cán bộ ấp", 10), ("Kinh doanh", 8), ("Giáo viên", 5)],
    "office": [("Công chức", 75), ("Viên chức", 20), ("Người lao động hợp đồng", 5)],
    "school": [("Giáo viên", 85), ("Viên chức", 15)],
    "health": [("Bác sĩ", 35), ("Điều dưỡng", 40), ("Viên chức", 25)],
    "police": [("Công an", 100)],
    "army": [("Quân nhân", 100)],
}
_THEORY = {
    "area": [
        (TheoryLevel.NONE, 15),
        (TheoryLevel.ELEMENTARY, 65),
        (TheoryLevel.INTERMEDIATE, 18),
        (TheoryLevel.ADVANCED, 2),
    ],
    "village": [(TheoryLevel.NONE, 20), (TheoryLevel.ELEMENTARY, 70), (TheoryLevel.INTERMEDIATE, 10)],
    "office": [
        (TheoryLevel.ELEMENTARY, 30),
        (TheoryLevel.INTERMEDIATE, 50),
        (TheoryLevel.ADVANCED, 17),
        (TheoryLevel.BACHELOR, 3),
    ],
    "school": [(TheoryLevel.ELEMENTARY, 70), (TheoryLevel.INTERMEDIATE, 30)],
    "health": [(TheoryLevel.ELEMENTARY, 70), (TheoryLevel.INTERMEDIATE, 30)],
    "police": [(TheoryLevel.ELEMENTARY, 40), (TheoryLevel.INTERMEDIATE, 50), (TheoryLevel.ADVANCED, 10)],
    "army": [(TheoryLevel.ELEMENTARY, 40), (TheoryLevel.INTERMEDIATE, 50), (TheoryLevel.ADVANCED, 10)],
}


@dataclass
class Period:
    organization: object  # an Organization (or anything with a pk) the member belongs to
    starts_on: dt.date
    ends_on: dt.date | None = None
    kind: str = PeriodKind.PERMANENT
    note: str = ""


@dataclass
class Event:
    kind: str
    occurred_on: dt.date
    from_organization: object = None
    to_organization: object = None
    external_party: str = ""
    decision_number: str = ""
    issuing_body: str = ""
    discipline_form: str = ""
    note: str = ""


@dataclass
class Person:
    """One member's record fields and life (periods and events), ready to be written in bulk."""

    data: dict
    periods: list[Period] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def organization(self):
        return self.periods[-1].organization


def _years_ago(today: dt.date, years: int) -> dt.date:
    return add_months(today, -12 * years)


def _random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


class PeopleMaker:
    """Draws unique, rule-abiding people. `used_ids` / `used_cards` may be pre-filled with values in the database."""

    def __init__(
        self,
        rng: random.Random,
        *,
        today: dt.date,
        used_ids: set[str] | None = None,
        used_cards: set[str] | None = None,
        card_prefix: str = "93",
    ):
        self.rng = rng
        self.today = today
        self.used_ids = used_ids if used_ids is not None else set()
        self.used_cards = used_cards if used_cards is not None else set()
        self.card_prefix = card_prefix
        self._card_counter = rng.randint(10_000, 60_000)

    # --- names -----------------------------------------------------------------------------------------
    def name(self, gender: str, born: dt.date, ethnicity: str) -> str:
        rng = self.rng
        female = gender == Gender.FEMALE
        if ethnicity == "Khmer":
            family = weighted(rng, FAMILY_KHMER)
            given = rng.choice(GIVEN_KHMER_FEMALE if female else GIVEN_KHMER_MALE)
            if female and not given.startswith("Thị"):
                return f"{family} Thị {given}"
            return f"{family} {given}"
        family = weighted(rng, FAMILY_HOA if ethnicity == "Hoa" else FAMILY_KINH)
        middle = weighted(rng, MIDDLE_FEMALE if female else MIDDLE_MALE)
        if born.year >= 1980 and rng.random() < 0.3:
            second = rng.choice(SECOND_MIDDLE_FEMALE if female else SECOND_MIDDLE_MALE)
            middle = second if middle in ("Thị", "Văn") and rng.random() < 0.5 else f"{middle} {second}"
            if middle.split()[0] == middle.split()[-1] and " " in middle:
                middle = middle.split()[0]
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        return f"{family} {middle} {given}"

    # --- identifiers -----------------------------------------------------------------------------------
    def national_id(self, gender: str, born: dt.date, province_code: str) -> str:
        """A 12-digit CCCD whose province, century-gender digit and year agree with the record."""
        century_digit = (born.year // 100 - 19) * 2 + (1 if gender == Gender.FEMALE else 0)
        head = f"{province_code}{century_digit}{born.year % 100:02d}"
        while True:
            value = f"{head}{self.rng.randint(0, 999_999):06d}"
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def card_number(self) -> str:
        while True:
            self._card_counter += self.rng.randint(1, 40)
            value = f"{self.card_prefix}{self._card_counter:06d}"
            if value not in self.used_cards:
                self.used_cards.add(value)
                return value

    def phone(self) -> str:
        return f"{self.rng.choice(PHONE_PREFIXES)}{self.rng.randint(0, 999_999):06d}"

    # --- a whole person --------------------------------------------------------------------------------
    def person(
        self,
        cell,
        profile: CellProfile,
        *,
        gender: str | None = None,
        age: int | None = None,
        probationary: bool = False,
        full_name: str | None = None,
    ) -> Person:
        rng, today = self.rng, self.today
        low, high = _AGES[profile.kind]
        if gender is None:
            female_share = {"school": 0.7, "health": 0.6, "police": 0.15, "army": 0.08}.get(
                profile.kind, 0.35
            )
            gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
        if age is None:
            if probationary:
                age = rng.randint(max(low, 20), min(high, 40))
            else:
                # More people in their forties and fifties, a long tail of retirees in residential cells.
                age = int(min(high, max(low, rng.triangular(low, high, (low + high) / 2 - 5))))
        born = _random_day(rng, _years_ago(today, age + 1) + dt.timedelta(days=1), _years_ago(today, age))
        ethnicity = weighted(rng, [("Kinh", 92), ("Khmer", 5), ("Hoa", 3)])
        province_code, hometown = _birthplace(rng)
        religion = weighted(
            rng, {"Khmer": RELIGIONS_KHMER, "Hoa": RELIGIONS_HOA}.get(ethnicity, RELIGIONS_KINH)
        )
        # Admission: from 18 (counted in months) to 60; most people join between 22 and 40.
        earliest = add_months(born, 18 * 12 + 1)
        latest = min(today - dt.timedelta(days=1), add_months(born, 60 * 12 - 1))
        if probationary:
            admitted = _random_day(
                rng, max(earliest, today - dt.timedelta(days=330)), today - dt.timedelta(days=7)
            )
        else:
            # Most people join between 22 and 40; younger people (or a typical date still ahead) any time
            # from the earliest date allowed to 13 months ago, so they are full members by now.
            latest_ok = min(add_months(today, -13), latest)
            typical = add_months(born, 12 * rng.randint(22, 40) + rng.randint(0, 11))
            typical += dt.timedelta(days=rng.randint(0, 27))
            admitted = typical if earliest <= typical <= latest_ok else _random_day(rng, earliest, latest_ok)
        full_on = None
        if not probationary:
            full_on = add_months(admitted, 12)
            if rng.random() < 0.08:  # recognised a little late: a warning, not an error
                full_on += dt.timedelta(days=rng.randint(5, 40))
            full_on = min(full_on, today)
        data = {
            "full_name": full_name or self.name(gender, born, ethnicity),
            "gender": gender,
            "date_of_birth": born,
            "ethnicity": ethnicity,
            "religion": religion,
            "hometown": hometown,
            "current_address": self.address(profile),
            "national_id": self.national_id(gender, born, province_code),
            "phone": self.phone() if rng.random() < 0.93 else "",
            "email": "",
            "education": "12/12" if born.year >= 1965 or rng.random() < 0.6 else "9/12",
            "professional_qualification": weighted(rng, QUALIFICATIONS)
            if profile.kind in ("area", "village")
            else _office_qualification(rng, profile.kind),
            "theory_level": weighted(rng, _THEORY[profile.kind]),
            "occupation": _occupation(rng, profile.kind, age),
            "card_number": self.card_number() if full_on else "",
            "admitted_on": admitted,
            "full_member_on": full_on,
            "working_away": profile.kind == "village" and age < 50 and rng.random() < 0.06,
        }
        if data["phone"] and rng.random() < 0.15:
            data["email"] = f"dv{data['phone'][-6:]}@vithanh.gov.vn" if profile.kind == "office" else ""
        person = Person(data=data)
        events = [Event(EventKind.ADMISSION, admitted, issuing_body="Thành ủy Vị Thanh")]
        if full_on:
            events.append(Event(EventKind.RECOGNITION, full_on, issuing_body="Thành ủy Vị Thanh"))
        person.events = events
        start = admitted
        note = ""
        if not probationary and rng.random() < 0.12:
            # Came from elsewhere: the first period in this cell starts after the admission.
            start = _random_day(rng, full_on or admitted, today - dt.timedelta(days=30))
            note = "Chuyển đến từ " + rng.choice(EXTERNAL_PARTIES)
        person.periods = [Period(cell, start, note=note)]
        return person

    def address(self, profile: CellProfile) -> str:
        number = self.rng.randint(1, 480)
        if profile.kind == "village":
            return f"Tổ {self.rng.randint(1, 12)}, {profile.address}"
        return f"Số {number}, {profile.place or 'đường Trần Hưng Đạo'}, {profile.address}".strip(", ")

    # --- later life ------------------------------------------------------------------------------------
    def transfer(self, person: Person, to_cell, *, on: dt.date | None = None) -> None:
        """Move a current member to another cell (both in Coso): close the period, open one, record it."""
        current = person.periods[-1]
        settled = person.data["full_member_on"] or person.data["admitted_on"]
        start = max(current.starts_on + dt.timedelta(days=30), settled + dt.timedelta(days=1))
        on = on or _random_day(self.rng, start, self.today - dt.timedelta(days=20))
        if on <= current.starts_on or on >= self.today:
            return
        current.ends_on = on
        person.periods.append(Period(to_cell, on))
        person.events.append(
            Event(
                EventKind.TRANSFER,
                on,
                from_organization=current.organization,
                to_organization=to_cell,
                decision_number=f"{self.rng.randint(10, 980)}-QĐ/ĐU",
            )
        )

    def end(self, person: Person, kind: str, *, on: dt.date | None = None) -> None:
        """Exemption, death or transfer out of Coso (the period closes for the last two)."""
        current = person.periods[-1]
        floor = max(current.starts_on, person.data["full_member_on"] or person.data["admitted_on"])
        if kind == EventKind.EXEMPTION:
            born = person.data["date_of_birth"]
            floor = max(floor, add_months(born, 70 * 12))
        on = on or _random_day(self.rng, floor + dt.timedelta(days=1), self.today - dt.timedelta(days=3))
        if on > self.today:
            return
        event = Event(kind, on)
        if kind == EventKind.TRANSFER_OUT:
            event.external_party = self.rng.choice(EXTERNAL_PARTIES)
            event.from_organization = current.organization
            event.decision_number = f"{self.rng.randint(10, 980)}-QĐ/ĐU"
        elif kind == EventKind.EXEMPTION:
            event.note = "Tuổi cao, sức yếu; chi bộ xét miễn công tác và sinh hoạt đảng."
        elif kind == EventKind.DEATH:
            event.note = "Từ trần."
        if kind in (EventKind.TRANSFER_OUT, EventKind.DEATH):
            current.ends_on = on
        person.events.append(event)

    def discipline(self, person: Person) -> None:
        since = person.periods[-1].starts_on
        on = _random_day(self.rng, since, self.today - dt.timedelta(days=10))
        person.events.append(
            Event(
                EventKind.DISCIPLINE,
                on,
                discipline_form="REPRIMAND",
                decision_number=f"{self.rng.randint(10, 300)}-QĐ/UBKT",
                issuing_body="Ủy ban Kiểm tra Thành ủy Vị Thanh",
                note="Vi phạm quy định về sinh hoạt đảng.",
            )
        )


def _birthplace(rng: random.Random) -> tuple[str, str]:
    code_and_town = weighted(rng, [((code, town), weight) for code, town, weight in BIRTHPLACES])
    return code_and_town


def _occupation(rng: random.Random, kind: str, age: int) -> str:
    if kind in ("area", "village") and age >= 60:
        return "Hưu trí" if rng.random() < 0.8 else weighted(rng, _OCCUPATIONS[kind])
    return weighted(rng, [(job, weight) for job, weight in _OCCUPATIONS[kind] if job != "Hưu trí"])


def _office_qualification(rng: random.Random, kind: str) -> str:
    return weighted(
        rng,
        {
            "office": [
                ("Cử nhân Luật", 25),
                ("Cử nhân Quản lý nhà nước", 30),
                ("Cử nhân Kinh tế", 25),
                ("Thạc sĩ Quản lý kinh tế", 20),
            ],
            "school": [("Cử nhân Sư phạm", 80), ("Thạc sĩ Giáo dục học", 20)],
            "health": [("Bác sĩ đa khoa", 35), ("Cử nhân Điều dưỡng", 45), ("Dược sĩ", 20)],
            "police": [("Cử nhân An ninh", 60), ("Cử nhân Cảnh sát", 40)],
            "army": [("Cử nhân Quân sự", 70), ("Trung cấp Quân sự", 30)],
        }[kind],
    )
