"""Dated study rules (same `Policy` shape as coso.core.policies), kept in the app so it can grow on its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coso.core.policies import Policy

POLICIES: list[Policy] = [
    # Year-end self-assessment of follow-through plans opens with the review season (the 2025 round started in
    # November under CV 10072). No regulation fixes the day: a configurable default.
    Policy(
        "plan.assessment_from_month", 11, dt.date(2025, 11, 1), "CV 10072 (11/2025), mùa kiểm điểm cuối năm"
    ),
]


def study_policy(key: str, on: dt.date | None = None) -> Any:
    on = on or dt.date.today()
    candidates = [p for p in POLICIES if p.key == key and p.effective_from <= on]
    if not candidates:
        candidates = sorted((p for p in POLICIES if p.key == key), key=lambda p: p.effective_from)[:1]
    if not candidates:
        raise KeyError(key)
    return max(candidates, key=lambda p: p.effective_from).value
