"""Writes to member records: create, update, events (admission, transfers, exemption, discipline, ...).

A member's status is never typed in: `member_refresh_status` derives it from the dated events, and the
current organization follows the open membership period.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.core.patching import refuse_unwritable
from coso.core.policies import policy
from coso.orgs.models import Organization

from .models import EventKind, Member, MemberEvent, MembershipPeriod, MemberStatus, PeriodKind
from .rules import add_months, check_member

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
# Fields stored as NULL when empty (unique when present); the other text fields store "".
_NULLABLE = {"national_id", "card_number", "date_of_birth", "admitted_on", "full_member_on"}

CURRENT = (MemberStatus.PROBATIONARY, MemberStatus.FULL, MemberStatus.EXEMPT)
# Statuses after which only a new admission (or nothing, after death) changes anything.
_ENDED = (MemberStatus.STRUCK_OFF, MemberStatus.EXPELLED)
# Events that do not change the status: they may be recorded out of date order.
_NEUTRAL_EVENTS = {EventKind.DISCIPLINE, EventKind.TRANSFER}
_KIND_ORDER = {kind: i for i, kind in enumerate(EventKind.values)}


def _event_key(event) -> tuple:
    if isinstance(event, MemberEvent):
        return (event.occurred_on, _KIND_ORDER.get(event.kind, 0), event.pk or 0)
    return (event[1], _KIND_ORDER.get(event[0], 0), 0)


def derive_status(events: list[MemberEvent] | list[tuple[str, dt.date]]) -> str:
    """Fold the dated events into the member's status (pure: used by services, the importer and tests)."""
    status = MemberStatus.PROBATIONARY
    before_exemption = MemberStatus.FULL
    before_transfer_out = MemberStatus.PROBATIONARY
    for event in sorted(events, key=_event_key):
        kind = event.kind if isinstance(event, MemberEvent) else event[0]
        if status == MemberStatus.DECEASED:
            break
        if status in _ENDED and kind not in (EventKind.ADMISSION, EventKind.DEATH):
            continue
        if kind == EventKind.ADMISSION:
            status = MemberStatus.PROBATIONARY
        elif kind == EventKind.RECOGNITION:
            # Recognition while exempted or away changes what the member returns to, not the current state.
            if status == MemberStatus.EXEMPT:
                before_exemption = MemberStatus.FULL
            elif status == MemberStatus.TRANSFERRED_OUT:
                before_transfer_out = MemberStatus.FULL
            else:
                status = MemberStatus.FULL
        elif kind == EventKind.EXEMPTION and status in (MemberStatus.PROBATIONARY, MemberStatus.FULL):
            before_exemption = status
            status = MemberStatus.EXEMPT
        elif kind == EventKind.EXEMPTION_END and status == MemberStatus.EXEMPT:
            status = before_exemption
        elif kind == EventKind.TRANSFER_OUT and status in CURRENT:
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


def _normalize(values: dict) -> dict:
    """Empty text is "", empty unique or date fields are NULL, so that forms, the API and imports agree."""
    result = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            value = None if name in _NULLABLE else ("" if name != "working_away" else False)
        result[name] = value
    return result


def _validate(data: dict, *, exclude_pk: int | None = None) -> None:
    verdict = check_member(data)
    errors = dict(verdict.errors)
    for name, message in (
        ("national_id", _("Another member already has this national ID.")),
        ("card_number", _("Another member already has this party card number.")),
    ):
        value = (data.get(name) or "").strip()
        if value and Member.objects.filter(**{name: value}).exclude(pk=exclude_pk).exists():
            errors.setdefault(name, []).append(message)
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")


def _full_clean(instance, **kwargs) -> None:
    """Model validation as a RuleViolation, so views and the API report it like every other rule."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise RuleViolation(_("Please correct the errors below."), fields=fields, code="invalid")


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


def _set_photo(member: Member, photo) -> None:
    """`photo`: an uploaded file to store, False to remove the photo, None to leave it as it is."""
    if photo is None:
        return
    if photo is False:
        if member.photo:
            member.photo.delete(save=False)
        member.photo = ""
    else:
        member.photo = photo


def member_create(
    *,
    actor,
    organization: Organization,
    data: dict,
    period_start: dt.date | None = None,
    photo=None,
) -> Member:
    """Create a member record in a cell with its first membership period and admission events."""
    permissions.authorize(actor, "members.change", organization.path)
    if not organization.is_active:
        raise RuleViolation(
            _("The organization is no longer active."),
            fields={"organization": [_("The organization is no longer active.")]},
        )
    if not organization.is_cell:
        raise RuleViolation(
            _("Members belong to cells; choose a cell."),
            fields={"organization": [_("Members belong to cells; choose a cell.")]},
        )
    values = _normalize({name: data.get(name) for name in EDITABLE_FIELDS if name in data})
    _validate(values)
    with transaction.atomic():
        member = Member(organization=organization, **values)
        _set_photo(member, photo)
        _full_clean(member, exclude=["organization"], validate_unique=False)
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


def member_update(*, actor, member: Member, data: dict, expected_version: int | None, photo=None) -> Member:
    """Change typed-in fields; a stale `expected_version` is a conflict, never a silent overwrite."""
    permissions.authorize(actor, "members.change", member.organization.path)
    # Status, organization and sort keys are derived: sending them is refused by name, not ignored.
    refuse_unwritable(data, EDITABLE_FIELDS)
    values = _normalize({name: data[name] for name in EDITABLE_FIELDS if name in data})
    merged = {name: getattr(member, name) for name in EDITABLE_FIELDS} | values
    _validate(merged, exclude_pk=member.pk)
    with transaction.atomic():
        for name, value in values.items():
            setattr(member, name, value)
        _set_photo(member, photo)
        _full_clean(member, exclude=["organization"], validate_unique=False)
        save_versioned(member, expected_version=expected_version, actor=actor, skip_unchanged=True)
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
    EventKind.DISCIPLINE: set(CURRENT),
    EventKind.STRUCK_OFF: set(CURRENT),
    EventKind.EXPELLED: set(CURRENT),
    EventKind.DEATH: set(CURRENT),
}


def _check_sequence(member: Member, kind: str, occurred_on: dt.date, allowed, errors: dict) -> None:
    """The event must fit the member's status on its date, and status changes are recorded in date order."""
    events = list(member.events.all())
    status = derive_status([e for e in events if e.occurred_on <= occurred_on])
    if status not in allowed:
        errors.setdefault("kind", []).append(
            _("This event is not possible for a member whose status is “%(status)s”.")
            % {"status": MemberStatus(status).label}
        )
    if kind not in _NEUTRAL_EVENTS:
        later = [e for e in events if e.occurred_on > occurred_on and e.kind not in _NEUTRAL_EVENTS]
        if later:
            errors.setdefault("occurred_on", []).append(
                _("The member has a later event (%(event)s); record status changes in date order.")
                % {"event": str(later[-1])}
            )


def _check_date(member: Member, occurred_on: dt.date, errors: dict) -> None:
    if occurred_on > timezone.localdate():
        errors.setdefault("occurred_on", []).append(_("The date cannot be in the future."))
    if occurred_on < member.admitted_on:
        errors.setdefault("occurred_on", []).append(_("The date cannot be before the admission."))


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
    """Record recognition, exemption (and its end), discipline, striking off, expulsion or death."""
    permissions.authorize(actor, "members.record_event", member.organization.path)
    if kind not in SIMPLE_EVENTS:
        raise RuleViolation(
            _("Use the transfer form for transfers."),
            fields={"kind": [_("Use the transfer form for transfers.")]},
        )
    errors: dict[str, list[str]] = {}
    _check_date(member, occurred_on, errors)
    _check_sequence(member, kind, occurred_on, _ALLOWED_FROM[kind], errors)
    if kind == EventKind.RECOGNITION:
        due = add_months(member.admitted_on, policy("probation.months", member.admitted_on))
        if occurred_on < due:
            errors.setdefault("occurred_on", []).append(
                _("Full membership cannot come before the end of the 12-month probation (%(due)s).")
                % {"due": due.strftime("%d/%m/%Y")}
            )
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
        caller, member = (
            member,
            Member.objects.select_for_update().select_related("organization").get(pk=member.pk),
        )
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
        _full_clean(event)
        event.save()
        if kind == EventKind.RECOGNITION and member.full_member_on != occurred_on:
            member.full_member_on = occurred_on
            member.version += 1
            stamp(member, actor).save()
        if kind in (EventKind.STRUCK_OFF, EventKind.EXPELLED, EventKind.DEATH):
            MembershipPeriod.objects.filter(member=member, ends_on__isnull=True).update(ends_on=occurred_on)
        member_refresh_status(member)
    # The caller's instance is now stale (organization, version, status): bring it up to date.
    caller.refresh_from_db()
    return event


def _check_period_start(member: Member, occurred_on: dt.date, errors: dict) -> None:
    current = member.periods.filter(ends_on__isnull=True).order_by("-starts_on").first()
    if current is not None and occurred_on < current.starts_on:
        errors.setdefault("occurred_on", []).append(
            _("The date cannot be before the member joined the current organization (%(date)s).")
            % {"date": current.starts_on.strftime("%d/%m/%Y")}
        )


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
    """Move a member to another cell in Coso (closing and opening periods) or out of Coso."""
    permissions.authorize(actor, "members.record_event", member.organization.path)
    errors: dict[str, list[str]] = {}
    external_party = (external_party or "").strip()
    if to_organization is None and not external_party:
        errors["to_organization"] = [_("Choose the receiving organization or name it if it is outside Coso.")]
    if to_organization is not None:
        if not permissions.can(actor, "members.record_event", to_organization.path):
            errors["to_organization"] = [_("You cannot transfer members to this organization.")]
        elif not to_organization.is_active:
            errors["to_organization"] = [_("The receiving organization is no longer active.")]
        elif to_organization.pk == member.organization_id:
            errors["to_organization"] = [_("The member already belongs to this organization.")]
        elif not to_organization.is_cell:
            errors["to_organization"] = [_("Members belong to cells; choose a cell.")]
    if kind not in PeriodKind.values:
        errors["kind"] = [_("Choose a permanent or a temporary transfer.")]
    if member.status not in CURRENT:
        errors["member"] = [_("Only a current member can be transferred.")]
    _check_date(member, occurred_on, errors)
    _check_period_start(member, occurred_on, errors)
    if "member" not in errors:
        _check_sequence(member, EventKind.TRANSFER_OUT, occurred_on, set(CURRENT), errors)
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
    with transaction.atomic():
        caller, member = (
            member,
            Member.objects.select_for_update().select_related("organization").get(pk=member.pk),
        )
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
        # The record changed under anyone who has it open: their next save must see a conflict.
        member.version += 1
        stamp(member, actor).save()
        member_refresh_status(member)
    # The caller's instance is now stale (organization, version, status): bring it up to date.
    caller.refresh_from_db()
    return event


def member_transfer_in(
    *,
    actor,
    member: Member,
    organization: Organization,
    occurred_on: dt.date,
    external_party: str = "",
    decision_number: str = "",
    issuing_body: str = "",
    note: str = "",
) -> MemberEvent:
    """A member who had left Coso's tree comes back (their file arrives from outside)."""
    permissions.authorize(actor, "members.record_event", organization.path)
    errors: dict[str, list[str]] = {}
    if member.status != MemberStatus.TRANSFERRED_OUT:
        errors["member"] = [_("Only a member who was transferred out can be transferred in.")]
    if not organization.is_active:
        errors["to_organization"] = [_("The receiving organization is no longer active.")]
    elif not organization.is_cell:
        errors["to_organization"] = [_("Members belong to cells; choose a cell.")]
    _check_date(member, occurred_on, errors)
    last_out = member.events.filter(kind=EventKind.TRANSFER_OUT).order_by("-occurred_on").first()
    if last_out is not None and occurred_on < last_out.occurred_on:
        errors.setdefault("occurred_on", []).append(
            _("The date cannot be before the transfer out (%(date)s).")
            % {"date": last_out.occurred_on.strftime("%d/%m/%Y")}
        )
    if errors:
        raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
    with transaction.atomic():
        caller, member = member, Member.objects.select_for_update().get(pk=member.pk)
        event = MemberEvent.objects.create(
            member=member,
            kind=EventKind.TRANSFER_IN,
            occurred_on=occurred_on,
            to_organization=organization,
            external_party=(external_party or "").strip(),
            decision_number=decision_number,
            issuing_body=issuing_body,
            note=note,
            recorded_by=_user(actor),
        )
        MembershipPeriod.objects.create(member=member, organization=organization, starts_on=occurred_on)
        member.organization = organization
        member.version += 1
        stamp(member, actor).save()
        member_refresh_status(member)
    # The caller's instance is now stale (organization, version, status): bring it up to date.
    caller.refresh_from_db()
    return event
