"""Services of the emulation app: weights, weighted totals, the self → upper scoring order, awards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import RuleViolation
from coso.emulation import selectors, services
from coso.emulation.models import AwardKind, ScoreResult

from .conftest import make_movement, self_scored, sign, upper_scored


def test_four_goods_template_has_the_four_criteria_with_equal_weights():
    criteria = services.four_goods_criteria()
    assert [c["weight"] for c in criteria] == [25, 25, 25, 25]
    assert all(c["max_score"] == 10 for c in criteria)
    assert len({c["name"] for c in criteria}) == 4


def test_weights_must_add_up_to_100(world):
    criteria = [{"name": "A", "weight": 40, "max_score": 10}, {"name": "B", "weight": 50, "max_score": 10}]
    with pytest.raises(RuleViolation) as exc:
        make_movement(world, criteria=criteria)
    assert "90%" in exc.value.fields["criteria"][0]


def test_a_criterion_needs_a_positive_weight_and_a_name(world):
    criteria = [{"name": "", "weight": 100, "max_score": 10}, {"name": "B", "weight": 0, "max_score": 10}]
    with pytest.raises(RuleViolation) as exc:
        make_movement(world, criteria=criteria)
    assert len(exc.value.fields["criteria"]) == 2


def test_custom_weights_are_kept_in_order(world):
    criteria = [{"name": "A", "weight": 40, "max_score": 20}, {"name": "B", "weight": 60, "max_score": 10}]
    movement = make_movement(world, criteria=criteria)
    assert [(c.name, c.weight, c.max_score) for c in selectors.criteria_of(movement)] == [
        ("A", 40, 20),
        ("B", 60, 10),
    ]


def test_a_cell_secretary_cannot_launch_a_movement(world):
    with pytest.raises(PermissionDenied):
        make_movement(world, actor=world.secretary_a, organization=world.cell_a)


def test_weighted_total_is_the_sum_of_weight_times_score_over_max(world):
    criteria = [{"name": "A", "weight": 30, "max_score": 10}, {"name": "B", "weight": 70, "max_score": 3}]
    movement = make_movement(world, criteria=criteria)
    card = self_scored(movement, world.cell_a, scores=(7, 2))
    points = card.points(selectors.criteria_of(movement))
    # 30 × 7/10 = 21.00; 70 × 2/3 = 46.666… → 46.67; the total is the sum of the shown points.
    assert [row["self_points"] for row in points["rows"]] == [Decimal("21.00"), Decimal("46.67")]
    assert points["self_total"] == Decimal("67.67")
    assert points["upper_total"] is None


def test_upper_committee_scores_only_after_the_self_score(world, movement):
    from coso.emulation.models import Scorecard

    card = Scorecard.objects.create(movement=movement, organization=world.cell_a, year=2024)
    with pytest.raises(RuleViolation) as exc:
        upper_scored(card)
    assert exc.value.code == "invalid_state"


def test_self_score_is_frozen_once_the_upper_committee_scored(world, movement):
    card = self_scored(movement, world.cell_a)
    upper_scored(card)
    with pytest.raises(RuleViolation):
        self_scored(movement, world.cell_a)


def test_full_flow_gives_both_totals_and_the_result(world, movement):
    card = self_scored(movement, world.cell_a, scores=(8, 9, 7, 10))
    upper_scored(card, scores=(8, 8, 7, 9))
    services.scorecard_decide(actor=world.commune_leader, scorecard=card, result=ScoreResult.ACHIEVED)
    card.refresh_from_db()
    points = card.points(selectors.criteria_of(movement))
    assert points["self_total"] == Decimal("85.00")
    assert points["upper_total"] == Decimal("80.00")
    assert card.result == ScoreResult.ACHIEVED


def test_result_needs_the_upper_score(world, movement):
    card = self_scored(movement, world.cell_a)
    with pytest.raises(RuleViolation):
        services.scorecard_decide(actor=SYSTEM, scorecard=card, result=ScoreResult.ACHIEVED)


def test_the_cell_cannot_give_itself_the_upper_score(world, movement):
    card = self_scored(movement, world.cell_a)
    with pytest.raises(PermissionDenied):
        services.scorecard_upper_score(actor=world.secretary_a, scorecard=card, scores={})


def test_commune_staff_give_the_upper_score(world, movement):
    card = self_scored(movement, world.cell_a)
    criteria = selectors.criteria_of(movement)
    services.scorecard_upper_score(
        actor=world.commune_staff, scorecard=card, scores={c.pk: 9 for c in criteria}
    )
    assert card.points(criteria)["upper_total"] == Decimal("90.00")


def test_scores_above_the_maximum_are_refused(world, movement):
    with pytest.raises(RuleViolation) as exc:
        self_scored(movement, world.cell_a, scores=(11, 9, 7, 10))
    assert "0" in exc.value.fields["scores"][0]


def test_a_year_outside_the_movement_is_refused(world, movement):
    with pytest.raises(RuleViolation) as exc:
        self_scored(movement, world.cell_a, year=2026)
    assert "year" in exc.value.fields


def test_the_movement_does_not_apply_to_the_commune_itself(world, movement):
    with pytest.raises(RuleViolation):
        sign(movement, world.commune)


def test_a_covenant_is_signed_once(world, movement):
    sign(movement, world.cell_a)
    with pytest.raises(RuleViolation) as exc:
        sign(movement, world.cell_a)
    assert exc.value.code == "duplicate"


def test_signed_and_unsigned_cells_are_told_apart(world, movement):
    sign(movement, world.cell_a)
    counts = selectors.covenant_counts(actor=world.commune_staff, movement=movement)
    assert counts == {"total": 2, "signed": 1, "unsigned": 1}
    unsigned = selectors.participant_list(
        actor=world.commune_staff, movement=movement, filters=selectors.ParticipantFilters(signed=False)
    )
    assert [org.code for org in unsigned] == ["B"]


def _award(world, **fields):
    data = dict(
        actor=world.commune_staff,
        kind=AwardKind.CERTIFICATE_OF_MERIT,
        year=2024,
        issuer="Ban Thường vụ Đảng ủy phường",
        decision_number="15-QĐ/ĐU",
        decision_date=dt.date(2025, 1, 10),
    )
    data.update(fields)
    return services.award_create(**data)


def test_award_on_an_organization_and_on_a_member(world):
    org_award = _award(world, organization=world.cell_a, kind=AwardKind.CLEAN_AND_STRONG)
    member_award = _award(world, member=world.member_a_record)
    assert member_award.organization == world.cell_a
    assert selectors.member_awards(world.member_a_record) == [member_award]
    results = selectors.emulation_results(organization=world.cell_a, year=2024)
    assert [a["kind"] for a in results["awards"]] == [org_award.kind]
    assert len(selectors.emulation_results(member=world.member_a_record, year=2024)["awards"]) == 1


def test_award_needs_exactly_one_recipient(world):
    with pytest.raises(RuleViolation):
        _award(world)
    with pytest.raises(RuleViolation):
        _award(world, organization=world.cell_a, member=world.member_a_record)


def test_award_outside_scope_is_not_found(world):
    with pytest.raises(Http404):
        _award(world, organization=world.cell_d)


def test_emulation_results_give_the_scores_of_the_year(world, movement):
    card = self_scored(movement, world.cell_a)
    upper_scored(card)
    services.scorecard_decide(actor=SYSTEM, scorecard=card, result=ScoreResult.ACHIEVED)
    results = selectors.emulation_results(organization=world.cell_a, year=2024)
    scores = [{k: v for k, v in row.items() if k != "result_label"} for row in results["scores"]]
    assert scores == [
        {"movement": "Chi bộ bốn tốt", "self_total": Decimal("85.00"), "upper_total": Decimal("80.00"),
         "result": "ACHIEVED"}
    ]  # fmt: skip
