"""Writes of the review cycle: open a cycle, write and submit a self-review, propose, advise and decide a rating,
object to it. Every rating given is a `RatingStep`; the grading engine caps it and the reason is kept.

Order (DOMAIN.md §3): the self-review first, then the cell's proposal with its vote, the committee's advisory
proposal and the decision by the competent level, which may not exceed the peer group's "excellent" quota. The
peer group is the cycle's reviews of the same kind: the committee that opened the cycle rates its subtree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.core.concurrency import stamp
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.text import nfc
from coso.members.models import Member
from coso.orgs.models import Organization

from . import evidence as evidence_of
from .grading import Facts, Grade, grade, not_rated_reason, quota_of_counts, regulation_for
from .manifestations import Manifestation
from .models import (
    AnnualReview,
    CycleKind,
    CycleStatus,
    RatingLevel,
    RatingStep,
    ReviewCycle,
    ReviewKind,
    ReviewStatus,
)
from .policies import SCORE

TEXT_FIELDS = (
    "strengths",
    "shortcomings",
    "responsibility",
    "prompt_answers",
    "earlier_shortcomings_fixed",
    "plan_result",
)
SELF_FIELDS = (*TEXT_FIELDS, "manifestations", "self_score", "self_grade")


def _fail(field: str, message: str) -> RuleViolation:
    return RuleViolation(message, fields={field: [message]})


def _in_subtree(path: str, root: str) -> bool:
    return path == root or path.startswith(root + ".")


# -- cycles ---------------------------------------------------------------------------------------------------
def review_cycle_open(
    *,
    actor,
    organization: Organization,
    kind: str,
    year: int,
    review_date: dt.date,
    self_review_due: dt.date,
    cell_due: dt.date,
    committee_due: dt.date,
    decision_due: dt.date,
    quarter: int | None = None,
    title: str = "",
) -> ReviewCycle:
    """Open a review cycle for `organization`'s subtree, its deadlines in the order the steps run."""
    permissions.authorize(actor, "reviews.manage", organization.path)
    kind = CycleKind(kind)
    if kind == CycleKind.QUARTER and quarter not in (1, 2, 3):
        # The fourth quarter is merged into the year-end review (HD 43).
        raise _fail(
            "quarter", _("A quarterly review is for quarter 1, 2 or 3; the fourth is the year-end review.")
        )
    if kind != CycleKind.QUARTER:
        quarter = None
    regulation_for(review_date)
    steps = [
        ("self_review_due", self_review_due),
        ("cell_due", cell_due),
        ("committee_due", committee_due),
        ("decision_due", decision_due),
    ]
    for (_earlier, before), (field, after) in zip(steps, steps[1:], strict=False):
        if after < before:
            raise _fail(field, _("Each step's deadline must come on or after the previous step's."))
    cycle = ReviewCycle(
        organization=organization,
        kind=kind,
        year=year,
        quarter=quarter,
        title=nfc(title).strip() or _default_title(kind, year, quarter, organization),
        review_date=review_date,
        self_review_due=self_review_due,
        cell_due=cell_due,
        committee_due=committee_due,
        decision_due=decision_due,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    stamp(cycle, actor)
    try:
        with transaction.atomic():
            cycle.save()
    except IntegrityError:
        raise _fail(
            "year", _("This organization already has a review cycle of this kind for that period.")
        ) from None
    return cycle


def _default_title(kind: str, year: int, quarter: int | None, organization: Organization) -> str:
    if kind == CycleKind.QUARTER:
        return _("Quarter %(quarter)s %(year)s review, %(organization)s") % {
            "quarter": quarter,
            "year": year,
            "organization": organization.name,
        }
    return _("%(kind)s %(year)s, %(organization)s") % {
        "kind": CycleKind(kind).label,
        "year": year,
        "organization": organization.name,
    }


# -- the self-review ------------------------------------------------------------------------------------------
def is_own(actor, review: AnnualReview) -> bool:
    return review.member_id is not None and getattr(actor, "member_id", None) == review.member_id


def may_write(actor, review: AnnualReview) -> bool:
    """The member writes their own review; the cell's secretary (or the office) writes the collective's."""
    if review.kind == ReviewKind.INDIVIDUAL:
        return is_own(actor, review)
    return permissions.can(actor, "reviews.propose", review.organization.path)


def review_start(
    *, actor, cycle: ReviewCycle, member: Member | None = None, organization: Organization | None = None
):
    """The review of `member` (individual) or of `organization` (collective) in `cycle`, begun if need be. A
    member who is not rated (exempted, suspended, admitted less than 6 months before) gets the reason."""
    if cycle.status != CycleStatus.OPEN:
        raise RuleViolation(_("This review cycle is closed."))
    if member is not None:
        org = member.organization
        if org is None or not _in_subtree(org.path, cycle.organization.path):
            raise Http404
        if getattr(actor, "member_id", None) != member.pk:
            permissions.authorize(actor, "reviews.propose", org.path)
        reason = not_rated_reason(status=member.status, admitted_on=member.admitted_on, on=cycle.review_date)
        if reason:
            raise RuleViolation(reason)
        review, _created = AnnualReview.objects.get_or_create(
            cycle=cycle, member=member, defaults={"kind": ReviewKind.INDIVIDUAL, "organization": org}
        )
        return review
    if organization is None or not _in_subtree(organization.path, cycle.organization.path):
        raise Http404
    permissions.authorize(actor, "reviews.propose", organization.path)
    review, _created = AnnualReview.objects.get_or_create(
        cycle=cycle, organization=organization, kind=ReviewKind.COLLECTIVE
    )
    return review


def _lock(review: AnnualReview, expected_version: int | None) -> AnnualReview:
    # Only the review's row is locked: its member is a nullable join, which PostgreSQL cannot lock.
    locked = (
        AnnualReview.objects.select_for_update(of=("self",))
        .select_related("cycle", "organization", "member")
        .get(pk=review.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError()
    return locked


def _score(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise _fail(field, _("Write the score as a number from 0 to 100.")) from None
    if not Decimal(0) <= score <= Decimal(100):
        raise _fail(field, _("The score must be between 0 and 100."))
    return score.quantize(Decimal("0.01"))


def review_save_self(
    *, actor, review: AnnualReview, data: dict, expected_version: int | None
) -> AnnualReview:
    """Save the self-review as a draft: its texts, the manifestations found, the self-proposed score and rating."""
    if not may_write(actor, review):
        raise PermissionDenied
    unknown = sorted(set(data) - set(SELF_FIELDS))
    if unknown:
        raise RuleViolation(fields={name: [_("This field cannot be changed here.")] for name in unknown})
    with transaction.atomic():
        review = _lock(review, expected_version)
        if review.status != ReviewStatus.DRAFT:
            raise RuleViolation(_("The self-review has been submitted: it can no longer be changed."))
        for field in TEXT_FIELDS:
            if field in data:
                setattr(review, field, nfc(data[field] or "").replace("\r\n", "\n").strip())
        if "manifestations" in data:
            codes = list(dict.fromkeys(data["manifestations"] or []))
            unknown = [code for code in codes if code not in Manifestation.values]
            if unknown:
                raise _fail(
                    "manifestations",
                    _("Unknown manifestation codes: %(codes)s.") % {"codes": ", ".join(map(str, unknown))},
                )
            review.manifestations = sorted(codes)
        if "self_score" in data:
            review.self_score = _score(data["self_score"], "self_score")
        if "self_grade" in data:
            value = data["self_grade"] or ""
            if value and value not in Grade.values:
                raise _fail("self_grade", _("Choose one of the four ratings."))
            review.self_grade = value
        review.version += 1
        stamp(review, actor)
        review.save()
    return review


def _facts(review: AnnualReview, *, score) -> Facts:
    if review.kind == ReviewKind.COLLECTIVE:
        return Facts(collective=True, score=score)
    found = evidence_of.member_evidence(review.member, year=review.cycle.year)
    return evidence_of.member_facts(found, score=score)


def _caps_text(outcome) -> list[str]:
    return [str(cap.reason) for cap in outcome.caps]


def review_submit(*, actor, review: AnnualReview, expected_version: int | None) -> AnnualReview:
    """Submit the self-review with its self-proposed rating; a rating above what the facts allow is refused
    with the reasons (e.g. discipline in the year)."""
    if not may_write(actor, review):
        raise PermissionDenied
    with transaction.atomic():
        review = _lock(review, expected_version)
        if review.status != ReviewStatus.DRAFT:
            raise RuleViolation(_("The self-review has already been submitted."))
        if not review.strengths or not review.shortcomings:
            raise _fail("shortcomings", _("Write the strengths and the shortcomings before submitting."))
        if not review.self_grade:
            raise _fail("self_grade", _("Propose a rating before submitting."))
        scored = regulation_for(review.cycle.review_date).scheme == SCORE
        if scored and review.self_score is None:
            raise _fail("self_score", _("Propose a score from 0 to 100 before submitting."))
        outcome = grade(
            _facts(review, score=review.self_score), on=review.cycle.review_date, proposed=review.self_grade
        )
        if outcome.grade != review.self_grade:
            raise _fail(
                "self_grade",
                _("The rating can be at most “%(grade)s”: %(reasons)s")
                % {
                    "grade": Grade(outcome.ceiling).label,
                    "reasons": " ".join(_caps_text(outcome)) or _("the score's band."),
                },
            )
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = timezone.now()
        review.grade, review.score = review.self_grade, review.self_score
        review.version += 1
        stamp(review, actor)
        review.save()
        RatingStep.objects.create(
            review=review,
            level=RatingLevel.SELF,
            grade=review.self_grade,
            score=review.self_score,
            actor=actor if getattr(actor, "pk", None) else None,
        )
    return review


# -- proposals and the decision -------------------------------------------------------------------------------
# level -> (statuses it may follow, status it leads to, permission, where the permission is checked)
STEPS = {
    RatingLevel.CELL: (
        {ReviewStatus.SUBMITTED, ReviewStatus.PROPOSED},
        ReviewStatus.PROPOSED,
        "reviews.propose",
    ),
    RatingLevel.COMMITTEE: (
        {ReviewStatus.PROPOSED, ReviewStatus.ADVISED},
        ReviewStatus.ADVISED,
        "reviews.propose",
    ),
    RatingLevel.DECISION: (
        {ReviewStatus.ADVISED, ReviewStatus.DECIDED},
        ReviewStatus.DECIDED,
        "reviews.decide",
    ),
}


def _where(review: AnnualReview, level: str) -> str:
    # The cell proposes for its own members; the committee that opened the cycle advises and decides.
    return review.organization.path if level == RatingLevel.CELL else review.cycle.organization.path


def review_rate(
    *,
    actor,
    review: AnnualReview,
    level: str,
    grade_value: str,
    score=None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> AnnualReview:
    """Give the cell's proposal (with its vote), the committee's proposal or the decision. A rating above what
    the facts allow, or a decision beyond the peer group's "excellent" quota, is refused with the reason."""
    level = RatingLevel(level)
    if level not in STEPS:
        raise _fail("level", _("Unknown step."))
    allowed_from, target, perm = STEPS[level]
    # Outside the review's part of the tree it does not exist; inside, the step needs its own permission.
    permissions.authorize(actor, "reviews.view", review.organization.path)
    if not permissions.can(actor, perm, _where(review, level)) or is_own(actor, review):
        raise PermissionDenied
    if grade_value not in Grade.values:
        raise _fail("grade", _("Choose one of the four ratings."))
    score = _score(score, "score")
    with transaction.atomic():
        review = _lock(review, expected_version)
        if review.status not in allowed_from:
            raise RuleViolation(
                _("This step cannot be taken now: the review is “%(status)s”.")
                % {"status": review.get_status_display()}
            )
        if review.cycle.status != CycleStatus.OPEN:
            raise RuleViolation(_("This review cycle is closed."))
        if level == RatingLevel.CELL:
            _check_vote(votes_for, votes_against)
        scored = regulation_for(review.cycle.review_date).scheme == SCORE
        if scored and score is None:
            raise _fail("score", _("Give the score from 0 to 100."))
        outcome = grade(_facts(review, score=score), on=review.cycle.review_date, proposed=grade_value)
        if outcome.grade != grade_value:
            raise _fail(
                "grade",
                _("The rating can be at most “%(grade)s”: %(reasons)s")
                % {
                    "grade": Grade(outcome.ceiling).label,
                    "reasons": " ".join(_caps_text(outcome)) or _("the score's band."),
                },
            )
        if level == RatingLevel.DECISION and grade_value == Grade.EXCELLENT:
            _check_quota(review)
        review.status = target
        review.grade, review.score = grade_value, score
        if level == RatingLevel.DECISION:
            review.decided_at = timezone.now()
        review.version += 1
        stamp(review, actor)
        review.save()
        RatingStep.objects.create(
            review=review,
            level=level,
            grade=grade_value,
            score=score,
            votes_for=votes_for if level == RatingLevel.CELL else None,
            votes_against=votes_against if level == RatingLevel.CELL else None,
            reason=nfc(reason or "").strip(),
            actor=actor if getattr(actor, "pk", None) else None,
        )
    return review


def next_step(actor, review: AnnualReview) -> str | None:
    """The rating step `actor` may take now, the highest first (review_rate checks again when it is sent):
    after the self-review the cell proposes; then the committee advises (or the cell revises its proposal);
    then the competent level decides (or the committee revises); a decision may be taken again."""
    if is_own(actor, review):
        return None
    cell = _where(review, RatingLevel.CELL)
    upper = _where(review, RatingLevel.DECISION)
    options = {
        ReviewStatus.SUBMITTED: [(RatingLevel.CELL, cell)],
        ReviewStatus.PROPOSED: [(RatingLevel.COMMITTEE, upper), (RatingLevel.CELL, cell)],
        ReviewStatus.ADVISED: [(RatingLevel.DECISION, upper), (RatingLevel.COMMITTEE, upper)],
        ReviewStatus.DECIDED: [(RatingLevel.DECISION, upper)],
    }
    for level, path in options.get(review.status, []):
        if permissions.can(actor, STEPS[level][2], path):
            return level
    return None


def _check_vote(votes_for, votes_against) -> None:
    if votes_for is None or votes_against is None or votes_for < 0 or votes_against < 0:
        raise _fail("votes_for", _("Record the cell's vote on the proposal (for and against)."))
    if votes_for * 2 <= votes_for + votes_against:
        raise _fail("votes_for", _("The proposal did not get more than half of the votes cast."))


def _check_quota(review: AnnualReview) -> None:
    """The decided ratings of the peer group, this one made excellent, against the quota."""
    counts = Counter(
        dict(
            AnnualReview.objects.filter(cycle=review.cycle, kind=review.kind, status=ReviewStatus.DECIDED)
            .exclude(pk=review.pk)
            .values_list("grade")
            .annotate(n=Count("*"))
            .order_by()
        )
    )
    counts[Grade.EXCELLENT] += 1
    quota = quota_of_counts(counts, on=review.cycle.review_date)
    if quota.over:
        raise _fail(
            "grade",
            _(
                "The quota is reached: %(allowed)s of the %(counted)s rated “good” or better may be “excellent”, "
                "and %(excellent)s already are."
            )
            % {"allowed": quota.allowed, "counted": quota.good_or_better, "excellent": quota.excellent - 1},
        )


def review_object(*, actor, review: AnnualReview, reason: str) -> AnnualReview:
    """The member objects to the decided rating: the decision is reopened and the objection recorded."""
    if not is_own(actor, review):
        raise PermissionDenied
    reason = nfc(reason or "").strip()
    if not reason:
        raise _fail("reason", _("Say why you object to the rating."))
    with transaction.atomic():
        review = _lock(review, None)
        if review.status != ReviewStatus.DECIDED:
            raise RuleViolation(_("Only a decided rating can be objected to."))
        review.status = ReviewStatus.ADVISED
        review.decided_at = None
        steps = list(review.steps.filter(level=RatingLevel.COMMITTEE).order_by("-created_at", "-id")[:1])
        if steps:
            review.grade, review.score = steps[0].grade, steps[0].score
        review.version += 1
        stamp(review, actor)
        review.save()
        RatingStep.objects.create(review=review, level=RatingLevel.OBJECTION, reason=reason, actor=actor)
    return review


def review_prompt_send(
    *, actor, cycle: ReviewCycle, text: str, organization=None, member: Member | None = None
):
    """Send a review prompt to a named collective or member of the cycle's subtree (the committee that opened it)."""
    from .models import ReviewPrompt

    # The caller has fetched the cycle or review it may see; sending is the opening committee's.
    if not permissions.can(actor, "reviews.manage", cycle.organization.path):
        raise PermissionDenied
    text = nfc(text or "").strip()
    if not text:
        raise _fail("text", _("Write the prompt."))
    if (organization is None) == (member is None):
        raise _fail("member", _("Address the prompt to one collective or one member."))
    target = organization if organization is not None else member.organization
    if target is None or not _in_subtree(target.path, cycle.organization.path):
        raise _fail(
            "member" if member else "organization",
            _("Only collectives and members of the cycle can be prompted."),
        )
    prompt = ReviewPrompt.objects.create(
        cycle=cycle,
        organization=organization,
        member=member,
        text=text,
        sent_by=actor if getattr(actor, "pk", None) else None,
    )
    if member is not None:
        from coso.accounts.models import User
        from coso.notifications.services import notify

        transaction.on_commit(
            lambda: notify(
                recipients=User.objects.filter(member=member),
                kind="reviews.prompt",
                title=gettext_lazy("A review prompt for your self-review"),
                body=text,
                url=f"/reviews/{cycle.pk}/",
            )
        )
    return prompt
