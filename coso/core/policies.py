"""Dated rules: every threshold and deadline carries its source and the date it took effect.

A new regulation is a new `Policy` row with a later `effective_from`; the old one stays, so a record is always
checked against the rule that applied on its own date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Policy:
    key: str
    value: Any
    effective_from: dt.date
    source: str


POLICIES: list[Policy] = [
    # Admission age, counted in months at the cell's vote (Charter Art. 1; QĐ 232-QĐ/TW of 20/01/2025, Art. 1).
    Policy("admission.min_age_months", 18 * 12, dt.date(2011, 1, 19), "Điều lệ Đảng 2011, Điều 1"),
    Policy("admission.max_age_months", 60 * 12, dt.date(2011, 1, 19), "Điều lệ Đảng 2011, Điều 1"),
    Policy("admission.min_age_months", 18 * 12, dt.date(2025, 1, 20), "QĐ 232-QĐ/TW (20/01/2025)"),
    Policy("admission.max_age_months", 60 * 12, dt.date(2025, 1, 20), "QĐ 232-QĐ/TW (20/01/2025)"),
    # Probation: 12 months from the admission ceremony (Charter Art. 5).
    Policy("probation.months", 12, dt.date(2011, 1, 19), "Điều lệ Đảng 2011, Điều 5"),
    # Structure (Charter Art. 21-24; QĐ 232-QĐ/TW).
    Policy("cell.min_official_members", 3, dt.date(2011, 1, 19), "Điều lệ Đảng 2011, Điều 21"),
    Policy("cell.committee_min_official_members", 9, dt.date(2011, 1, 19), "Điều lệ Đảng 2011, Điều 24"),
    Policy("cell.committee_max_size", 7, dt.date(2011, 1, 19), "QĐ 232-QĐ/TW (20/01/2025)"),
    Policy("grassroots.committee_min_members", 30, dt.date(2011, 1, 19), "Điều lệ Đảng 2011, Điều 21"),
]


def policy(key: str, on: dt.date | None = None) -> Any:
    """The value of rule `key` in force on date `on` (today when omitted)."""
    return policy_record(key, on).value


def policy_record(key: str, on: dt.date | None = None) -> Policy:
    on = on or dt.date.today()
    candidates = [p for p in POLICIES if p.key == key and p.effective_from <= on]
    if not candidates:
        candidates = sorted((p for p in POLICIES if p.key == key), key=lambda p: p.effective_from)[:1]
    if not candidates:
        raise KeyError(key)
    return max(candidates, key=lambda p: p.effective_from)
