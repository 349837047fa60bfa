"""Study campaigns: launch, update, close, and who a campaign requires."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts.models import Role, User
from coso.core.concurrency import stamp
from coso.core.text import nfc
from coso.members.models import Member
from coso.notifications.services import notify
from coso.orgs.models import Organization

from ..models import CampaignStatus, Document, LearningReport, ReportStatus, StudyCampaign
from ._common import (
    REQUIRED_STATUSES,
    _authorize_reach,
    _bump,
    _check_version,
    _fail,
    _full_clean,
    _lock,
    _no_html,
)


def _campaign_rules(*, organization, starts_on, deadline, report_due_on, documents) -> None:
    if organization.kind == "CELL":
        raise _fail(
            "organization", _("A campaign is launched by a committee for the organizations under it.")
        )
    if not organization.is_active:
        raise _fail("organization", _("The organization is no longer active."))
    if not documents:
        raise _fail("documents", _("Choose at least one document to study."))
    if deadline < starts_on:
        raise _fail("deadline", _("The deadline is before the start."))
    if report_due_on < starts_on:
        raise _fail("report_due_on", _("Reports cannot be due before the campaign starts."))


def _secretaries_under(organization: Organization) -> list[User]:
    path = organization.path
    return list(
        User.objects.filter(
            is_active=True,
            grants__revoked_at__isnull=True,
            grants__role__in=[Role.CELL_SECRETARY, Role.COMMITTEE_STAFF],
        )
        .filter(Q(grants__organization__path=path) | Q(grants__organization__path__startswith=path + "."))
        .distinct()
    )


def campaign_launch(
    *,
    actor,
    organization: Organization,
    title: str,
    documents: Sequence[Document],
    starts_on: dt.date,
    deadline: dt.date,
    report_due_on: dt.date | None = None,
    description: str = "",
    notify_units: bool = True,
) -> StudyCampaign:
    """Launch the study of `documents` by the whole subtree of `organization`; the units' secretaries are told."""
    _authorize_reach(actor, "study.launch_campaign", organization.path)
    report_due_on = report_due_on or deadline
    _campaign_rules(
        organization=organization,
        starts_on=starts_on,
        deadline=deadline,
        report_due_on=report_due_on,
        documents=documents,
    )
    with transaction.atomic():
        campaign = StudyCampaign(
            organization=organization,
            title=nfc(title),
            description=_no_html(description, "description"),
            starts_on=starts_on,
            deadline=deadline,
            report_due_on=report_due_on,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        _full_clean(campaign)
        stamp(campaign, actor).save()
        campaign.documents.set(documents)
        if notify_units:
            notify(
                recipients=_secretaries_under(organization),
                kind="study.campaign_launched",
                title=format_lazy(gettext_lazy("New study campaign: {title}"), title=campaign.title),
                body=format_lazy(
                    gettext_lazy("Hold the study sessions by {deadline}; learning reports are due on {due}."),
                    deadline=deadline.strftime("%d/%m/%Y"),
                    due=report_due_on.strftime("%d/%m/%Y"),
                ),
                url=f"/study/campaigns/{campaign.pk}/",
            )
    return campaign


def campaign_update(
    *, actor, campaign: StudyCampaign, data: dict, documents=None, expected_version: int | None
) -> StudyCampaign:
    _authorize_reach(actor, "study.launch_campaign", campaign.organization.path)
    with transaction.atomic():
        campaign = _lock(StudyCampaign, campaign.pk)
        _check_version(campaign, expected_version)
        for name in ("title", "description", "starts_on", "deadline", "report_due_on"):
            if name in data:
                setattr(campaign, name, data[name])
        campaign.title = nfc(campaign.title)
        campaign.description = _no_html(campaign.description, "description")
        docs = list(documents) if documents is not None else list(campaign.documents.all())
        _campaign_rules(
            organization=campaign.organization,
            starts_on=campaign.starts_on,
            deadline=campaign.deadline,
            report_due_on=campaign.report_due_on,
            documents=docs,
        )
        _full_clean(campaign)
        _bump(campaign, actor)
        campaign.save()
        if documents is not None:
            campaign.documents.set(docs)
        # Drafts not submitted yet follow the new due date; submitted ones keep the date they were judged by.
        LearningReport.objects.filter(campaign=campaign, status=ReportStatus.DRAFT).update(
            due_on=campaign.report_due_on
        )
    return campaign


def campaign_close(*, actor, campaign: StudyCampaign) -> StudyCampaign:
    _authorize_reach(actor, "study.launch_campaign", campaign.organization.path)
    with transaction.atomic():
        campaign = _lock(StudyCampaign, campaign.pk)
        campaign.status = CampaignStatus.CLOSED
        _bump(campaign, actor)
        campaign.save()
    return campaign


def campaign_requires(campaign: StudyCampaign, member: Member) -> bool:
    """Whether the member must study in this campaign: current, not exempted, in the campaign's subtree."""
    return member.status in REQUIRED_STATUSES and campaign.organization.contains(member.organization)
