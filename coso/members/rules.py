"""Rules a member record must satisfy, with Vietnamese messages (via gettext) and dated sources.

`check_member` returns errors (block the save) and warnings (shown, saved anyway); forms, the API and the
importer all use it so that one record gets one verdict everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from coso.core.policies import policy

# Province codes of the 12-digit citizen ID (Circular 07/2016/TT-BCA, codes of the 63 provinces before 2025).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035 036 037 038 "
    "040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 "
    "083 084 086 087 089 091 092 093 094 095 096".split()
)
_NATIONAL_ID = re.compile(r"^\d{12}$")
_CARD_NUMBER = re.compile(r"^[0-9A-Za-z.\-/]{4,20}$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (age in months as the Charter counts it)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def national_id_error(
    value: str, *, gender: str | None = None, date_of_birth: dt.date | None = None
) -> str | None:
    """The reason a citizen ID (CCCD) is invalid, or None.

    Layout: 3 digits province of birth registration, 1 digit century and gender (0/1: 1900s male/female,
    2/3: 2000s, 4/5: 2100s), 2 digits year of birth, 6 serial digits.
    """
    if not _NATIONAL_ID.match(value or ""):
        return _("A national ID (CCCD) has exactly 12 digits.")
    if value[:3] not in PROVINCE_CODES:
        return _("The first three digits of the national ID are not a province code.")
    century_gender = int(value[3])
    if century_gender > 9:
        return _("The fourth digit of the national ID is not valid.")
    century = 1900 + (century_gender // 2) * 100
    if gender in ("M", "F"):
        expected_female = gender == "F"
        if (century_gender % 2 == 1) != expected_female:
            return _("The national ID does not match the gender (fourth digit).")
    if date_of_birth is not None:
        if century + int(value[4:6]) != date_of_birth.year:
            return _("The national ID does not match the year of birth (digits 4 to 6).")
    return None


@dataclass
class Verdict:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def warn(self, name: str, message: str) -> None:
        self.warnings.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_member(data: dict, *, today: dt.date | None = None, rule=policy) -> Verdict:
    """Check the fields of one member record (a dict of cleaned values). `rule` reads a dated policy (an
    importer passes one that remembers its answers: thousands of rows share their admission dates)."""
    today = today or timezone.localdate()
    verdict = Verdict()
    full_name = (data.get("full_name") or "").strip()
    if not full_name:
        verdict.error("full_name", _("The full name is required."))
    elif len(full_name.split()) < 2:
        verdict.error("full_name", _("Enter the full name: family name, middle name(s) and given name."))
    if data.get("gender") not in ("M", "F"):
        verdict.error("gender", _("The gender must be male or female."))
    birth = data.get("date_of_birth")
    admitted = data.get("admitted_on")
    full_on = data.get("full_member_on")
    for name, value in (("date_of_birth", birth), ("admitted_on", admitted), ("full_member_on", full_on)):
        if value and value > today:
            verdict.error(name, _("The date cannot be in the future."))
    if not birth:
        verdict.error("date_of_birth", _("The date of birth is required."))
    if not admitted:
        verdict.error("admitted_on", _("The admission date is required."))
    if birth and admitted:
        age = months_between(birth, admitted)
        low, high = rule("admission.min_age_months", admitted), rule("admission.max_age_months", admitted)
        if age < low:
            verdict.error(
                "admitted_on",
                _(
                    "At admission the member was %(years)d years %(months)d months old; the minimum is %(min)d years."
                )
                % {"years": age // 12, "months": age % 12, "min": low // 12},
            )
        elif age > high:
            verdict.error(
                "admitted_on",
                _(
                    "At admission the member was %(years)d years %(months)d months old; over %(max)d years needs "
                    "a decision of the provincial level."
                )
                % {"years": age // 12, "months": age % 12, "max": high // 12},
            )
    if admitted and full_on:
        due = add_months(admitted, rule("probation.months", admitted))
        if full_on < due:
            verdict.error(
                "full_member_on",
                _("Full membership cannot come before the end of the 12-month probation (%(due)s).")
                % {"due": due.strftime("%d/%m/%Y")},
            )
        elif full_on > due:
            verdict.warn(
                "full_member_on",
                _(
                    "Full membership was recognised after the probation ended (%(due)s); it dates from %(due)s."
                )
                % {"due": due.strftime("%d/%m/%Y")},
            )
    national_id = (data.get("national_id") or "").strip()
    if national_id:
        reason = national_id_error(national_id, gender=data.get("gender"), date_of_birth=birth)
        if reason:
            verdict.error("national_id", reason)
    card = (data.get("card_number") or "").strip()
    if card and not _CARD_NUMBER.match(card):
        verdict.error(
            "card_number", _("The party card number may only contain digits, letters, dots and dashes.")
        )
    if card and not full_on:
        verdict.warn("card_number", _("Party cards are given to full members only."))
    phone = re.sub(r"[\s.\-]", "", data.get("phone") or "")
    if phone and not _PHONE.match(phone):
        verdict.error("phone", _("The phone number must be a Vietnamese number, e.g. 0912345678."))
    return verdict
