"""Meetings of an organization that stops (see `coso.orgs.signals`).

Its meetings planned after the date are cancelled, with the reason, and the members who had the notice are told:
the organization no longer meets, and its members meet in the successor, whose secretary plans the next one.
Open escalations raised by it or waiting for its answer go to the successor; so do its seasonal topics and its
rotation plans still running.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts.permissions import SYSTEM
from coso.orgs.signals import Handover, handover_preview, organization_handover, register_labels

from .models import Escalation, EscalationStatus, Meeting, MeetingStatus, RotationPlan, SeasonalTopic
from .services import meeting_cancel

register_labels(
    {
        "meetings_cancelled": gettext_lazy("planned meetings cancelled"),
        "escalations_open": gettext_lazy("escalations waiting for an answer"),
        "seasonal_topics": gettext_lazy("seasonal topics"),
        "rotation_plans": gettext_lazy("rotation plans still running"),
    }
)


def _planned(source, on: dt.date):
    start = timezone.make_aware(dt.datetime.combine(on, dt.time.min))
    return Meeting.objects.filter(
        organization=source, status__in=(MeetingStatus.PLANNED, MeetingStatus.PUBLISHED), starts_at__gte=start
    )


def _querysets(source, on: dt.date):
    return {
        "escalations_raised": Escalation.objects.filter(organization=source, status=EscalationStatus.OPEN),
        "escalations_received": Escalation.objects.filter(committee=source, status=EscalationStatus.OPEN),
        "seasonal_topics": SeasonalTopic.objects.filter(organization=source),
        "rotation_plans": RotationPlan.objects.filter(organization=source, ends_on__gte=on),
    }


@receiver(handover_preview, dispatch_uid="meetings.handover_preview")
def preview(*, source, effective_on, **kwargs) -> list[Handover]:
    sets = _querysets(source, effective_on)
    return [
        Handover("meetings_cancelled", _planned(source, effective_on).count()),
        Handover(
            "escalations_open", sets["escalations_raised"].count() + sets["escalations_received"].count()
        ),
        Handover("seasonal_topics", sets["seasonal_topics"].count()),
        Handover("rotation_plans", sets["rotation_plans"].count()),
    ]


@receiver(organization_handover, dispatch_uid="meetings.handover")
def handover(*, kind, source, successor, effective_on, **kwargs) -> list[Handover]:
    if kind == "merge":
        reason = _("%(name)s no longer meets: it was merged into %(successor)s.") % {
            "name": source.name,
            "successor": successor.name,
        }
    elif kind == "split":
        reason = _("%(name)s no longer meets: it was split into new organizations.") % {"name": source.name}
    else:
        reason = _("%(name)s no longer meets: it was dissolved.") % {"name": source.name}
    cancelled = 0
    for meeting in _planned(source, effective_on):
        meeting_cancel(actor=SYSTEM, meeting=meeting, reason=reason)
        cancelled += 1
    lines = [Handover("meetings_cancelled", cancelled)]
    if successor is None:
        return lines
    now = timezone.now()
    sets = _querysets(source, effective_on)
    bump = {"version": F("version") + 1, "updated_at": now}
    lines.append(
        Handover(
            "escalations_open",
            sets["escalations_raised"].update(organization=successor, **bump)
            + sets["escalations_received"].update(committee=successor, **bump),
        )
    )
    lines.append(Handover("seasonal_topics", sets["seasonal_topics"].update(organization=successor, **bump)))
    lines.append(Handover("rotation_plans", sets["rotation_plans"].update(organization=successor, **bump)))
    return lines
