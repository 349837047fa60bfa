"""Dated grading rules (same `Policy` shape as coso.core.policies): a new regulation is a new row, never an edit.

QĐ 124-QĐ/TW (04/10/2023) graded by judgement on four levels; QĐ 366-QĐ/TW (30/08/2025), which replaced it,
adds a 100-point score with bands at 90, 70 and 50. Where DOMAIN.md §3 says UNSURE the row says so, and an
operator can change the value with COSO_REVIEWS_POLICIES (a JSON object), as for the other apps' rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from coso.core.policies import Policy, check_overrides, lookup

QD124 = "QĐ 124-QĐ/TW (04/10/2023)"
QD366 = "QĐ 366-QĐ/TW (30/08/2025)"
QD124_DATE = dt.date(2023, 10, 4)
QD366_DATE = dt.date(2025, 8, 30)

# How each regulation grades: JUDGEMENT (four levels decided on the criteria) or SCORE (100 points, bands).
JUDGEMENT, SCORE = "judgement", "score"


@dataclass(frozen=True)
class Regulation:
    source: str
    effective_from: dt.date
    scheme: str


REGULATIONS = [Regulation(QD124, QD124_DATE, JUDGEMENT), Regulation(QD366, QD366_DATE, SCORE)]

POLICIES: list[Policy] = [
    # Score bands (QĐ 366): excellent from 90, good from 70, completed from 50 (below 50 inferred: not completed).
    Policy("reviews.excellent_from", 90, QD366_DATE, QD366),
    Policy("reviews.good_from", 70, QD366_DATE, QD366),
    Policy("reviews.completed_from", 50, QD366_DATE, QD366),
    # Excellent needs every task done on time and at least 30% of them exceeded (QĐ 366).
    Policy("reviews.excellent_min_exceeded_percent", 30, QD366_DATE, QD366),
    # A collective is at most "completed" with no more than 20% of its tasks behind schedule (QĐ 366).
    Policy("reviews.completed_max_behind_percent", 20, QD366_DATE, QD366),
    # "Excellent" is capped at 20% of those graded "good" or better in the same peer group (QĐ 124). Under
    # QĐ 366 UNSURE: kept at 20%, as Decree 335/2025 keeps it for civil servants.
    Policy("reviews.excellent_quota_percent", 20, QD124_DATE, QD124),
    Policy("reviews.excellent_quota_percent", 20, QD366_DATE, QD366 + " (UNSURE)"),
    # A member disciplined (reprimand or worse) in the year, or with a finding on one of the 27 manifestations,
    # does not complete the tasks (QĐ 124). Under QĐ 366 UNSURE, probably the same: kept.
    Policy("reviews.discipline_forces_not_completed", True, QD124_DATE, QD124),
    Policy("reviews.discipline_forces_not_completed", True, QD366_DATE, QD366 + " (UNSURE)"),
    # Not rated: members admitted less than 6 months before the review (QĐ 124; kept by QĐ 366).
    Policy("reviews.min_months_since_admission", 6, QD124_DATE, QD124),
    Policy("reviews.min_months_since_admission", 6, QD366_DATE, QD366),
]

OVERRIDES_SETTING = "COSO_REVIEWS_POLICIES"


def regulation_on(on: dt.date) -> Regulation | None:
    """The grading regulation in force on `on`, or None before the first one Coso knows (04/10/2023)."""
    known = [regulation for regulation in REGULATIONS if regulation.effective_from <= on]
    return known[-1] if known else None


def policy_record(key: str, on: dt.date | None = None) -> Policy:
    """The rule in force on `on`; COSO_REVIEWS_POLICIES overrides a value for the installation, e.g.
    ``{"reviews.excellent_quota_percent": 15}``."""
    overrides = getattr(settings, OVERRIDES_SETTING, None) or {}
    return lookup(POLICIES, key, on, overrides, OVERRIDES_SETTING)


def policy(key: str, on: dt.date | None = None) -> Any:
    return policy_record(key, on).value


def check_settings() -> None:
    check_overrides(OVERRIDES_SETTING, getattr(settings, OVERRIDES_SETTING, None) or {}, POLICIES)
