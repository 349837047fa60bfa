"""The XLSX of a movement's results for one year: one row per scored organization, the upper committee's score
and points per criterion, both totals and the result (the same `Scorecard.points` as the page and the API)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from .models import Criterion, Scorecard


def headers(criteria: list[Criterion]) -> list[str]:
    columns = [_("Code"), _("Organization")]
    for criterion in criteria:
        columns += [
            _("%(name)s: score (of %(max)s)") % {"name": criterion.name, "max": criterion.max_score},
            _("%(name)s: points (weight %(weight)s%%)")
            % {"name": criterion.name, "weight": criterion.weight},
        ]
    return [*columns, _("Self-score total"), _("Upper committee's total"), _("Result")]


def rows(cards: Iterable[Scorecard], criteria: list[Criterion]) -> Iterator[list]:
    for card in cards:
        points = card.points(criteria)
        row = [card.organization.code, card.organization.name]
        for item in points["rows"]:
            row += [item["upper_score"], item["upper_points"]]
        yield [*row, points["self_total"], points["upper_total"], card.get_result_display()]
