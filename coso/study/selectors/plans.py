"""Follow-through plans: the list, access, a member's plan, the year's results."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from coso.accounts import permissions
from coso.members.models import Member
from coso.orgs.models import Organization

from ..models import FollowThroughPlan, PlanStatus
from .scope import _subtree_q


def plan_list(*, actor, year: int | None = None, organization: Organization | None = None) -> QuerySet:
    own = getattr(actor, "member_id", None)
    visible = permissions.scope_q(actor, "study.view_reports", field="member__organization__path")
    if own:
        visible |= Q(member_id=own)
    qs = FollowThroughPlan.objects.filter(visible)
    if year:
        qs = qs.filter(year=year)
    if organization is not None:
        qs = qs.filter(_subtree_q(organization.path, "member__organization__path"))
    return (
        qs.select_related("member", "organization")
        .annotate(commitment_count=Count("commitments"))
        .order_by("-year", "member__name_sort", "id")
    )


def access_plan(actor, pk) -> FollowThroughPlan:
    try:
        plan = FollowThroughPlan.objects.select_related("member", "member__organization", "organization").get(
            pk=pk
        )
    except (FollowThroughPlan.DoesNotExist, ValueError, TypeError):
        raise Http404
    if getattr(actor, "member_id", None) == plan.member_id:
        return plan
    path = plan.member.organization.path
    if permissions.can(actor, "study.view_reports", path):
        return plan
    if permissions.can(actor, "study.view", path):
        raise PermissionDenied
    raise Http404


def plan_for(member: Member, year: int) -> FollowThroughPlan | None:
    return FollowThroughPlan.objects.filter(member=member, year=year).prefetch_related("commitments").first()


@dataclass
class PlanResult:
    """What the year-end review reads: the plan's state and each commitment's self-assessed result."""

    member_id: int
    year: int
    submitted: bool
    before_heads: bool
    commitments: list[dict]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"DONE": 0, "PARTLY": 0, "NOT_DONE": 0, "": 0}
        for item in self.commitments:
            counts[item["result"]] = counts.get(item["result"], 0) + 1
        return counts


def follow_through_results(*, member_ids, year: int) -> dict[int, PlanResult]:
    """Plan results of the given members for `year`, keyed by member id (members without a plan are absent).
    Two queries; for the annual review (kiểm điểm) to read."""
    plans = FollowThroughPlan.objects.filter(member_id__in=list(member_ids), year=year).prefetch_related(
        "commitments"
    )
    return {
        plan.member_id: PlanResult(
            member_id=plan.member_id,
            year=year,
            submitted=plan.status == PlanStatus.SUBMITTED,
            before_heads=plan.before_heads,
            commitments=[
                {
                    "text": c.text,
                    "target": c.target,
                    "deadline": c.deadline,
                    "result": c.result,
                    "note": c.result_note,
                }
                for c in plan.commitments.all()
            ],
        )
        for plan in plans
    }
