"""Reception days, dialogues, routing rules and categories."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.orgs.models import Organization

from .. import uploads
from ..models import Category, Dialogue, ReceptionDay, RoutingRule


def heads_of(org: Organization, on: dt.date | None = None):
    """Members holding the secretary seat of the organization's committees on `on`."""
    from coso.members.models import Member
    from coso.orgs.models import PositionTitle

    on = on or timezone.localdate()
    return (
        Member.objects.filter(
            positions__committee__organization=org,
            positions__title=PositionTitle.SECRETARY,
            positions__starts_on__lte=on,
        )
        .filter(Q(positions__ends_on__isnull=True) | Q(positions__ends_on__gte=on))
        .distinct()
    )


RECEPTION_FIELDS = (
    "head", "date", "kind", "status", "place", "received_by", "citizens_count", "citizen_names", "matters", "note"
)  # fmt: skip


DIALOGUE_FIELDS = (
    "kind", "topic", "date", "place", "status", "chaired_by", "participants_count", "participants", "questions",
    "answers", "follow_ups",
)  # fmt: skip


def _clean_text(data: dict, names) -> None:
    uploads.reject_html({name: data[name] for name in names if isinstance(data.get(name), str)})


def reception_day_save(
    *, actor, organization: Organization, data: dict, instance: ReceptionDay | None = None,
    expected_version: int | None = None,
) -> ReceptionDay:  # fmt: skip
    """Plan or record a reception day of the committee head."""
    permissions.authorize(actor, "citizens.record", organization.path)
    _clean_text(data, ("place", "received_by", "citizen_names", "matters", "note"))
    head = data.get("head")
    if head is not None and not heads_of(organization, data.get("date")).filter(pk=head.pk).exists():
        message = _("The head must hold the secretary seat of this organization's committee.")
        raise RuleViolation(message, fields={"head": [message]})
    if data.get("status") == "HELD" and data.get("date") and data["date"] > timezone.localdate():
        message = _("A reception day in the future cannot be recorded as held.")
        raise RuleViolation(message, fields={"date": [message]})
    with transaction.atomic():
        item = instance or ReceptionDay(organization=organization)
        for name in RECEPTION_FIELDS:
            if name in data:
                setattr(item, name, data[name])
        item.full_clean()
        if instance is None:
            stamp(item, actor)
            item.save()
        else:
            save_versioned(item, expected_version=expected_version, actor=actor)
    return item


def dialogue_save(
    *, actor, organization: Organization, data: dict, invited=None, instance: Dialogue | None = None,
    expected_version: int | None = None,
) -> Dialogue:  # fmt: skip
    """Plan or record a dialogue, a forum session or a round of door-to-door visits."""
    permissions.authorize(actor, "citizens.record_dialogue", organization.path)
    _clean_text(data, ("topic", "place", "participants", "questions", "answers", "follow_ups"))
    with transaction.atomic():
        item = instance or Dialogue(organization=organization)
        for name in DIALOGUE_FIELDS:
            if name in data:
                setattr(item, name, data[name])
        item.full_clean()
        if instance is None:
            stamp(item, actor)
            item.save()
        else:
            save_versioned(item, expected_version=expected_version, actor=actor)
        if invited is not None:
            item.invited_members.set(invited)
    return item


def dialogue_invite_members(*, actor, dialogue: Dialogue) -> int:
    """Invite to a dialogue with members those in hardship or working far away (the members' working_away flag)."""
    from coso.members.models import CURRENT_STATUSES, Member

    permissions.authorize(actor, "citizens.record_dialogue", dialogue.organization.path)
    path = dialogue.organization.path
    members = Member.objects.filter(
        Q(organization__path=path) | Q(organization__path__startswith=path + "."),
        status__in=CURRENT_STATUSES,
        working_away=True,
    )
    ids = list(members.values_list("pk", flat=True))
    dialogue.invited_members.add(*ids)
    return len(ids)


def routing_rule_save(
    *, actor, area: Organization, responsible: Organization, category: Category | None = None, note: str = ""
) -> RoutingRule:
    permissions.authorize(actor, "citizens.receive", area.path)
    if not permissions.can(actor, "citizens.view", responsible.path) and not responsible.contains(area):
        message = _("Assign the item to an organization of your area.")
        raise RuleViolation(message, fields={"responsible": [message]})
    uploads.reject_html({"note": note})
    with transaction.atomic():
        rule = RoutingRule.objects.filter(area=area, category=category).first() or RoutingRule(
            area=area, category=category
        )
        rule.responsible = responsible
        rule.note = note
        rule.full_clean()
        stamp(rule, actor)
        rule.save()
    return rule


def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    permissions.authorize(actor, "citizens.receive", rule.area.path)
    stamp(rule, actor)
    rule.delete()


def category_save(*, actor, data: dict, instance: Category | None = None) -> Category:
    if not permissions.has_any(actor, "citizens.configure"):
        raise PermissionDenied
    _clean_text(data, ("name", "description"))
    with transaction.atomic():
        item = instance or Category()
        for name, value in data.items():
            setattr(item, name, value)
        item.full_clean()
        stamp(item, actor)
        item.save()
    return item
