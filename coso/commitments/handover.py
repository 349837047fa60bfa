"""Commitments follow an organization that stops (see `coso.orgs.signals`): every hard task or sub-task it still
owes (not yet verified as solved for good) is owed by the successor; verified ones stay as its record."""

from __future__ import annotations

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coso.orgs.signals import Handover, handover_preview, organization_handover, register_labels

from .models import HardTask, HardTaskStatus

register_labels({"hard_tasks_open": gettext_lazy("commitments and sub-tasks not yet solved")})


def _open(source):
    return HardTask.objects.filter(organization=source).exclude(status=HardTaskStatus.VERIFIED)


@receiver(handover_preview, dispatch_uid="commitments.handover_preview")
def preview(*, source, **kwargs) -> list[Handover]:
    return [Handover("hard_tasks_open", _open(source).count())]


@receiver(organization_handover, dispatch_uid="commitments.handover")
def handover(*, source, successor, **kwargs) -> list[Handover]:
    if successor is None:
        return []
    moved = _open(source).update(organization=successor, version=F("version") + 1, updated_at=timezone.now())
    return [Handover("hard_tasks_open", moved)]
