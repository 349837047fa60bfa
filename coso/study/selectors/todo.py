"""The member's own study: what to study and write, with the next session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from coso.members.models import Member

from ..models import CampaignStatus, LearningReport, ReportStatus, StudyCampaign, StudySession
from .scope import REQUIRED_STATUSES, _ancestors


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
