"""Study work follows an organization that stops (see `coso.orgs.signals`): the campaigns it runs are run by the
successor, learning reports still waiting for its review are reviewed there, and this year's follow-through
plans of its members belong to the successor. Closed campaigns and reviewed reports stay as its record."""

from __future__ import annotations

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coso.orgs.signals import Handover, handover_preview, organization_handover, register_labels

from .models import CampaignStatus, FollowThroughPlan, LearningReport, ReportStatus, StudyCampaign

register_labels(
    {
        "campaigns_active": gettext_lazy("study campaigns in progress"),
        "reports_to_review": gettext_lazy("learning reports waiting for review"),
        "plans_this_year": gettext_lazy("follow-through plans of this year"),
    }
)


def _querysets(source, on):
    return {
        "campaigns_active": StudyCampaign.objects.filter(organization=source, status=CampaignStatus.ACTIVE),
        "reports_to_review": LearningReport.objects.filter(reviewer_organization=source).exclude(
            status=ReportStatus.REVIEWED
        ),
        "plans_this_year": FollowThroughPlan.objects.filter(organization=source, year__gte=on.year),
    }


@receiver(handover_preview, dispatch_uid="study.handover_preview")
def preview(*, source, effective_on, **kwargs) -> list[Handover]:
    return [Handover(key, qs.count()) for key, qs in _querysets(source, effective_on).items()]


@receiver(organization_handover, dispatch_uid="study.handover")
def handover(*, source, successor, effective_on, **kwargs) -> list[Handover]:
    if successor is None:
        return []
    now = timezone.now()
    sets = _querysets(source, effective_on)
    bump = {"version": F("version") + 1, "updated_at": now}
    return [
        Handover("campaigns_active", sets["campaigns_active"].update(organization=successor, **bump)),
        Handover(
            "reports_to_review", sets["reports_to_review"].update(reviewer_organization=successor, **bump)
        ),
        Handover("plans_this_year", sets["plans_this_year"].update(organization=successor, **bump)),
    ]
