"""Discipline records: the forms each subject allows, the time limits, and the member events."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.members.models import CURRENT_STATUSES, EventKind, Member, MemberStatus
from coso.members.rules import add_months
from coso.orgs.models import Organization

from ..models import (
    Discipline,
    DisciplineRecord,
    DisciplineSubject,
    InspectionCase,
    RemedyStatus,
)
from ._common import _invalid, _user

S = RemedyStatus
REPORT, VERIFY = "report", "verify"


# --- discipline ------------------------------------------------------------------------------------------------------

MEMBER_OFFICIAL_FORMS = (Discipline.REPRIMAND, Discipline.WARNING, Discipline.DISMISSAL, Discipline.EXPULSION)
MEMBER_PROBATIONARY_FORMS = (Discipline.REPRIMAND, Discipline.WARNING)
ORGANIZATION_FORMS = (Discipline.REPRIMAND, Discipline.WARNING, Discipline.DISSOLUTION)
# Years until the discipline's time limit ends (DOMAIN §2, QĐ 102/2017); none for expulsion and dissolution.
TIME_LIMIT_YEARS = {Discipline.REPRIMAND: 5, Discipline.WARNING: 10, Discipline.DISMISSAL: 10}


def allowed_forms(*, member: Member | None = None) -> tuple[str, ...]:
    """The forms of discipline for an organization (member None), an official or a probationary member."""
    if member is None:
        return ORGANIZATION_FORMS
    if member.status == MemberStatus.PROBATIONARY:
        return MEMBER_PROBATIONARY_FORMS
    return MEMBER_OFFICIAL_FORMS


def time_limit_end(form: str, decided_on: dt.date) -> dt.date | None:
    years = TIME_LIMIT_YEARS.get(form)
    return add_months(decided_on, 12 * years) if years else None


def discipline_record(
    *,
    actor,
    form: str,
    decision_number: str,
    decided_on: dt.date,
    reason: str,
    member: Member | None = None,
    organization: Organization | None = None,
    issuing_body: str = "",
    case: InspectionCase | None = None,
) -> DisciplineRecord:
    """Record a discipline decision for a member or an organization, with its time limit; a member's records
    their DISCIPLINE (or EXPELLED) event through the members service, which derives the status."""
    from coso.members import services as member_services

    if (member is None) == (organization is None):
        raise _invalid({"member": [_("Choose either a member or an organization.")]})
    target_org = member.organization if member is not None else organization
    permissions.authorize(actor, "inspection.manage", target_org.path)
    errors: dict[str, list[str]] = {}
    if member is not None and member.status not in CURRENT_STATUSES:
        errors["member"] = [_("Only a current member can be disciplined.")]
    elif form not in allowed_forms(member=member):
        if member is None:
            text = _("An organization can be reprimanded, warned or dissolved.")
        elif member.status == MemberStatus.PROBATIONARY:
            text = _("A probationary member can only be reprimanded or warned.")
        else:
            text = _("This form of discipline is not for a member.")
        errors["form"] = [text]
    if not (decision_number or "").strip():
        errors["decision_number"] = [_("Enter the decision number.")]
    if decided_on is None:
        errors["decided_on"] = [_("Enter the decision date.")]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date cannot be in the future.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Describe the violation.")]
    if errors:
        raise _invalid(errors)
    with transaction.atomic():
        event = None
        if member is not None:
            # The inspection side decides; the members service keeps the record and derives the status.
            event = member_services.member_record_event(
                actor=permissions.SYSTEM,
                member=member,
                kind=EventKind.EXPELLED if form == Discipline.EXPULSION else EventKind.DISCIPLINE,
                occurred_on=decided_on,
                decision_number=decision_number.strip(),
                issuing_body=issuing_body.strip(),
                discipline_form="" if form == Discipline.EXPULSION else form,
                note=reason.strip()[:2000],
            )
        record = DisciplineRecord(
            subject=DisciplineSubject.MEMBER if member is not None else DisciplineSubject.ORGANIZATION,
            member=member,
            organization=target_org,
            form=form,
            reason=reason.strip(),
            decision_number=decision_number.strip(),
            decided_on=decided_on,
            issuing_body=issuing_body.strip(),
            time_limit_ends_on=time_limit_end(form, decided_on),
            case=case,
            member_event=event,
            recorded_by=_user(actor),
        )
        record.save()
    return record
