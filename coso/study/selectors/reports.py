"""Learning reports: the list, access, who may review, campaigns whose reports are due soon."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from coso.accounts import permissions
from coso.members.models import Member
from coso.members.selectors import search_q

from ..models import CampaignStatus, LearningReport, ReportStatus, StudyCampaign
from .scope import REQUIRED_STATUSES, _subtree_q


@dataclass
class ReportFilters:
    campaign: StudyCampaign | None = None
    status: str = ""
    to_review: bool = False
    mine: bool = False
    q: str = ""


def report_list(*, actor, filters: ReportFilters | None = None) -> QuerySet[LearningReport]:
    """Reports the actor may read: their own, and those of members in their scope for the record roles."""
    filters = filters or ReportFilters()
    own = getattr(actor, "member_id", None)
    visible = permissions.scope_q(actor, "study.view_reports", field="member__organization__path")
    if own:
        visible |= Q(member_id=own)
    qs = LearningReport.objects.filter(visible)
    if filters.mine:
        qs = qs.filter(member_id=own) if own else qs.none()
    if filters.campaign is not None:
        qs = qs.filter(campaign=filters.campaign)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(member__in=Member.objects.filter(search_q(actor, filters.q)))
    if filters.to_review:
        qs = qs.filter(
            permissions.scope_q(actor, "study.review", field="reviewer_organization__path"),
            status=ReportStatus.SUBMITTED,
        )
        if own:
            qs = qs.exclude(member_id=own)
    return qs.select_related(
        "campaign", "member", "member__organization", "reviewer_organization", "reviewer"
    ).order_by("campaign_id", "member__name_sort", "id")


def access_report(actor, pk) -> LearningReport:
    try:
        report = LearningReport.objects.select_related(
            "campaign", "campaign__organization", "member", "member__organization", "reviewer_organization",
            "reviewer", "reviewed_by",
        ).get(pk=pk)  # fmt: skip
    except (LearningReport.DoesNotExist, ValueError, TypeError):
        raise Http404
    if getattr(actor, "member_id", None) == report.member_id:
        return report
    path = report.member.organization.path
    if permissions.can(actor, "study.view_reports", path):
        return report
    if permissions.can(actor, "study.review", report.reviewer_organization.path):
        return report
    if permissions.can(actor, "study.view", path):
        raise PermissionDenied
    raise Http404


def can_review(actor, report: LearningReport) -> bool:
    return getattr(actor, "member_id", None) != report.member_id and permissions.can(
        actor, "study.review", report.reviewer_organization.path
    )


def reports_due_soon(*, today: dt.date, days_before: int) -> list[tuple[int, StudyCampaign]]:
    """(member id, campaign) for required members of active campaigns due within `days_before` days who have
    not submitted; one query per active campaign."""
    result = []
    campaigns = StudyCampaign.objects.filter(
        status=CampaignStatus.ACTIVE,
        report_due_on__gte=today,
        report_due_on__lte=today + dt.timedelta(days=days_before),
    ).select_related("organization")
    for campaign in campaigns:
        submitted = LearningReport.objects.filter(
            campaign=campaign, member=OuterRef("pk"), submitted_at__isnull=False
        )
        ids = (
            Member.objects.filter(status__in=REQUIRED_STATUSES)
            .filter(_subtree_q(campaign.organization.path, "organization__path"))
            .filter(~Exists(submitted), user__isnull=False)
            .values_list("pk", flat=True)
        )
        result.extend((pk, campaign) for pk in ids)
    return result
