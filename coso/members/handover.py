"""Members follow their organization when it is merged or split (see `coso.orgs.signals`).

A merge moves every member recorded in the stopping organization to the target (closing their membership
period and opening one in the target); members of its sub-organizations stay in their own cells, which move with
them. A split moves each member to the part the office assigned, and refuses unless every member goes to exactly one.
An organization with current members cannot be dissolved.
"""

from __future__ import annotations

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.core.exceptions import RuleViolation
from coso.orgs.models import PATH_SEPARATOR
from coso.orgs.signals import Handover, handover_preview, members_handover, register_labels

from .models import CURRENT_STATUSES, Member, MembershipPeriod, PeriodKind

register_labels(
    {
        "members_moved": gettext_lazy("members recorded directly in the organization, moved"),
        "members_carried": gettext_lazy("members who moved with their own cells"),
    }
)


def _carried(source) -> int:
    return Member.objects.filter(organization__path__startswith=source.path + PATH_SEPARATOR).count()


def move_members(*, member_ids: list[int], target, on, note: str) -> int:
    """Close the open membership periods of the given members and open new ones in `target`."""
    if not member_ids:
        return 0
    open_periods = MembershipPeriod.objects.filter(member_id__in=member_ids, ends_on__isnull=True)
    kinds = dict(open_periods.values_list("member_id", "kind"))
    open_periods.update(ends_on=on, updated_at=timezone.now())
    MembershipPeriod.objects.bulk_create(
        [
            MembershipPeriod(
                member_id=pk,
                organization=target,
                kind=kinds.get(pk, PeriodKind.PERMANENT),
                starts_on=on,
                note=note,
            )
            for pk in member_ids
        ],
        batch_size=1000,
    )
    Member.objects.filter(pk__in=member_ids).update(
        organization=target, version=F("version") + 1, updated_at=timezone.now()
    )
    return len(member_ids)


def _check_split(source, parts) -> None:
    current = set(Member.objects.filter(organization=source).values_list("pk", flat=True))
    assigned = [pk for _org, ids in parts for pk in ids or ()]
    if len(assigned) != len(set(assigned)) or set(assigned) != current:
        message = _("Every member of the organization must go to exactly one of the new organizations.")
        raise RuleViolation(message, fields={"parts": [message]})


@receiver(handover_preview, dispatch_uid="members.handover_preview")
def preview(*, kind, source, parts, **kwargs) -> list[Handover]:
    if kind != "merge":
        return []  # a split's page already shows each part's members; a dissolved organization has none
    return [
        Handover("members_moved", Member.objects.filter(organization=source).count()),
        Handover("members_carried", _carried(source)),
    ]


@receiver(members_handover, dispatch_uid="members.handover")
def handover(*, kind, source, parts, effective_on, **kwargs) -> list[Handover]:
    if kind == "split":
        _check_split(source, parts)
        note = _("Split from %(name)s") % {"name": source.name}
    elif kind == "merge":
        note = _("Merged from %(name)s") % {"name": source.name}
    else:
        if Member.objects.filter(organization=source, status__in=CURRENT_STATUSES).exists():
            message = _("Move or transfer the members of this organization before dissolving it.")
            raise RuleViolation(message, fields={"org": [message]})
        return []
    carried = _carried(source) if kind == "merge" else 0
    moved = 0
    for target, ids in parts:
        if ids is None:
            ids = list(Member.objects.filter(organization=source).values_list("pk", flat=True))
        moved += move_members(member_ids=list(ids), target=target, on=effective_on, note=note)
    return [Handover("members_moved", moved), Handover("members_carried", carried)]
