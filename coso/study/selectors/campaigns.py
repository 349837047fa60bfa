"""Campaigns: the list, access, sessions, progress by organization and by member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Substr
from django.http import Http404

from coso.accounts import permissions
from coso.members.models import Member, MemberStatus
from coso.orgs.models import PATH_SEPARATOR, Organization, OrgStatus

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


def campaign_progress(
    *,
    actor,
    campaign: StudyCampaign,
    today: dt.date | None = None,
    under: Organization | None = None,
    levels: int | None = None,
) -> Progress:
    """Per organization of the campaign's subtree (within the actor's scope): sessions held, attendance,
    members not yet studied (current members minus exempted who attended no session), learning reports
    submitted / reviewed / returned / late; a committee's row adds up its subtree.

    `under` (default: the campaign's organization) and `levels` (default: all) choose the rows listed: the page
    lists one organization and its children (`levels=1`), level by level, so a province campaign does not draw
    its 8,000 cells. The figures are added up by the database, grouped by the prefix of the organization's path
    down to the deepest listed level: five queries whatever the number of cells, and the same numbers for an
    organization whichever rows are listed with it.
    """
    from coso.meetings.models import ATTENDED_STATUSES, HELD_STATUSES, OPEN_STATUSES, Attendance

    MemberCount = apps.get_model("members", "MemberCount")
    root = under or campaign.organization
    if not (root.path == campaign.organization.path or campaign.organization.is_ancestor_of(root)):
        return Progress()
    scope = permissions.scope_q(actor, "study.view")
    listed = Organization.objects.filter(_subtree_q(root.path), scope).filter(status=OrgStatus.ACTIVE)
    if levels is not None:
        # The top listed organizations may lie deeper than `root` when the actor's scope starts below it.
        paths = permissions.scope_paths(actor, "study.view")
        top_depth = root.depth
        if paths is not None and not any(
            root.path == p or root.path.startswith(p + PATH_SEPARATOR) for p in paths
        ):
            inside = [p for p in paths if p.startswith(root.path + PATH_SEPARATOR)]
            top_depth = min((p.count(PATH_SEPARATOR) for p in inside), default=root.depth)
        listed = listed.filter(depth__lte=top_depth + levels)
    orgs = list(listed.order_by("path"))
    if not orgs:
        return Progress()
    rows = {org.pk: ProgressRow(organization=org) for org in orgs}
    by_path = {org.path: rows[org.pk] for org in orgs}
    base_depth = orgs[0].depth
    for row in rows.values():
        row.depth = row.organization.depth - base_depth
    width = max(len(org.path) for org in orgs)
    buckets: dict[str, ProgressRow] = {}

    def bucket(prefix: str) -> ProgressRow:
        if prefix not in buckets:
            buckets[prefix] = ProgressRow(organization=root)
        return buckets[prefix]

    def grouped(qs, path_field: str, *fields: str, count=None):
        return (
            qs.filter(_subtree_q(root.path, path_field))
            .filter(permissions.scope_q(actor, "study.view", field=path_field))
            .filter(**{path_field.replace("path", "status"): OrgStatus.ACTIVE})
            .annotate(prefix=Substr(path_field, 1, width))
            .values("prefix", *fields)
            .annotate(n=count or Count("id"))
            .order_by()
        )

    counts = grouped(
        MemberCount.objects.filter(status__in=(*REQUIRED_STATUSES, MemberStatus.EXEMPT)),
        "organization__path",
        "status",
        count=Sum("n"),
    )
    for item in counts:
        target = bucket(item["prefix"])
        if item["status"] == MemberStatus.EXEMPT:
            target.exempted += item["n"]
        else:
            target.required += item["n"]

    # Members who attended a held session of the campaign, counted once, in their current organization.
    studied = grouped(
        Attendance.objects.filter(
            member__status__in=REQUIRED_STATUSES,
            status__in=ATTENDED_STATUSES,
            meeting__status__in=HELD_STATUSES,
            meeting__study_session__campaign=campaign,
        ),
        "member__organization__path",
        count=Count("member_id", distinct=True),
    )
    for item in studied:
        bucket(item["prefix"]).studied += item["n"]

    sessions = grouped(
        StudySession.objects.filter(campaign=campaign), "organization__path", "meeting__status"
    )
    for item in sessions:
        target = bucket(item["prefix"])
        if item["meeting__status"] in HELD_STATUSES:
            target.sessions_held += item["n"]
        elif item["meeting__status"] in OPEN_STATUSES:
            target.sessions_planned += item["n"]

    attendance = grouped(
        Attendance.objects.filter(
            meeting__study_session__campaign=campaign,
            meeting__status__in=HELD_STATUSES,
            is_guest=False,
            counted=True,
        ),
        "meeting__organization__path",
        "status",
    )
    for item in attendance:
        target = bucket(item["prefix"])
        target.counted += item["n"]
        if item["status"] in ATTENDED_STATUSES:
            target.attended += item["n"]
            if item["status"] != "PRESENT":
                target.late_or_left += item["n"]

    reports = grouped(
        LearningReport.objects.filter(campaign=campaign), "member__organization__path", "status", "late"
    )
    for item in reports:
        target = bucket(item["prefix"])
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

    # Each group's figures go to every listed organization whose path is a prefix of it.
    for prefix, own in buckets.items():
        for ancestor in _ancestors(prefix):
            row = by_path.get(ancestor)
            if row is not None:
                for name in ProgressRow.NUMBERS:
                    setattr(row, name, getattr(row, name) + getattr(own, name))
    for org in orgs:
        parent = by_path.get(org.path.rpartition(PATH_SEPARATOR)[0])
        if parent is not None:
            parent.children += 1
    ordered = [rows[org.pk] for org in orgs]
    total = ordered[0] if ordered[0].organization.path == root.path else _sum_rows(ordered, root)
    return Progress(rows=ordered, total=total)


def progress_level(actor, campaign: StudyCampaign, org_id) -> tuple[Organization, list[Organization]]:
    """The organization whose children the progress page lists (`?org=`, default the campaign's) and the path
    down to it from the campaign's organization (what the actor may see of it), for the breadcrumb. Raises
    Http404 for an organization outside the campaign's subtree or the actor's scope."""
    top = campaign.organization
    if org_id in (None, ""):
        return top, []
    try:
        under = Organization.objects.get(pk=int(org_id))
    except (Organization.DoesNotExist, ValueError, TypeError):
        raise Http404
    inside = under.pk == top.pk or top.is_ancestor_of(under)
    if not inside or not permissions.can(actor, "study.view", under.path):
        raise Http404
    trail = list(
        Organization.objects.filter(path__in=_ancestors(under.path), depth__gte=top.depth)
        .exclude(pk=under.pk)
        .filter(permissions.scope_q(actor, "study.view") | Q(pk=top.pk))
        .order_by("depth")
    )
    return under, trail


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
