"""Reads of review cycles and reviews, scoped by the actor through accounts.permissions.

A cycle covers its organization's subtree, so it is seen by everyone with a part of that subtree (a cell's
members see the commune's cycle) and by those above. Reviews are seen where their organization is in scope,
and by the reviewed member.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from coso.accounts import permissions
from coso.core.text import fold
from coso.members.models import CURRENT_STATUSES, Member
from coso.orgs.models import PATH_SEPARATOR, Organization

from .grading import Grade, Quota, quota_of_counts
from .models import AnnualReview, ReviewCycle, ReviewKind, ReviewStatus

PERM = "reviews.view"


def _prefixes(path: str) -> list[str]:
    parts = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(parts[: index + 1]) for index in range(len(parts))]


def _reach_q(actor) -> Q:
    """Cycles whose organization is in the actor's scope, or above a part of it (or above their own cell)."""
    paths = permissions.scope_paths(actor, PERM)
    if paths is None:
        return Q()
    above = {prefix for path in paths for prefix in _prefixes(path)}
    member_id = getattr(actor, "member_id", None)
    if member_id:
        # The member's own cell, when no grant covers it (one query for its path; none when already loaded).
        member = actor._state.fields_cache.get("member")
        if member is not None:
            path = member.organization.path if member.organization_id else None
        else:
            path = Member.objects.filter(pk=member_id).values_list("organization__path", flat=True).first()
        if path:
            above.update(_prefixes(path))
    return permissions.scope_q(actor, PERM, field="organization__path") | Q(
        organization__path__in=sorted(above)
    )


def cycle_list(*, actor) -> QuerySet[ReviewCycle]:
    return (
        ReviewCycle.objects.filter(_reach_q(actor))
        .select_related("organization")
        .order_by("-year", "-review_date", "-id")
    )


def access_cycle(actor, pk) -> ReviewCycle:
    try:
        return ReviewCycle.objects.select_related("organization").filter(_reach_q(actor)).get(pk=pk)
    except (ReviewCycle.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_review(actor, pk) -> AnnualReview:
    """One review: the reviewed member, or whoever sees its organization; 404 otherwise."""
    try:
        review = AnnualReview.objects.select_related(
            "cycle", "cycle__organization", "organization", "member"
        ).get(pk=pk)
    except (AnnualReview.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if review.member_id is not None and getattr(actor, "member_id", None) == review.member_id:
        return review
    permissions.authorize(actor, PERM, review.organization.path)
    return review


@dataclass
class ReviewFilters:
    q: str = ""
    organization: Organization | None = None
    status: str = ""
    grade: str = ""
    kind: str = ""


def review_list(*, actor, cycle: ReviewCycle, filters: ReviewFilters) -> QuerySet[AnnualReview]:
    """The cycle's reviews the actor may see, in the organization's order then the member's name order."""
    reviews = AnnualReview.objects.filter(cycle=cycle).filter(
        permissions.scope_q(actor, PERM, field="organization__path")
    )
    if filters.organization is not None:
        path = filters.organization.path
        reviews = reviews.filter(
            Q(organization__path=path) | Q(organization__path__startswith=path + PATH_SEPARATOR)
        )
    if filters.status:
        reviews = reviews.filter(status=filters.status)
    if filters.grade:
        reviews = reviews.filter(grade=filters.grade)
    if filters.kind:
        reviews = reviews.filter(kind=filters.kind)
    if filters.q:
        folded = fold(filters.q)
        reviews = reviews.filter(
            Q(member__name_folded__contains=folded) | Q(organization__name_folded__contains=folded)
        )
    return reviews.select_related("organization", "member").order_by(
        "organization__path", "kind", "member__name_sort", "id"
    )


@dataclass
class CycleSummary:
    by_status: dict[str, int]
    by_grade: dict[str, int]
    reviews: int
    members: int
    quota: Quota
    # Individual reviews begun: the members of the subtree without one have not started.
    individual: int = 0

    @property
    def not_started(self) -> int:
        return max(0, self.members - self.individual)


def cycle_summary(*, actor, cycle: ReviewCycle) -> CycleSummary:
    """Counts of the actor's part of the cycle: reviews per status, decided ratings per grade (individuals),
    the members in the subtree, and the peer group's quota. Two grouped queries, whatever the size: the first
    reads the index (cycle, kind, status, grade) only."""
    scoped = AnnualReview.objects.filter(cycle=cycle).filter(
        permissions.scope_q(actor, PERM, field="organization__path")
    )
    by_status: Counter = Counter()
    by_grade: Counter = Counter()
    individual = 0
    rows = scoped.values_list("kind", "status", "grade").annotate(n=Count("*")).order_by()
    for kind, status, grade, count in rows:
        by_status[status] += count
        if kind == ReviewKind.INDIVIDUAL:
            individual += count
            if status == ReviewStatus.DECIDED and grade:
                by_grade[grade] += count
    path = cycle.organization.path
    members = (
        Member.objects.filter(status__in=CURRENT_STATUSES)
        .filter(Q(organization__path=path) | Q(organization__path__startswith=path + PATH_SEPARATOR))
        .filter(permissions.scope_q(actor, "members.view", field="organization__path"))
        .count()
    )
    return CycleSummary(
        by_status={status: by_status.get(status, 0) for status in ReviewStatus.values},
        by_grade={grade: by_grade.get(grade, 0) for grade in Grade.values},
        reviews=sum(by_status.values()),
        members=members,
        quota=quota_of_counts(by_grade, on=cycle.review_date),
        individual=individual,
    )


def own_review(actor, cycle: ReviewCycle) -> AnnualReview | None:
    if not getattr(actor, "member_id", None):
        return None
    return AnnualReview.objects.filter(cycle=cycle, member_id=actor.member_id).first()


def in_cycle(cycle: ReviewCycle, organization: Organization | None) -> bool:
    if organization is None:
        return False
    root = cycle.organization.path
    return organization.path == root or organization.path.startswith(root + PATH_SEPARATOR)


def review_steps(review: AnnualReview):
    return list(review.steps.select_related("actor").order_by("created_at", "id"))


@dataclass
class SummaryRow:
    organization: Organization | None  # None: the total
    counts: dict[str, int]
    rated: int

    def percent(self, grade: str) -> float:
        return round(100 * self.counts.get(grade, 0) / self.rated, 1) if self.rated else 0.0

    @property
    def cells(self) -> list[tuple[str, int, float]]:
        return [(grade, self.counts.get(grade, 0), self.percent(grade)) for grade in Grade.values]


def _decided_by_unit(cycle: ReviewCycle, actor, *, units: list[Organization]) -> dict[str, Counter]:
    """Decided individual ratings counted per unit directly under the cycle's organization: one grouped query
    on the organization path's prefix (path segments have a fixed width)."""
    from django.db.models.functions import Substr

    width = (
        len(cycle.organization.path) + 1 + len(units[0].path.rsplit(PATH_SEPARATOR, 1)[-1]) if units else 0
    )
    rows = (
        AnnualReview.objects.filter(cycle=cycle, kind=ReviewKind.INDIVIDUAL, status=ReviewStatus.DECIDED)
        .filter(permissions.scope_q(actor, PERM, field="organization__path"))
        .annotate(unit=Substr("organization__path", 1, width))
        .values_list("unit", "grade")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, Counter] = {}
    for unit, grade, n in rows:
        counts.setdefault(unit, Counter())[grade] += n
    return counts


def cycle_ratings_summary(*, actor, cycle: ReviewCycle) -> dict:
    """The table the upper committee receives: for each unit directly under the cycle's organization, the
    decided ratings of members by grade with percentages, the total, and the same organization's cycle of the
    year before (same kind) for comparison. Two grouped queries for this year, one for the last."""
    units = list(
        Organization.objects.filter(parent=cycle.organization)
        .filter(permissions.scope_q(actor, PERM))
        .order_by("path")
    )
    counts = _decided_by_unit(cycle, actor, units=units)
    rows = []
    total: Counter = Counter()
    for unit in units:
        found = counts.get(unit.path, Counter())
        total.update(found)
        rows.append(SummaryRow(unit, dict(found), sum(found.values())))
    # Members rated in the cycle's organization itself (a grassroots cell with no cells under it).
    own = Counter()
    for path, found in counts.items():
        if not any(path == unit.path for unit in units):
            own.update(found)
    if own:
        total.update(own)
        rows.insert(0, SummaryRow(cycle.organization, dict(own), sum(own.values())))
    previous = (
        ReviewCycle.objects.filter(
            organization=cycle.organization, kind=cycle.kind, year=cycle.year - 1, quarter=cycle.quarter
        )
        .order_by("-id")
        .first()
    )
    last = None
    if previous is not None:
        found = Counter(
            dict(
                AnnualReview.objects.filter(
                    cycle=previous, kind=ReviewKind.INDIVIDUAL, status=ReviewStatus.DECIDED
                )
                .filter(permissions.scope_q(actor, PERM, field="organization__path"))
                .values_list("grade")
                .annotate(n=Count("id"))
                .order_by()
            )
        )
        last = SummaryRow(None, dict(found), sum(found.values()))
    return {
        "rows": rows,
        "total": SummaryRow(None, dict(total), sum(total.values())),
        "last": last,
        "previous": previous,
    }


def not_rated_members(*, actor, cycle: ReviewCycle) -> QuerySet[Member]:
    """The members of the actor's part of the cycle's subtree who are listed apart instead of rated: exempted,
    or admitted less than the policy's months before the review date (reviews.grading.not_rated_reason)."""
    from coso.members.models import MemberStatus
    from coso.members.rules import add_months

    from .policies import policy

    months = policy("reviews.min_months_since_admission", cycle.review_date)
    cutoff = add_months(cycle.review_date, -months)
    path = cycle.organization.path
    return (
        Member.objects.filter(status__in=CURRENT_STATUSES)
        .filter(Q(organization__path=path) | Q(organization__path__startswith=path + PATH_SEPARATOR))
        .filter(permissions.scope_q(actor, "members.view", field="organization__path"))
        .filter(Q(status=MemberStatus.EXEMPT) | Q(admitted_on__gt=cutoff))
        .select_related("organization")
        .order_by("organization__path", "name_sort", "id")
    )


def prompt_list(*, actor, cycle: ReviewCycle) -> QuerySet:
    """The cycle's prompts whose addressee is in the actor's part of the tree."""
    from .models import ReviewPrompt

    seen = permissions.scope_q(actor, PERM, field="organization__path") | permissions.scope_q(
        actor, PERM, field="member__organization__path"
    )
    return (
        ReviewPrompt.objects.filter(cycle=cycle)
        .filter(seen)
        .select_related("organization", "member", "member__organization", "sent_by")
        .order_by("-created_at", "-id")
    )


def prompts_for(review: AnnualReview) -> list:
    """The prompts addressed to the reviewed member, or to the reviewed collective."""
    from .models import ReviewPrompt

    prompts = ReviewPrompt.objects.filter(cycle_id=review.cycle_id)
    if review.member_id:
        prompts = prompts.filter(member_id=review.member_id)
    else:
        prompts = prompts.filter(organization_id=review.organization_id)
    return list(prompts.order_by("created_at", "id"))
