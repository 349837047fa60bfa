"""Reads of the study app, always scoped by the actor through accounts.permissions.

Documents and campaigns are published by an organization for its subtree: a user sees those published by an
organization in their scope or above it (a cell member reads the city's campaign). Learning reports are seen by
their author and by the roles that handle members' records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from coso.accounts import permissions
from coso.core.text import fold
from coso.members.models import Member, MemberStatus
from coso.members.selectors import search_q
from coso.orgs.models import PATH_SEPARATOR, Organization, OrgStatus

from .models import (
    Bookmark,
    CampaignStatus,
    Document,
    FollowThroughPlan,
    LearningReport,
    PlanStatus,
    ReportStatus,
    StudyCampaign,
    StudySession,
)

REQUIRED_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)


# --- scope ---------------------------------------------------------------------------------------------------
def _ancestors(path: str) -> list[str]:
    segments = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(segments[:i]) for i in range(1, len(segments) + 1)]


def reach_q(actor, *, field: str = "organization__path", perm: str = "study.view") -> Q:
    """Rows published by an organization in the actor's scope, or by one above it (its documents reach down)."""
    paths = permissions.scope_paths(actor, perm)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    above = sorted({ancestor for path in paths for ancestor in _ancestors(path)})
    return permissions.scope_q(actor, perm, field=field) | Q(**{f"{field}__in": above})


def reaches(actor, path: str, *, perm: str = "study.view") -> bool:
    paths = permissions.scope_paths(actor, perm)
    if paths is None:
        return True
    return any(
        root == path or root.startswith(path + PATH_SEPARATOR) or path.startswith(root + ".")
        for root in paths
    )


def _subtree_q(path: str, field: str = "path") -> Q:
    return Q(**{field: path}) | Q(**{f"{field}__startswith": path + PATH_SEPARATOR})


# --- documents -----------------------------------------------------------------------------------------------
@dataclass
class DocumentFilters:
    q: str = ""
    kind: str = ""
    validity: str = ""  # "" all, "in_force", "replaced"
    bookmarked: bool = False


def document_list(*, actor, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """Documents the actor may read; words are matched without diacritics (NFC or NFD input alike)."""
    filters = filters or DocumentFilters()
    qs = Document.objects.filter(reach_q(actor))
    for word in fold(filters.q).split(" "):
        if word:
            qs = qs.filter(search_folded__contains=word)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.validity == "in_force":
        qs = qs.filter(replaced_by__isnull=True)
    elif filters.validity == "replaced":
        qs = qs.filter(replaced_by__isnull=False)
    if filters.bookmarked:
        qs = qs.filter(bookmarks__user=actor)
    bookmarked = Bookmark.objects.filter(document=OuterRef("pk"), user_id=getattr(actor, "pk", None))
    return (
        qs.select_related("organization", "replaced_by")
        .annotate(is_bookmarked=Exists(bookmarked))
        .defer("file_text", "search_folded")
        .order_by("-issued_on", "-id")
    )


def access_document(actor, pk, *, perm: str = "study.view") -> Document:
    try:
        document = Document.objects.select_related("organization", "replaced_by").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not reaches(actor, document.organization.path):
        raise Http404
    if perm != "study.view" and not permissions.can(actor, perm, document.organization.path):
        raise PermissionDenied
    return document


def document_chain(document: Document, *, limit: int = 20) -> tuple[list[Document], list[Document]]:
    """The documents it replaced (older, nearest first) and those that replaced it (newer, in order)."""
    newer: list[Document] = []
    step = document.replaced_by
    while step is not None and len(newer) < limit:
        newer.append(step)
        step = step.replaced_by
    older: list[Document] = []
    frontier = [document.pk]
    seen = {document.pk}
    while frontier and len(older) < limit:
        found = list(Document.objects.filter(replaced_by__in=frontier).order_by("-issued_on"))
        found = [d for d in found if d.pk not in seen]
        seen.update(d.pk for d in found)
        older.extend(found)
        frontier = [d.pk for d in found]
    return older, newer


def is_bookmarked(actor, document: Document) -> bool:
    return Bookmark.objects.filter(user_id=getattr(actor, "pk", None), document=document).exists()


# --- campaigns -----------------------------------------------------------------------------------------------
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


# --- learning reports ----------------------------------------------------------------------------------------
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


# --- the member's own study ----------------------------------------------------------------------------------
@dataclass
class StudyTodo:
    campaign: StudyCampaign
    next_session: object | None = None

    @property
    def report_status(self) -> str:
        return getattr(self.campaign, "my_report_status", None) or ""

    @property
    def report_open(self) -> bool:
        return self.report_status in ("", ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def overdue(self) -> bool:
        return self.report_open and timezone.localdate() > self.campaign.report_due_on


def member_study_todo(member: Member, *, today: dt.date) -> list[StudyTodo]:
    """Active campaigns the member must study (published for their organization or above), each with the
    member's report status and the next study session of their cell: two queries."""
    from coso.meetings.models import OPEN_STATUSES

    if member.status not in REQUIRED_STATUSES:
        return []
    paths = _ancestors(member.organization.path)
    mine = LearningReport.objects.filter(campaign=OuterRef("pk"), member=member)
    campaigns = list(
        StudyCampaign.objects.filter(
            status=CampaignStatus.ACTIVE, organization__path__in=paths, starts_on__lte=today
        )
        .annotate(
            my_report_id=Subquery(mine.values("pk")[:1]),
            my_report_status=Subquery(mine.values("status")[:1]),
            my_report_grade=Subquery(mine.values("grade")[:1]),
        )
        .select_related("organization")
        .order_by("report_due_on", "id")[:10]
    )
    if not campaigns:
        return []
    sessions: dict[int, object] = {}
    for session in (
        StudySession.objects.filter(
            campaign__in=campaigns,
            organization_id=member.organization_id,
            meeting__status__in=OPEN_STATUSES,
            meeting__starts_at__date__gte=today,
        )
        .select_related("meeting")
        .order_by("meeting__starts_at")
    ):
        sessions.setdefault(session.campaign_id, session.meeting)
    return [StudyTodo(campaign=c, next_session=sessions.get(c.pk)) for c in campaigns]


# --- follow-through plans ------------------------------------------------------------------------------------
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
