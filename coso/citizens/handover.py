"""Citizens' matters follow an organization that stops (see `coso.orgs.signals`).

Open feedback items (those still waiting for an answer or a rating) are handled, received, escalated and located
at the successor; planned reception days and dialogues are held by it; routing rules that named the stopping
organization now name the successor, so new reports from its residents reach a living unit. Closed items stay
where they were handled: they are history.
"""

from __future__ import annotations

from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coso.orgs.signals import Handover, handover_preview, organization_handover, register_labels

from .models import FINAL_STATUSES, ActivityStatus, Dialogue, Feedback, ReceptionDay, RoutingRule

register_labels(
    {
        "feedback_open": gettext_lazy("open feedback items"),
        "reception_days_planned": gettext_lazy("planned reception days"),
        "dialogues_planned": gettext_lazy("planned dialogues"),
        "routing_rules": gettext_lazy("routing rules"),
    }
)

FEEDBACK_FIELDS = ("organization", "receiving_org", "escalated_to", "area")


def _querysets(source):
    on_source = Q()
    for field in FEEDBACK_FIELDS:
        on_source |= Q(**{field: source})
    return {
        "feedback_open": Feedback.objects.filter(on_source).exclude(status__in=FINAL_STATUSES),
        "reception_days_planned": ReceptionDay.objects.filter(
            organization=source, status=ActivityStatus.PLANNED
        ),
        "dialogues_planned": Dialogue.objects.filter(organization=source, status=ActivityStatus.PLANNED),
        "routing_rules": RoutingRule.objects.filter(Q(area=source) | Q(responsible=source)),
    }


@receiver(handover_preview, dispatch_uid="citizens.handover_preview")
def preview(*, source, **kwargs) -> list[Handover]:
    return [Handover(key, qs.count()) for key, qs in _querysets(source).items()]


@receiver(organization_handover, dispatch_uid="citizens.handover")
def handover(*, source, successor, **kwargs) -> list[Handover]:
    if successor is None:
        return []
    now = timezone.now()
    sets = _querysets(source)
    ids = list(sets["feedback_open"].values_list("pk", flat=True))
    for field in FEEDBACK_FIELDS:
        Feedback.objects.filter(pk__in=ids, **{field: source}).update(**{field: successor})
    Feedback.objects.filter(pk__in=ids).update(version=F("version") + 1, updated_at=now)
    lines = [Handover("feedback_open", len(ids))]
    for key in ("reception_days_planned", "dialogues_planned"):
        lines.append(
            Handover(key, sets[key].update(organization=successor, version=F("version") + 1, updated_at=now))
        )
    rules = RoutingRule.objects.filter(pk__in=list(sets["routing_rules"].values_list("pk", flat=True)))
    rules.filter(area=source).update(area=successor, updated_at=now)
    rules.filter(responsible=source).update(responsible=successor, updated_at=now)
    lines.append(Handover("routing_rules", rules.count()))
    return lines
