"""Dated rules: every threshold and deadline carries its source and the date it took effect.

A new regulation is a new `Policy` row with a later `effective_from`; the old one stays, so a record is always
checked against the rule that applied on its own date.
"""

from __future__ import annotations

import datetime as dt
import json
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


# ---------------------------------------------------------------------------------------------------- overrides
# An operator can replace the value of a rule for the whole installation (UNSURE values, local rules) with a
# COSO_<APP>_POLICIES environment variable holding a JSON object, e.g.
#   COSO_CITIZENS_POLICIES='{"citizens.escalate_after_working_days": 3}'
# The override wins over every dated row of that key; the source shown is the variable's name.


def parse_overrides(name: str, raw: str | None) -> dict[str, Any]:
    """The JSON object of environment variable `name` (empty when unset); a clear error when it is not one."""
    from django.core.exceptions import ImproperlyConfigured

    if raw is None or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a JSON object such as '{{\"citizens.complaint.days\": 30}}': {exc}"
        ) from exc
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object (key: value), not {type(value).__name__}.")
    return value


def check_overrides(name: str, overrides: dict[str, Any], table: list[Policy]) -> None:
    """Refuse unknown keys and values whose type differs from the table's (a number for a number, true/false
    for a yes/no rule), naming the variable, the key and what is expected."""
    from django.core.exceptions import ImproperlyConfigured

    known = {p.key: p.value for p in table}
    for key, value in overrides.items():
        if key not in known:
            raise ImproperlyConfigured(
                f"{name}: unknown rule {key!r}. Known rules: {', '.join(sorted(known))}."
            )
        expected = known[key]
        if isinstance(expected, bool):
            ok = isinstance(value, bool)
        elif isinstance(expected, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
        if not ok:
            raise ImproperlyConfigured(
                f"{name}: {key!r} must be {_kind_of(expected)} like {json.dumps(_jsonable(expected))}, "
                f"got {json.dumps(value)}."
            )


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number (0 or more)"
    return "a number (0 or more)"


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, bool | int | float) else float(value)


def lookup(table: list[Policy], key: str, on: dt.date | None, overrides: dict[str, Any], name: str) -> Policy:
    """The rule `key` in force on `on` (today when omitted) in `table`, unless the operator overrode it; before
    the first dated row, the first row."""
    if key in overrides:
        return Policy(key, overrides[key], dt.date.min, name)
    on = on or dt.date.today()
    rows = sorted((p for p in table if p.key == key), key=lambda p: p.effective_from)
    if not rows:
        raise KeyError(key)
    in_force = [p for p in rows if p.effective_from <= on]
    return in_force[-1] if in_force else rows[0]
