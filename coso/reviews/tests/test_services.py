"""The review cycle as people run it: open, self-review, cell proposal with vote, committee, decision, objection."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coso.core.exceptions import ConflictError, RuleViolation
from coso.members.models import EventKind, MemberEvent
from coso.reviews import services
from coso.reviews.grading import Grade
from coso.reviews.models import AnnualReview, CycleKind, RatingLevel, ReviewStatus
from coso.testing.factories import make_member

DATES = {
    "review_date": dt.date(2026, 12, 10),
    "self_review_due": dt.date(2026, 12, 5),
    "cell_due": dt.date(2026, 12, 10),
    "committee_due": dt.date(2026, 12, 15),
    "decision_due": dt.date(2026, 12, 20),
}
SELF = {"strengths": "Gương mẫu, đi họp đầy đủ.", "shortcomings": "Còn chậm nộp bài thu hoạch; do bận việc."}


@pytest.fixture
def cycle(world):
    return services.review_cycle_open(
        actor=world.commune_staff, organization=world.commune, kind=CycleKind.YEAR, year=2026, **DATES
    )


def _submitted(world, cycle, *, score=85, grade=Grade.GOOD, member=None, actor=None):
    member = member or world.member_a_record
    review = services.review_start(actor=actor or world.member_a, cycle=cycle, member=member)
    review = services.review_save_self(
        actor=actor or world.member_a,
        review=review,
        data={**SELF, "self_score": score, "self_grade": grade},
        expected_version=review.version,
    )
    return services.review_submit(
        actor=actor or world.member_a, review=review, expected_version=review.version
    )


def test_a_committee_opens_a_cycle_for_its_subtree_with_a_title(world, cycle):
    assert cycle.organization == world.commune
    assert "2026" in cycle.title
    assert cycle.opened_by == world.commune_staff
    assert cycle.history.count() == 1


def test_a_cell_secretary_cannot_open_a_cycle_and_an_outsider_does_not_see_the_organization(world):
    with pytest.raises(PermissionDenied):
        services.review_cycle_open(
            actor=world.secretary_a, organization=world.cell_a, kind=CycleKind.YEAR, year=2026, **DATES
        )
    with pytest.raises(Http404):
        services.review_cycle_open(
            actor=world.commune_staff, organization=world.commune2, kind=CycleKind.YEAR, year=2026, **DATES
        )


def test_deadlines_out_of_order_and_a_second_cycle_for_the_same_year_are_refused(world, cycle):
    with pytest.raises(RuleViolation) as error:
        services.review_cycle_open(
            actor=world.commune_staff,
            organization=world.commune,
            kind=CycleKind.TERM,
            year=2026,
            **{**DATES, "committee_due": dt.date(2026, 12, 1)},
        )
    assert "committee_due" in error.value.fields
    with pytest.raises(RuleViolation) as error:
        services.review_cycle_open(
            actor=world.commune_staff, organization=world.commune, kind=CycleKind.YEAR, year=2026, **DATES
        )
    assert "year" in error.value.fields


def test_the_fourth_quarter_is_the_year_end_review(world):
    with pytest.raises(RuleViolation) as error:
        services.review_cycle_open(
            actor=world.commune_staff,
            organization=world.commune,
            kind=CycleKind.QUARTER,
            quarter=4,
            year=2026,
            **DATES,
        )
    assert "quarter" in error.value.fields


def test_a_member_writes_and_submits_their_self_review(world, cycle):
    review = _submitted(world, cycle)
    assert review.status == ReviewStatus.SUBMITTED
    assert (review.grade, review.score) == (Grade.GOOD, 85)
    step = review.steps.get()
    assert (step.level, step.grade, step.actor) == (RatingLevel.SELF, Grade.GOOD, world.member_a)
    with pytest.raises(RuleViolation):
        services.review_save_self(
            actor=world.member_a, review=review, data=SELF, expected_version=review.version
        )


def test_another_member_cannot_write_someone_elses_review(world, cycle):
    review = services.review_start(actor=world.member_a, cycle=cycle, member=world.member_a_record)
    with pytest.raises(PermissionDenied):
        services.review_save_self(actor=world.secretary_a, review=review, data=SELF, expected_version=None)
    # Nor start a review of a member outside the cycle's subtree.
    with pytest.raises(Http404):
        services.review_start(actor=world.commune_staff, cycle=cycle, member=world.member_d_record)


def test_a_stale_save_is_refused(world, cycle):
    review = services.review_start(actor=world.member_a, cycle=cycle, member=world.member_a_record)
    services.review_save_self(actor=world.member_a, review=review, data=SELF, expected_version=review.version)
    with pytest.raises(ConflictError):
        services.review_save_self(
            actor=world.member_a, review=review, data={"strengths": "x"}, expected_version=review.version
        )


def test_unknown_manifestation_codes_are_refused_and_found_ones_are_kept_sorted(world, cycle):
    review = services.review_start(actor=world.member_a, cycle=cycle, member=world.member_a_record)
    with pytest.raises(RuleViolation) as error:
        services.review_save_self(
            actor=world.member_a, review=review, data={"manifestations": ["A1", "Z9"]}, expected_version=None
        )
    assert "Z9" in str(error.value.fields["manifestations"])
    review = services.review_save_self(
        actor=world.member_a,
        review=review,
        data={"manifestations": ["B2", "A3", "B2"]},
        expected_version=None,
    )
    assert review.manifestations == ["A3", "B2"]


def test_a_member_disciplined_this_year_cannot_propose_more_than_not_completed(world, cycle):
    MemberEvent.objects.create(
        member=world.member_a_record,
        kind=EventKind.DISCIPLINE,
        occurred_on=dt.date(2026, 5, 4),
        discipline_form="REPRIMAND",
    )
    with pytest.raises(RuleViolation) as error:
        _submitted(world, cycle, score=92, grade=Grade.EXCELLENT)
    assert "Disciplined" in str(error.value.fields["self_grade"])
    review = AnnualReview.objects.get(member=world.member_a_record)
    assert review.status == ReviewStatus.DRAFT  # nothing changed but the draft
    review = services.review_submit(
        actor=world.member_a,
        review=services.review_save_self(
            actor=world.member_a,
            review=review,
            data={"self_grade": Grade.NOT_COMPLETED},
            expected_version=None,
        ),
        expected_version=None,
    )
    assert review.grade == Grade.NOT_COMPLETED


def test_a_score_below_the_band_caps_the_self_proposal(world, cycle):
    with pytest.raises(RuleViolation) as error:
        _submitted(world, cycle, score=72, grade=Grade.EXCELLENT)
    assert "self_grade" in error.value.fields


def test_members_not_rated_are_told_why(world, cycle):
    newcomer = make_member(world.cell_a, admitted_on=dt.date(2026, 9, 1), full_member_on=None)
    with pytest.raises(RuleViolation, match="01/09/2026"):
        services.review_start(actor=world.secretary_a, cycle=cycle, member=newcomer)


def test_the_full_flow_records_every_step_with_its_vote_and_author(world, cycle):
    review = _submitted(world, cycle)
    with pytest.raises(RuleViolation) as error:
        services.review_rate(
            actor=world.secretary_a, review=review, level=RatingLevel.CELL, grade_value=Grade.GOOD, score=85
        )
    assert "votes_for" in error.value.fields
    review = services.review_rate(
        actor=world.secretary_a,
        review=review,
        level=RatingLevel.CELL,
        grade_value=Grade.GOOD,
        score=84,
        votes_for=9,
        votes_against=1,
    )
    assert review.status == ReviewStatus.PROPOSED
    # The cell cannot decide; the secretary of another cell does not see the review.
    with pytest.raises(PermissionDenied):
        services.review_rate(
            actor=world.secretary_a, review=review, level=RatingLevel.DECISION, grade_value="GOOD", score=84
        )
    with pytest.raises(Http404):
        services.review_rate(
            actor=world.secretary_b,
            review=review,
            level=RatingLevel.CELL,
            grade_value="GOOD",
            score=84,
            votes_for=5,
            votes_against=0,
        )
    review = services.review_rate(
        actor=world.commune_staff,
        review=review,
        level=RatingLevel.COMMITTEE,
        grade_value=Grade.GOOD,
        score=83,
    )
    review = services.review_rate(
        actor=world.commune_leader,
        review=review,
        level=RatingLevel.DECISION,
        grade_value=Grade.GOOD,
        score=83,
        reason="Thống nhất.",
    )
    assert review.status == ReviewStatus.DECIDED and review.decided_at is not None
    steps = list(review.steps.values_list("level", "grade", "votes_for", "actor__username"))
    assert steps == [
        (RatingLevel.SELF, Grade.GOOD, None, "member_a"),
        (RatingLevel.CELL, Grade.GOOD, 9, "secretary_a"),
        (RatingLevel.COMMITTEE, Grade.GOOD, None, "commune_staff"),
        (RatingLevel.DECISION, Grade.GOOD, None, "commune_leader"),
    ]


def test_a_proposal_without_a_majority_is_refused(world, cycle):
    review = _submitted(world, cycle)
    with pytest.raises(RuleViolation, match="half"):
        services.review_rate(
            actor=world.secretary_a,
            review=review,
            level=RatingLevel.CELL,
            grade_value="GOOD",
            score=85,
            votes_for=3,
            votes_against=3,
        )


def test_steps_cannot_be_skipped(world, cycle):
    review = _submitted(world, cycle)
    with pytest.raises(RuleViolation):
        services.review_rate(
            actor=world.commune_leader,
            review=review,
            level=RatingLevel.DECISION,
            grade_value="GOOD",
            score=85,
        )


def _advised(world, cycle, member, *, score=95, grade=Grade.EXCELLENT):
    review = services.review_start(actor=world.commune_staff, cycle=cycle, member=member)
    review.strengths, review.shortcomings, review.self_score, review.self_grade = "a", "b", score, grade
    review.save()
    AnnualReview.objects.filter(pk=review.pk).update(status=ReviewStatus.ADVISED, grade=grade, score=score)
    review.refresh_from_db()
    return review


def test_the_decision_cannot_exceed_the_peer_groups_excellent_quota(world, cycle):
    # Ten members of the commune rated good or better: two may be excellent.
    members = [world.member_a_record, world.other_a_record, world.member_b_record]
    members += [make_member(world.cell_a) for _ in range(7)]
    reviews = [_advised(world, cycle, member) for member in members]
    for review in reviews[2:]:
        services.review_rate(
            actor=world.commune_leader,
            review=review,
            level=RatingLevel.DECISION,
            grade_value="GOOD",
            score=85,
        )
    services.review_rate(
        actor=world.commune_leader,
        review=reviews[0],
        level=RatingLevel.DECISION,
        grade_value="EXCELLENT",
        score=95,
    )
    services.review_rate(
        actor=world.commune_leader,
        review=reviews[1],
        level=RatingLevel.DECISION,
        grade_value="EXCELLENT",
        score=95,
    )
    # An eleventh, made excellent, would be the third of eleven: 11 * 20% = 2.
    extra = _advised(world, cycle, make_member(world.cell_b))
    with pytest.raises(RuleViolation, match="quota"):
        services.review_rate(
            actor=world.commune_leader,
            review=extra,
            level=RatingLevel.DECISION,
            grade_value="EXCELLENT",
            score=95,
        )
    assert AnnualReview.objects.get(pk=extra.pk).status == ReviewStatus.ADVISED


def test_a_member_objects_and_the_decision_is_reopened(world, cycle):
    review = _advised(world, cycle, world.member_a_record, score=80, grade=Grade.GOOD)
    review = services.review_rate(
        actor=world.commune_leader,
        review=review,
        level=RatingLevel.DECISION,
        grade_value="COMPLETED",
        score=65,
    )
    with pytest.raises(PermissionDenied):
        services.review_object(actor=world.secretary_a, review=review, reason="Không đồng ý")
    with pytest.raises(RuleViolation):
        services.review_object(actor=world.member_a, review=review, reason=" ")
    review = services.review_object(
        actor=world.member_a, review=review, reason="Em đã hoàn thành đủ nhiệm vụ."
    )
    assert review.status == ReviewStatus.ADVISED and review.decided_at is None
    assert review.steps.last().level == RatingLevel.OBJECTION
    # The competent level decides again.
    review = services.review_rate(
        actor=world.commune_leader, review=review, level=RatingLevel.DECISION, grade_value="GOOD", score=80
    )
    assert review.grade == Grade.GOOD


def test_the_collective_is_reviewed_by_its_secretary(world, cycle):
    review = services.review_start(actor=world.secretary_a, cycle=cycle, organization=world.cell_a)
    review = services.review_save_self(
        actor=world.secretary_a,
        review=review,
        data={**SELF, "self_score": 88, "self_grade": "GOOD"},
        expected_version=None,
    )
    review = services.review_submit(actor=world.secretary_a, review=review, expected_version=None)
    assert review.status == ReviewStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.review_start(actor=world.member_a, cycle=cycle, organization=world.cell_a)


def test_marking_a_manifestation_in_the_self_check_does_not_cap_the_rating(world, cycle):
    review = services.review_start(actor=world.member_a, cycle=cycle, member=world.member_a_record)
    services.review_save_self(
        actor=world.member_a,
        review=review,
        data={**SELF, "manifestations": ["A3"], "self_score": 85, "self_grade": "GOOD"},
        expected_version=None,
    )
    review = services.review_submit(actor=world.member_a, review=review, expected_version=None)
    assert review.grade == Grade.GOOD
