"""Campaigns: the list, access, sessions, progress by organization and by member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from coso.accounts import permissions
from coso.members.models import Member, MemberStatus
from coso.orgs.models import Organization, OrgStatus

from ..models import LearningReport, ReportStatus, StudyCampaign, StudySession
from .scope import REQUIRED_STATUSES, _ancestors, _subtree_q, reach_q, reaches


def campaign_list(*, actor, status: str = "") -> QuerySet[StudyCampaign]:
    qs = StudyCampaign.objects.filter(reach_q(actor))
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("organization")
        .annotate(document_count=Count("documents"))
        .order_by("-starts_on", "-id")
    )


def access_campaign(actor, pk, *, perm: str = "study.view") -> StudyCampaign:
    try:
        campaign = StudyCampaign.objects.select_related("organization").get(pk=pk)
    except (StudyCampaign.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not reaches(actor, campaign.organization.path):
        raise Http404
    if perm != "study.view" and not permissions.can(actor, perm, campaign.organization.path):
        raise PermissionDenied
    return campaign


def campaign_sessions(*, actor, campaign: StudyCampaign) -> list[StudySession]:
    """The campaign's sessions the actor may see (their meeting's organization in scope)."""
    return list(
        StudySession.objects.filter(campaign=campaign)
        .filter(permissions.scope_q(actor, "study.view", field="organization__path"))
        .select_related("meeting", "organization")
        .order_by("meeting__starts_at", "id")
    )


@dataclass
class ProgressRow:
    organization: Organization
    depth: int = 0
    required: int = 0
    exempted: int = 0
    studied: int = 0
    sessions_held: int = 0
    sessions_planned: int = 0
    attended: int = 0
    late_or_left: int = 0
    counted: int = 0
    submitted: int = 0
    reviewed: int = 0
    returned: int = 0
    late: int = 0
    drafts: int = 0
    children: int = 0

    NUMBERS = (
        "required",
        "exempted",
        "studied",
        "sessions_held",
        "sessions_planned",
        "attended",
        "late_or_left",
        "counted",
        "submitted",
        "reviewed",
        "returned",
        "late",
        "drafts",
    )

    @property
    def not_studied(self) -> int:
        return max(self.required - self.studied, 0)

    @property
    def attendance_rate(self) -> float | None:
        return round(100 * self.attended / self.counted, 1) if self.counted else None

    @property
    def not_submitted(self) -> int:
        return max(self.required - self.submitted, 0)

    @property
    def is_cell(self) -> bool:
        return self.organization.is_cell


@dataclass
class Progress:
    rows: list[ProgressRow] = field(default_factory=list)
    total: ProgressRow | None = None


def _attended_q() -> Q:
    from coso.meetings.models import ATTENDED_STATUSES

    return Q(status__in=ATTENDED_STATUSES)


def studied_subquery(campaign_id) -> Exists:
    """Whether the member (OuterRef pk) attended a held session of the campaign."""
    from coso.meetings.models import ATTENDED_STATUSES, HELD_STATUSES, Attendance

    return Exists(
        Attendance.objects.filter(
            member=OuterRef("pk"),
            status__in=ATTENDED_STATUSES,
            meeting__status__in=HELD_STATUSES,
            meeting__study_session__campaign_id=campaign_id,
        )
    )


def campaign_progress(*, actor, campaign: StudyCampaign, today: dt.date | None = None) -> Progress:
    """Per organization of the campaign's subtree (within the actor's scope): sessions held, attendance,
    members not yet studied (current members minus exempted who attended no session), learning reports
    submitted / reviewed / returned / late. Six queries whatever the number of cells; a committee's row adds up
    its subtree."""
    from coso.meetings.models import ATTENDED_STATUSES, HELD_STATUSES, OPEN_STATUSES, Attendance

    root = campaign.organization.path
    scope = permissions.scope_q(actor, "study.view")
    orgs = list(
        Organization.objects.filter(_subtree_q(root), scope).filter(status=OrgStatus.ACTIVE).order_by("path")
    )
    if not orgs:
        return Progress()
    rows = {org.pk: ProgressRow(organization=org) for org in orgs}
    by_path = {org.path: rows[org.pk] for org in orgs}
    base_depth = orgs[0].depth
    for row in rows.values():
        row.depth = row.organization.depth - base_depth
    org_ids = list(rows)
    direct: dict[int, ProgressRow] = {pk: ProgressRow(organization=rows[pk].organization) for pk in org_ids}

    member_rows = (
        Member.objects.filter(
            organization_id__in=org_ids, status__in=(*REQUIRED_STATUSES, MemberStatus.EXEMPT)
        )
        .annotate(studied=studied_subquery(campaign.pk))
        .values("organization_id", "status", "studied")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in member_rows:
        target = direct[item["organization_id"]]
        if item["status"] == MemberStatus.EXEMPT:
            target.exempted += item["n"]
            continue
        target.required += item["n"]
        if item["studied"]:
            target.studied += item["n"]

    sessions = (
        StudySession.objects.filter(campaign=campaign, organization_id__in=org_ids)
        .values("organization_id", "meeting__status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in sessions:
        target = direct[item["organization_id"]]
        if item["meeting__status"] in HELD_STATUSES:
            target.sessions_held += item["n"]
        elif item["meeting__status"] in OPEN_STATUSES:
            target.sessions_planned += item["n"]

    attendance = (
        Attendance.objects.filter(
            meeting__study_session__campaign=campaign,
            meeting__organization_id__in=org_ids,
            meeting__status__in=HELD_STATUSES,
            is_guest=False,
            counted=True,
        )
        .values("meeting__organization_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in attendance:
        target = direct[item["meeting__organization_id"]]
        target.counted += item["n"]
        if item["status"] in ATTENDED_STATUSES:
            target.attended += item["n"]
            if item["status"] != "PRESENT":
                target.late_or_left += item["n"]

    reports = (
        LearningReport.objects.filter(campaign=campaign, member__organization_id__in=org_ids)
        .values("member__organization_id", "status", "late")
        .annotate(n=Count("id"))
        .order_by()
    )
    for item in reports:
        target = direct[item["member__organization_id"]]
        status = item["status"]
        if status == ReportStatus.DRAFT:
            target.drafts += item["n"]
            continue
        if status in (ReportStatus.SUBMITTED, ReportStatus.REVIEWED):
            target.submitted += item["n"]
        if status == ReportStatus.REVIEWED:
            target.reviewed += item["n"]
        if status == ReportStatus.RETURNED:
            target.returned += item["n"]
        if item["late"]:
            target.late += item["n"]

    # Roll each organization's own figures up to itself and every listed ancestor.
    for own in direct.values():
        path = own.organization.path
        for ancestor in _ancestors(path):
            row = by_path.get(ancestor)
            if row is None:
                continue
            for name in ProgressRow.NUMBERS:
                setattr(row, name, getattr(row, name) + getattr(own, name))
            if ancestor != path:
                row.children += 1
    ordered = [rows[org.pk] for org in orgs]
    total = ordered[0] if ordered[0].organization.path == root else _sum_rows(ordered, campaign.organization)
    return Progress(rows=ordered, total=total)


def _sum_rows(rows: list[ProgressRow], organization: Organization) -> ProgressRow:
    total = ProgressRow(organization=organization)
    tops = [r for r in rows if not any(o.organization.is_ancestor_of(r.organization) for o in rows)]
    for row in tops:
        for name in ProgressRow.NUMBERS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def campaign_member_rows(
    *, actor, campaign: StudyCampaign, organization: Organization | None = None
) -> QuerySet:
    """Required members in the campaign's subtree (and the actor's reach on members' records) with their report's
    status, grade and late flag and whether they attended a session: one query, for the export and the page."""
    org = organization or campaign.organization
    report = LearningReport.objects.filter(campaign=campaign, member=OuterRef("pk"))
    return (
        Member.objects.filter(status__in=REQUIRED_STATUSES)
        .filter(_subtree_q(org.path, "organization__path"))
        .filter(_subtree_q(campaign.organization.path, "organization__path"))
        .filter(permissions.scope_q(actor, "study.view_reports", field="organization__path"))
        .annotate(
            studied=studied_subquery(campaign.pk),
            report_id=Subquery(report.values("pk")[:1]),
            report_status=Subquery(report.values("status")[:1]),
            report_grade=Subquery(report.values("grade")[:1]),
            report_late=Subquery(report.values("late")[:1]),
            report_submitted_at=Subquery(report.values("submitted_at")[:1]),
        )
        .select_related("organization")
        .order_by("organization__path", "name_sort", "id")
    )
