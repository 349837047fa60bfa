"""The study sections of the handbook: what a member must study and write, what a secretary must review, how a
committee's campaigns progress, and a member's reports and plan on their record page. Each costs at most three
queries, whatever the size of the tree."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from coso.accounts import permissions
from coso.core.panels import Panel
from coso.members.models import Member, MemberCount

from . import selectors
from .models import CampaignStatus, FollowThroughPlan, LearningReport, ReportStatus, StudyCampaign

SHOWN = 5


def home_panels(request, today):
    user = request.user
    result: list[Panel] = []
    member_id = getattr(user, "member_id", None)
    if member_id:
        result.extend(_member_panels(member_id, today))
    if permissions.has_any(user, "study.review"):
        panel = _review_panel(user)
        if panel:
            result.append(panel)
    if permissions.has_any(user, "study.launch_campaign"):
        panel = _committee_panel(user, today)
        if panel:
            result.append(panel)
    return result


def _member_panels(member_id: int, today) -> list[Panel]:
    member = Member.objects.select_related("organization").filter(pk=member_id).first()
    if member is None or member.status not in selectors.REQUIRED_STATUSES:
        return []
    panels = []
    todo = selectors.member_study_todo(member, today=today)
    if todo:
        panels.append(
            Panel(template="study/_panel_member.html", context={"todo": todo, "today": today}, order=15)
        )
    plan = (
        FollowThroughPlan.objects.filter(member_id=member_id, year=today.year)
        .annotate(commitment_count=Count("commitments"))
        .first()
    )
    panels.append(
        Panel(
            template="study/_panel_plan.html",
            context={"plan": plan, "year": today.year},
            order=40,
            slot="side",
        )
    )
    return panels


def _review_panel(user) -> Panel | None:
    # Those waiting longest first (an index walks them in this order: a province has thousands waiting).
    reports = list(
        selectors.report_list(actor=user, filters=selectors.ReportFilters(to_review=True)).order_by(
            "submitted_at", "id"
        )[: SHOWN + 1]
    )
    if not reports:
        return None
    return Panel(
        template="study/_panel_review.html",
        context={"reports": reports[:SHOWN], "more": len(reports) > SHOWN},
        order=25,
    )


def _committee_panel(user, today) -> Panel | None:
    campaigns = list(
        StudyCampaign.objects.filter(selectors.reach_q(user), status=CampaignStatus.ACTIVE)
        .select_related("organization")
        .order_by("deadline", "id")[:3]
    )
    if not campaigns:
        return None
    scope = permissions.scope_q(user, "study.view", field="member__organization__path")
    counts = (
        LearningReport.objects.filter(scope, campaign__in=campaigns)
        .values("campaign_id")
        .annotate(
            submitted=Count("id", filter=Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.REVIEWED])),
            reviewed=Count("id", filter=Q(status=ReportStatus.REVIEWED)),
            late=Count("id", filter=Q(late=True)),
        )
        .order_by()
    )
    by_campaign = {row["campaign_id"]: row for row in counts}
    # From the counts the database keeps per organization and status: a province's 200,000 members otherwise.
    required = (
        MemberCount.objects.filter(
            permissions.scope_q(user, "study.view", field="organization__path"),
            status__in=selectors.REQUIRED_STATUSES,
        ).aggregate(n=Sum("n"))["n"]
        or 0
    )
    rows = []
    for campaign in campaigns:
        figures = by_campaign.get(campaign.pk, {"submitted": 0, "reviewed": 0, "late": 0})
        # A campaign launched inside the user's part of the tree covers only part of it: no common total.
        covers_scope = selectors.reaches(user, campaign.organization.path) and not _inside_scope(
            user, campaign
        )
        rows.append({"campaign": campaign, "required": required if covers_scope else None, **figures})
    return Panel(template="study/_panel_committee.html", context={"rows": rows, "today": today}, order=30)


def _inside_scope(user, campaign) -> bool:
    paths = permissions.scope_paths(user, "study.view")
    if paths is None:
        return campaign.organization.parent_id is not None
    return any(campaign.organization.path.startswith(root + ".") for root in paths)


def member_panels(request, today, member):
    user = request.user
    own = getattr(user, "member_id", None) == member.pk
    if not own and not permissions.can(user, "study.view_reports", member.organization.path):
        return []
    reports = list(
        LearningReport.objects.filter(member=member)
        .select_related("campaign")
        .order_by("-campaign__starts_on")[:SHOWN]
    )
    plan = (
        FollowThroughPlan.objects.filter(member=member, year=today.year)
        .annotate(commitment_count=Count("commitments"))
        .first()
    )
    return [
        Panel(
            template="study/_panel_member_detail.html",
            context={"reports": reports, "plan": plan, "year": today.year, "own": own},
            order=60,
        )
    ]
