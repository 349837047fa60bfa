"""The grading engine under each regulation: bands, the conditions that cap a grade, the quota, who is not rated."""

import datetime as dt

import pytest
from django.test import override_settings

from coso.core.exceptions import RuleViolation
from coso.members.models import MemberStatus
from coso.reviews.grading import Facts, Grade, excellent_quota, grade, not_rated_reason
from coso.reviews.policies import JUDGEMENT, QD124, QD366, SCORE, regulation_on

UNDER_124 = dt.date(2024, 12, 15)
UNDER_366 = dt.date(2025, 12, 15)


def test_each_date_is_graded_by_the_regulation_then_in_force():
    assert regulation_on(dt.date(2023, 10, 3)) is None
    assert regulation_on(dt.date(2023, 10, 4)).source == QD124
    assert regulation_on(dt.date(2025, 8, 29)).scheme == JUDGEMENT
    assert regulation_on(dt.date(2025, 8, 30)).source == QD366
    assert regulation_on(UNDER_366).scheme == SCORE


def test_a_review_before_any_known_regulation_is_refused_with_its_date():
    with pytest.raises(RuleViolation, match="01/06/2023"):
        grade(Facts(score=95), on=dt.date(2023, 6, 1))


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (100, Grade.EXCELLENT),
        (90, Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        (70, Grade.GOOD),
        (69, Grade.COMPLETED),
        (50, Grade.COMPLETED),
        ("49.5", Grade.NOT_COMPLETED),
        (0, Grade.NOT_COMPLETED),
    ],
)
def test_under_qd366_the_score_sets_the_band(score, expected):
    outcome = grade(Facts(score=score), on=UNDER_366)
    assert outcome.grade == expected
    assert outcome.ceiling == expected
    assert outcome.caps == ()


@pytest.mark.parametrize("score", [None, -1, 101])
def test_under_qd366_a_missing_or_impossible_score_is_refused(score):
    with pytest.raises(RuleViolation):
        grade(Facts(score=score), on=UNDER_366)


def test_excellent_needs_every_task_on_time_and_thirty_percent_exceeded():
    on_time = Facts(score=95, tasks=10, tasks_on_time=10, tasks_exceeded=3)
    assert grade(on_time, on=UNDER_366).grade == Grade.EXCELLENT

    too_few_exceeded = Facts(score=95, tasks=10, tasks_on_time=10, tasks_exceeded=2)
    outcome = grade(too_few_exceeded, on=UNDER_366)
    assert outcome.grade == Grade.GOOD
    assert [cap.grade for cap in outcome.caps] == [Grade.GOOD]
    assert "2 of 10" in outcome.caps[0].reason

    one_late = Facts(score=95, tasks=10, tasks_on_time=9, tasks_exceeded=5)
    outcome = grade(one_late, on=UNDER_366)
    assert outcome.grade == Grade.COMPLETED
    assert "1 of 10" in outcome.caps[0].reason


def test_a_collective_with_too_many_tasks_behind_does_not_complete():
    within = Facts(collective=True, score=60, tasks=10, tasks_on_time=8, tasks_behind=2)
    assert grade(within, on=UNDER_366).grade == Grade.COMPLETED
    beyond = Facts(collective=True, score=60, tasks=10, tasks_on_time=7, tasks_behind=3)
    outcome = grade(beyond, on=UNDER_366)
    assert outcome.grade == Grade.NOT_COMPLETED
    assert "3 of 10" in outcome.caps[-1].reason
    # The same tasks behind do not cap an individual's grade below "completed".
    assert (
        grade(Facts(score=60, tasks=10, tasks_on_time=7, tasks_behind=3), on=UNDER_366).grade
        == Grade.COMPLETED
    )


def test_task_counts_larger_than_the_tasks_are_refused():
    with pytest.raises(RuleViolation):
        grade(Facts(score=80, tasks=3, tasks_on_time=4), on=UNDER_366)


@pytest.mark.parametrize("on", [UNDER_124, UNDER_366])
def test_a_member_disciplined_in_the_year_does_not_complete_the_tasks(on):
    outcome = grade(Facts(score=95, disciplined=True), on=on, proposed=Grade.EXCELLENT)
    assert outcome.grade == Grade.NOT_COMPLETED
    assert outcome.ceiling == Grade.NOT_COMPLETED
    assert "Disciplined" in outcome.caps[0].reason


def test_a_degradation_finding_caps_the_member_too():
    outcome = grade(Facts(score=92, degradation_finding=True), on=UNDER_366)
    assert outcome.grade == Grade.NOT_COMPLETED
    assert "27 manifestations" in outcome.caps[0].reason


@override_settings(COSO_REVIEWS_POLICIES={"reviews.discipline_forces_not_completed": False})
def test_the_operator_can_turn_the_unsure_discipline_rule_off():
    assert grade(Facts(score=95, disciplined=True), on=UNDER_366).grade == Grade.EXCELLENT


def test_a_collective_with_a_disciplined_unit_cannot_be_excellent():
    outcome = grade(Facts(collective=True, unit_disciplined=True), on=UNDER_124, proposed=Grade.EXCELLENT)
    assert outcome.grade == Grade.GOOD
    assert "subordinate unit" in outcome.caps[0].reason
    # A proposal already below the cap is kept, and the cap is not reported as having lowered it.
    kept = grade(Facts(collective=True, unit_disciplined=True), on=UNDER_124, proposed=Grade.COMPLETED)
    assert kept.grade == Grade.COMPLETED
    assert kept.caps == ()
    assert kept.ceiling == Grade.GOOD


def test_under_qd124_the_grade_is_judged_so_a_proposal_is_required():
    with pytest.raises(RuleViolation, match="124"):
        grade(Facts(), on=UNDER_124)
    assert grade(Facts(), on=UNDER_124, proposed=Grade.GOOD).grade == Grade.GOOD


def test_under_qd366_a_proposal_below_the_band_is_kept_and_one_above_is_capped():
    assert grade(Facts(score=95), on=UNDER_366, proposed=Grade.GOOD).grade == Grade.GOOD
    assert grade(Facts(score=75), on=UNDER_366, proposed=Grade.EXCELLENT).grade == Grade.GOOD


def test_the_quota_is_a_fifth_of_those_graded_good_or_better_rounded_down():
    group = [Grade.EXCELLENT] * 2 + [Grade.GOOD] * 8 + [Grade.COMPLETED] * 5
    quota = excellent_quota(group, on=UNDER_124)
    assert (quota.good_or_better, quota.excellent, quota.allowed, quota.over) == (10, 2, 2, 0)
    one_more = excellent_quota([*group, Grade.EXCELLENT], on=UNDER_124)
    assert (one_more.good_or_better, one_more.allowed, one_more.over) == (11, 2, 1)
    small_cell = excellent_quota([Grade.EXCELLENT, "GOOD", "GOOD", "GOOD"], on=UNDER_366)
    assert (small_cell.allowed, small_cell.over) == (0, 1)


@override_settings(COSO_REVIEWS_POLICIES={"reviews.excellent_quota_percent": 50})
def test_the_quota_share_is_a_setting():
    assert excellent_quota([Grade.GOOD] * 4, on=UNDER_366).allowed == 2


@pytest.mark.parametrize(
    ("status", "admitted_on", "suspended", "expected"),
    [
        (MemberStatus.FULL, dt.date(2010, 5, 1), False, None),
        (MemberStatus.PROBATIONARY, dt.date(2025, 6, 15), False, None),
        (MemberStatus.PROBATIONARY, dt.date(2025, 6, 16), False, "16/06/2025"),
        (MemberStatus.EXEMPT, dt.date(1980, 1, 1), False, "Exempted"),
        (MemberStatus.FULL, dt.date(2010, 5, 1), True, "Suspended"),
        (MemberStatus.TRANSFERRED_OUT, dt.date(2010, 5, 1), False, "No longer"),
    ],
)
def test_who_is_listed_apart_instead_of_rated(status, admitted_on, suspended, expected):
    reason = not_rated_reason(status=status, admitted_on=admitted_on, suspended=suspended, on=UNDER_366)
    if expected is None:
        assert reason is None
    else:
        assert expected in reason


def test_the_reasons_read_in_vietnamese_by_default():
    from django.utils import translation

    with translation.override("vi"):
        outcome = grade(Facts(score=95, disciplined=True), on=UNDER_366)
        assert outcome.caps[0].reason == "Bị kỷ luật (từ khiển trách trở lên) trong năm."
        assert Grade(outcome.grade).label == "Không hoàn thành nhiệm vụ"
