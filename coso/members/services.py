"""Writes to member records: create, update, events (admission, transfers, exemption, discipline, ...).

A member's status is never typed in: `member_refresh_status` derives it from the dated events, and the
current organization follows the open membership period.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.orgs.models import Organization

from .models import EventKind, Member, MemberEvent, MembershipPeriod, MemberStatus, PeriodKind
from .rules import check_member

# Fields an office may type in; everything else (status, organization, sort keys) is derived.
EDITABLE_FIELDS = (
    "full_name",
    "gender",
    "date_of_birth",
    "ethnicity",
    "religion",
    "hometown",
    "current_address",
    "national_id",
    "phone",
    "email",
    "education",
    "professional_qualification",
    "theory_level",
    "occupation",
    "card_number",
    "admitted_on",
    "full_member_on",
    "working_away",
)


def derive_status(events: list[MemberEvent] | list[tuple[str, dt.date]]) -> str:
    """Fold the dated events into the member's status (pure: used by services, the importer and tests)."""
    status = MemberStatus.PROBATIONARY
    before_exemption = MemberStatus.FULL
    before_transfer_out = MemberStatus.PROBATIONARY
    pairs = [(e.kind, e.occurred_on) if isinstance(e, MemberEvent) else e for e in events]
    order = {kind: i for i, kind in enumerate(EventKind.values)}
    for kind, _on in sorted(pairs, key=lambda p: (p[1], order.get(p[0], 0))):
        if kind == EventKind.ADMISSION:
            status = MemberStatus.PROBATIONARY
        elif kind == EventKind.RECOGNITION:
            status = MemberStatus.FULL
        elif kind == EventKind.EXEMPTION:
            before_exemption = status
            status = MemberStatus.EXEMPT
        elif kind == EventKind.EXEMPTION_END and status == MemberStatus.EXEMPT:
            status = before_exemption
        elif kind == EventKind.TRANSFER_OUT:
            before_transfer_out = status
            status = MemberStatus.TRANSFERRED_OUT
        elif kind == EventKind.TRANSFER_IN and status == MemberStatus.TRANSFERRED_OUT:
            status = before_transfer_out
        elif kind == EventKind.STRUCK_OFF:
            status = MemberStatus.STRUCK_OFF
        elif kind == EventKind.EXPELLED:
            status = MemberStatus.EXPELLED
        elif kind == EventKind.DEATH:
            status = MemberStatus.DECEASED
    return status


def member_refresh_status(member: Member) -> str:
    status = derive_status(list(member.events.all()))
    if status != member.status:
        Member.objects.filter(pk=member.pk).update(status=status)
        member.status = status
    return status


def _validate(data: dict, *, exclude_pk: int | None = None) -> None:
    verdict = check_member(data)
    errors = dict(verdict.errors)
    for name, label in (("national_id", _("national ID")), ("card_number", _("party card number"))):
        value = (data.get(name) or "").strip()
        if value and Member.objects.filter(**{name: value}).exclude(pk=exclude_pk).exists():
            errors.setdefault(name, []).append(
                _("Another member already has this %(label)s.") % {"label": label}
            )
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")


def _sync_date_event(member: Member, kind: str, on: dt.date | None, actor) -> None:
    """Keep the ADMISSION / RECOGNITION events in step with the record's dates."""
    event = member.events.filter(kind=kind).order_by("occurred_on").first()
    if on is None:
        if event is not None and kind == EventKind.RECOGNITION:
            event.delete()
        return
    if event is None:
        MemberEvent.objects.create(member=member, kind=kind, occurred_on=on, recorded_by=_user(actor))
    elif event.occurred_on != on:
        event.occurred_on = on
        event.save(update_fields=["occurred_on", "updated_at"])


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def member_create(
    *, actor, organization: Organization, data: dict, period_start: dt.date | None = None
) -> Member:
    """Create a member record in `organization` with its first membership period and admission events."""
    permissions.authorize(actor, "members.change", organization.path)
    if not organization.is_active:
        raise RuleViolation(
            _("The organization is no longer active."),
            fields={"organization": [_("The organization is no longer active.")]},
        )
    values = {name: data.get(name) for name in EDITABLE_FIELDS if name in data}
    _validate(values)
    with transaction.atomic():
        member = Member(organization=organization, **values)
        member.full_clean(exclude=["organization"])
        stamp(member, actor).save()
        MembershipPeriod.objects.create(
            member=member,
            organization=organization,
            kind=PeriodKind.PERMANENT,
            starts_on=period_start or member.admitted_on,
        )
        _sync_date_event(member, EventKind.ADMISSION, member.admitted_on, actor)
        _sync_date_event(member, EventKind.RECOGNITION, member.full_member_on, actor)
        member_refresh_status(member)
    return member


def member_update(*, actor, member: Member, data: dict, expected_version: int | None) -> Member:
    """Change typed-in fields; a stale `expected_version` is a conflict, never a silent overwrite."""
    permissions.authorize(actor, "members.change", member.organization.path)
    values = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    merged = {name: getattr(member, name) for name in EDITABLE_FIELDS} | values
    _validate(merged, exclude_pk=member.pk)
    with transaction.atomic():
        for name, value in values.items():
            setattr(member, name, value)
        member.full_clean(exclude=["organization"])
        save_versioned(member, expected_version=expected_version, actor=actor)
        _sync_date_event(member, EventKind.ADMISSION, member.admitted_on, actor)
        _sync_date_event(member, EventKind.RECOGNITION, member.full_member_on, actor)
        member_refresh_status(member)
    return member


# Events recorded through member_record_event; transfers have their own service.
SIMPLE_EVENTS = (
    EventKind.RECOGNITION,
    EventKind.EXEMPTION,
    EventKind.EXEMPTION_END,
    EventKind.DISCIPLINE,
    EventKind.STRUCK_OFF,
    EventKind.EXPELLED,
    EventKind.DEATH,
)

_ALLOWED_FROM = {
    EventKind.RECOGNITION: {MemberStatus.PROBATIONARY},
    EventKind.EXEMPTION: {MemberStatus.FULL, MemberStatus.PROBATIONARY},
    EventKind.EXEMPTION_END: {MemberStatus.EXEMPT},
    EventKind.DISCIPLINE: {MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPT},
    EventKind.STRUCK_OFF: {MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPT},
    EventKind.EXPELLED: {MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPT},
    EventKind.DEATH: {MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPT},
}


def member_record_event(
    *,
    actor,
    member: Member,
    kind: str,
    occurred_on: dt.date,
    decision_number: str = "",
    issuing_body: str = "",
    discipline_form: str = "",
    note: str = "",
) -> MemberEvent:
    permissions.authorize(actor, "members.record_event", member.organization.path)
    if kind not in SIMPLE_EVENTS:
        raise RuleViolation(
            _("Use the transfer form for transfers."),
            fields={"kind": [_("Use the transfer form for transfers.")]},
        )
    errors: dict[str, list[str]] = {}
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    if occurred_on < member.admitted_on:
        errors.setdefault("occurred_on", []).append(_("The date cannot be before the admission."))
    if member.status not in _ALLOWED_FROM[kind]:
        errors["kind"] = [
            _("This event is not possible for a member whose status is “%(status)s”.")
            % {"status": member.get_status_display()}
        ]
    if kind == EventKind.DISCIPLINE and not discipline_form:
        errors["discipline_form"] = [_("Choose the form of discipline.")]
    if (
        kind == EventKind.DISCIPLINE
        and member.status == MemberStatus.PROBATIONARY
        and discipline_form == "DISMISSAL"
    ):
        errors["discipline_form"] = [_("A probationary member can only be reprimanded or warned.")]
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        event = MemberEvent(
            member=member,
            kind=kind,
            occurred_on=occurred_on,
            decision_number=decision_number,
            issuing_body=issuing_body,
            discipline_form=discipline_form if kind == EventKind.DISCIPLINE else "",
            note=note,
            recorded_by=_user(actor),
        )
        event.full_clean()
        event.save()
        if kind == EventKind.RECOGNITION and member.full_member_on != occurred_on:
            member.full_member_on = occurred_on
            member.version += 1
            stamp(member, actor).save()
        if kind in (EventKind.STRUCK_OFF, EventKind.EXPELLED, EventKind.DEATH):
            MembershipPeriod.objects.filter(member=member, ends_on__isnull=True).update(ends_on=occurred_on)
        member_refresh_status(member)
    return event


def member_transfer(
    *,
    actor,
    member: Member,
    occurred_on: dt.date,
    to_organization: Organization | None = None,
    external_party: str = "",
    kind: str = PeriodKind.PERMANENT,
    decision_number: str = "",
    issuing_body: str = "",
    note: str = "",
) -> MemberEvent:
    """Move a member to another organization in Coso (closing and opening periods) or out of Coso."""
    permissions.authorize(actor, "members.record_event", member.organization.path)
    errors: dict[str, list[str]] = {}
    if to_organization is None and not external_party.strip():
        errors["to_organization"] = [_("Choose the receiving organization or name it if it is outside Coso.")]
    if to_organization is not None:
        if not permissions.can(actor, "orgs.view", to_organization.path):
            errors["to_organization"] = [_("You cannot transfer members to this organization.")]
        elif not to_organization.is_active:
            errors["to_organization"] = [_("The receiving organization is no longer active.")]
        elif to_organization.pk == member.organization_id:
            errors["to_organization"] = [_("The member already belongs to this organization.")]
        elif not to_organization.is_cell and to_organization.kind != "GRASSROOTS_CELL":
            errors["to_organization"] = [_("Members belong to cells; choose a cell.")]
    if member.status not in (MemberStatus.FULL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPT):
        errors["member"] = [_("Only a current member can be transferred.")]
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        source = member.organization
        MembershipPeriod.objects.filter(member=member, ends_on__isnull=True).update(ends_on=occurred_on)
        event = MemberEvent.objects.create(
            member=member,
            kind=EventKind.TRANSFER if to_organization else EventKind.TRANSFER_OUT,
            occurred_on=occurred_on,
            decision_number=decision_number,
            issuing_body=issuing_body,
            from_organization=source,
            to_organization=to_organization,
            external_party=external_party,
            note=note,
            recorded_by=_user(actor),
        )
        if to_organization is not None:
            MembershipPeriod.objects.create(
                member=member, organization=to_organization, kind=kind, starts_on=occurred_on, note=note
            )
            member.organization = to_organization
            member.version += 1
            stamp(member, actor).save()
        member_refresh_status(member)
    return event


def member_transfer_in(
    *,
    actor,
    member: Member,
    organization: Organization,
    occurred_on: dt.date,
    external_party: str = "",
    decision_number: str = "",
    note: str = "",
) -> MemberEvent:
    """A member who had left Coso's tree comes back (their file arrives from outside)."""
    permissions.authorize(actor, "members.record_event", organization.path)
    if member.status != MemberStatus.TRANSFERRED_OUT:
        raise RuleViolation(
            _("Only a member who was transferred out can be transferred in."),
            fields={"member": [_("Only a member who was transferred out can be transferred in.")]},
        )
    with transaction.atomic():
        event = MemberEvent.objects.create(
            member=member,
            kind=EventKind.TRANSFER_IN,
            occurred_on=occurred_on,
            to_organization=organization,
            external_party=external_party,
            decision_number=decision_number,
            note=note,
            recorded_by=_user(actor),
        )
        MembershipPeriod.objects.create(member=member, organization=organization, starts_on=occurred_on)
        member.organization = organization
        member.version += 1
        stamp(member, actor).save()
        member_refresh_status(member)
    return event
