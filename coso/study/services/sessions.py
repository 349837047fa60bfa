"""Study sessions: meetings of kind STUDY, scheduled through the meetings app, and their absentees."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.accounts.models import Role, User
from coso.notifications.services import notify
from coso.orgs.models import Organization

from ..models import CampaignStatus, StudyCampaign, StudySession
from ._common import _fail


def study_session_schedule(
    *,
    actor,
    campaign: StudyCampaign,
    organization: Organization,
    starts_at: dt.datetime,
    place: str = "",
    duration_minutes: int | None = None,
) -> StudySession:
    """Plan a study session of `organization` for the campaign: a Meeting(kind=STUDY) with the documents on its
    agenda and attached as links; the secretary then publishes it like any meeting."""
    from coso.meetings import services as meeting_services
    from coso.meetings.models import MeetingKind

    if campaign.status != CampaignStatus.ACTIVE:
        raise _fail("campaign", _("The campaign is closed."))
    if not campaign.organization.contains(organization):
        raise _fail("organization", _("This organization is not part of the campaign."))
    documents = list(campaign.documents.order_by("issued_on", "id"))
    with transaction.atomic():
        meeting = meeting_services.meeting_schedule(
            actor=actor,
            organization=organization,
            kind=MeetingKind.STUDY,
            starts_at=starts_at,
            title=_("Study session: %(title)s") % {"title": campaign.title},
            topic=campaign.title,
            duration_minutes=duration_minutes,
            place=place,
            agenda=[f"{d.number} — {d.title}"[:255] for d in documents],
        )
        for document in documents:
            meeting_services.document_add(
                actor=actor,
                meeting=meeting,
                title=str(document)[:255],
                link=f"/study/documents/{document.pk}/",
            )
        session = StudySession.objects.create(campaign=campaign, meeting=meeting, organization=organization)
    return session


def _committee_users(organization: Organization) -> list[User]:
    """Users who lead or staff the committee above the cell (they follow the cell's results)."""
    parent = organization.parent
    if parent is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            grants__revoked_at__isnull=True,
            grants__organization=parent,
            grants__role__in=[Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER],
        ).distinct()
    )


def study_session_publish_absentees(*, actor, session, now=None) -> list:
    """After a held session, send the list of members absent, late or leaving early to the cell and to its
    committee (DOMAIN Part A: the results are published and the cell committee reviews them). Once per session."""
    from coso.meetings import selectors as meeting_selectors
    from coso.meetings.models import AttendanceStatus

    meeting = session.meeting
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    if not meeting.is_held:
        raise _fail("meeting", _("Take the attendance and mark the session held first."))
    rows = [r for r in meeting_selectors.attendance_rows(meeting) if not r.is_guest and not r.exempted]
    labels = dict(AttendanceStatus.choices)
    flagged = [
        (row.member.full_name, labels.get(row.status, ""), row.reason)
        for row in rows
        if row.status not in (AttendanceStatus.PRESENT,)
    ]
    lines = [f"- {name}: {label}" + (f" ({reason})" if reason else "") for name, label, reason in flagged]
    body = "\n".join(lines) if lines else gettext_lazy("Everyone attended.")
    recipients = [
        *_meeting_recipients(meeting),
        *_committee_users(meeting.organization),
    ]
    with transaction.atomic():
        sent = notify(
            recipients=recipients,
            kind="study.session_results",
            title=format_lazy(
                gettext_lazy("Study session of {organization}: {count} absent, late or leaving early"),
                organization=meeting.organization.name,
                count=len(flagged),
            ),
            body=body,
            url=f"/study/sessions/{session.pk}/",
            email=False,
            dedupe_key=f"study.session_results.{session.pk}",
        )
        StudySession.objects.filter(pk=session.pk, absentees_published_at__isnull=True).update(
            absentees_published_at=now or timezone.now()
        )
    session.refresh_from_db()
    return sent


def _meeting_recipients(meeting) -> list:
    from coso.meetings.services import meeting_recipients

    return meeting_recipients(meeting)
