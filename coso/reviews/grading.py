"""The grading engine: the quality rating a collective or an individual may get, under the regulation of its date.

Pure rules, no queries: the caller gathers the facts (score, tasks, discipline, findings) and gets back the
highest grade the regulation allows, with each condition that capped it and why, so that a proposal above it is
refused with the reason shown. The peer-group quota and the not-rated cases are here too (DOMAIN.md §3).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.core.exceptions import RuleViolation
from coso.members.models import MemberStatus
from coso.members.rules import add_months

from .policies import SCORE, Regulation, policy, regulation_on


class Grade(models.TextChoices):
    EXCELLENT = "EXCELLENT", gettext_lazy("Completed tasks excellently")
    GOOD = "GOOD", gettext_lazy("Completed tasks well")
    COMPLETED = "COMPLETED", gettext_lazy("Completed tasks")
    NOT_COMPLETED = "NOT_COMPLETED", gettext_lazy("Did not complete tasks")


# Lowest first: a cap is the lower of two grades.
RANK = {
    grade: rank
    for rank, grade in enumerate((Grade.NOT_COMPLETED, Grade.COMPLETED, Grade.GOOD, Grade.EXCELLENT))
}


def lower(a: Grade, b: Grade) -> Grade:
    return a if RANK[a] <= RANK[b] else b


@dataclass(frozen=True)
class Facts:
    """What a grade depends on, for one collective or individual in one review."""

    collective: bool = False
    # QĐ 366: the 100-point score (general criteria plus task results). QĐ 124 grades without one.
    score: Decimal | int | None = None
    tasks: int = 0
    tasks_on_time: int = 0
    tasks_exceeded: int = 0
    tasks_behind: int = 0
    # An individual disciplined (reprimand or worse) in the year; a finding on one of the 27 manifestations
    # concluded by the competent level (not a mark in the member's own self-check).
    disciplined: bool = False
    degradation_finding: bool = False
    # A collective one of whose subordinate units or leadership members was disciplined in the year.
    unit_disciplined: bool = False


@dataclass(frozen=True)
class Cap:
    grade: Grade
    reason: str


@dataclass(frozen=True)
class Outcome:
    regulation: Regulation
    # The highest grade the facts allow, and the grade given: the proposal when there is one, never above.
    ceiling: Grade
    grade: Grade
    caps: tuple[Cap, ...]


def regulation_for(on: dt.date) -> Regulation:
    regulation = regulation_on(on)
    if regulation is None:
        raise RuleViolation(
            _(
                "No grading regulation known to Coso was in force on %(date)s (the first is QĐ 124-QĐ/TW of 04/10/2023)."
            )
            % {"date": date_format(on, "d/m/Y")}
        )
    return regulation


def grade(facts: Facts, *, on: dt.date, proposed: Grade | None = None) -> Outcome:
    """The grade `facts` allow under the regulation in force on `on` (the review's date). Under QĐ 124 the
    grade is judged, so `proposed` is required and is kept unless a condition caps it; under QĐ 366 the score
    sets the band and a lower proposal is kept."""
    regulation = regulation_for(on)
    caps: list[Cap] = []
    if regulation.scheme == SCORE:
        ceiling = _score_band(facts.score, on)
        caps += _task_caps(facts, on)
    else:
        if proposed is None:
            raise RuleViolation(
                _("Under %(source)s the grade is proposed, not computed: choose one.")
                % {"source": regulation.source}
            )
        ceiling = Grade.EXCELLENT
    if facts.collective and facts.unit_disciplined:
        caps.append(
            Cap(Grade.GOOD, _("A subordinate unit or a leadership member was disciplined in the year."))
        )
    if not facts.collective and policy("reviews.discipline_forces_not_completed", on):
        if facts.disciplined:
            caps.append(Cap(Grade.NOT_COMPLETED, _("Disciplined (reprimand or worse) in the year.")))
        if facts.degradation_finding:
            caps.append(
                Cap(Grade.NOT_COMPLETED, _("A finding on one of the 27 manifestations of degradation."))
            )
    for cap in caps:
        ceiling = lower(ceiling, cap.grade)
    # What the grade would be without the caps: the band, or the proposal when lower (or judged).
    top = Grade.EXCELLENT if regulation.scheme != SCORE else _score_band(facts.score, on)
    if proposed is not None:
        top = lower(top, Grade(proposed))
    # Only the caps that lowered it are shown to the reader.
    lowering = tuple(cap for cap in caps if RANK[cap.grade] < RANK[top])
    return Outcome(regulation=regulation, ceiling=ceiling, grade=lower(top, ceiling), caps=lowering)


def _score_band(score, on: dt.date) -> Grade:
    if score is None:
        raise RuleViolation(_("A score from 0 to 100 is required under QĐ 366-QĐ/TW."))
    score = Decimal(score)
    if not Decimal(0) <= score <= Decimal(100):
        raise RuleViolation(_("The score must be between 0 and 100."))
    if score >= policy("reviews.excellent_from", on):
        return Grade.EXCELLENT
    if score >= policy("reviews.good_from", on):
        return Grade.GOOD
    if score >= policy("reviews.completed_from", on):
        return Grade.COMPLETED
    return Grade.NOT_COMPLETED


def _task_caps(facts: Facts, on: dt.date) -> list[Cap]:
    """QĐ 366's extra conditions on the tasks. With no task recorded they cannot fail: the score stands alone."""
    if facts.tasks <= 0:
        return []
    if not 0 <= facts.tasks_on_time <= facts.tasks or not 0 <= facts.tasks_exceeded <= facts.tasks:
        raise RuleViolation(_("Tasks on time and tasks exceeded cannot be more than the tasks assigned."))
    caps = []
    late = facts.tasks - facts.tasks_on_time
    if late:
        caps.append(
            Cap(
                Grade.COMPLETED,
                _("%(late)s of %(tasks)s tasks not done on time.") % {"late": late, "tasks": facts.tasks},
            )
        )
    needed = policy("reviews.excellent_min_exceeded_percent", on)
    if facts.tasks_exceeded * 100 < needed * facts.tasks:
        caps.append(
            Cap(
                Grade.GOOD,
                _("%(exceeded)s of %(tasks)s tasks exceeded, fewer than %(percent)s%%.")
                % {"exceeded": facts.tasks_exceeded, "tasks": facts.tasks, "percent": needed},
            )
        )
    behind_limit = policy("reviews.completed_max_behind_percent", on)
    if facts.collective and facts.tasks_behind * 100 > behind_limit * facts.tasks:
        caps.append(
            Cap(
                Grade.NOT_COMPLETED,
                _("%(behind)s of %(tasks)s tasks behind schedule, more than %(percent)s%%.")
                % {"behind": facts.tasks_behind, "tasks": facts.tasks, "percent": behind_limit},
            )
        )
    return caps


# -- the peer-group quota -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quota:
    good_or_better: int
    excellent: int
    allowed: int

    @property
    def over(self) -> int:
        return max(0, self.excellent - self.allowed)


def excellent_quota(grades: Iterable[Grade | str], *, on: dt.date) -> Quota:
    """How many of a peer group may be "excellent": a share of those graded "good" or better (the excellent are
    chosen among them), rounded down so the quota is never exceeded."""
    return quota_of_counts(Counter(Grade(value) for value in grades), on=on)


def quota_of_counts(counts: Mapping[str, int], *, on: dt.date) -> Quota:
    """The same quota from the number of each grade (a grouped query's result, not 200,000 values)."""
    good_or_better = sum(n for value, n in counts.items() if RANK[Grade(value)] >= RANK[Grade.GOOD])
    excellent = counts.get(Grade.EXCELLENT, 0)
    allowed = good_or_better * policy("reviews.excellent_quota_percent", on) // 100
    return Quota(good_or_better=good_or_better, excellent=excellent, allowed=allowed)


# -- who is not rated -----------------------------------------------------------------------------------------
def not_rated_reason(
    *, status: str, admitted_on: dt.date | None, on: dt.date, suspended: bool = False
) -> str | None:
    """Why a member is listed apart instead of rated in a review dated `on`, or None when they are rated."""
    if status == MemberStatus.EXEMPT:
        return _("Exempted from Party work and meetings: not rated.")
    if suspended:
        return _("Suspended from Party activities: not rated.")
    if status not in (MemberStatus.FULL, MemberStatus.PROBATIONARY):
        return _("No longer a current member: not rated.")
    months = policy("reviews.min_months_since_admission", on)
    if admitted_on and add_months(admitted_on, months) > on:
        return _("Admitted on %(date)s, less than %(months)s months before the review: not rated.") % {
            "date": date_format(admitted_on, "d/m/Y"),
            "months": months,
        }
    return None
