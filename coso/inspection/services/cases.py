"""Yearly inspection and supervision plans, and cases with their steps and findings."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.core.tracking import validate_evidence
from coso.members.models import Member
from coso.orgs.models import Organization

from .. import selectors
from ..models import (
    STEP_ORDER,
    CaseKind,
    CaseStep,
    CaseStepRecord,
    InspectionCase,
    InspectionPlan,
    Remedy,
    RemedyStatus,
    ShortcomingSource,
)
from ._common import _invalid, _user
from .remedies import remedy_create, shortcoming_create

S = RemedyStatus
REPORT, VERIFY = "report", "verify"


# --- plans and cases ------------------------------------------------------------------------------------------------


def plan_create(
    *,
    actor,
    organization: Organization,
    year: int,
    title: str,
    subjects: str,
    content: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> InspectionPlan:
    permissions.authorize(actor, "inspection.manage", organization.path)
    errors: dict[str, list[str]] = {}
    for name, value in (("title", title), ("subjects", subjects), ("content", content)):
        if not (value or "").strip():
            errors[name] = [_("This field is required.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end cannot be before the start.")]
    if starts_on and starts_on.year != year:
        errors["starts_on"] = [_("The plan must start in its year.")]
    if errors:
        raise _invalid(errors)
    return InspectionPlan.objects.create(
        organization=organization,
        year=year,
        title=title.strip(),
        subjects=subjects.strip(),
        content=content.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=_user(actor),
    )


def case_create(
    *,
    actor,
    organization: Organization,
    kind: str,
    title: str,
    year: int,
    content: str = "",
    member: Member | None = None,
    plan: InspectionPlan | None = None,
) -> InspectionCase:
    permissions.authorize(actor, "inspection.manage", organization.path)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("This field is required.")]
    if kind not in CaseKind.values:
        errors["kind"] = [_("Choose the kind of case.")]
    if kind == CaseKind.DENUNCIATION and member is None:
        errors["member"] = [_("A denunciation is against a member: choose the member.")]
    if member is not None and not organization.contains(member.organization):
        errors["member"] = [_("The member must belong to the organization.")]
    if plan is not None and not plan.organization.contains(organization):
        errors["plan"] = [_("The plan must be of this organization or one above it.")]
    if errors:
        raise _invalid(errors)
    return InspectionCase.objects.create(
        organization=organization,
        member=member,
        plan=plan,
        kind=kind,
        title=title.strip(),
        content=content.strip(),
        year=year,
        created_by=_user(actor),
    )


def case_record_step(
    *, actor, case: InspectionCase, step: str, date: dt.date, note: str = "", document=None
) -> CaseStepRecord:
    """Record the next step of the case, in order (plan → notice → self-report → findings → meeting →
    conclusion); the conclusion needs its text and closes the case."""
    errors: dict[str, list[str]] = {}
    if step not in STEP_ORDER:
        errors["step"] = [_("Unknown step.")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    elif date > timezone.localdate():
        errors["date"] = [_("The date cannot be in the future.")]
    if step == CaseStep.CONCLUSION and not (note or "").strip():
        errors["note"] = [_("Write the conclusion.")]
    if errors:
        raise _invalid(errors)
    validate_evidence(document, field="document")
    with transaction.atomic():
        locked = selectors.access_case(actor, case.pk, perm="inspection.manage", for_write=True)
        expected = locked.next_step
        if step != expected:
            if expected is None:
                message = _("The case is concluded: no step follows the conclusion.")
            else:
                message = _("The next step of this case is “%(step)s”.") % {"step": CaseStep(expected).label}
            raise RuleViolation(message, fields={"step": [message]}, code="invalid_state")
        last = locked.steps.order_by("-date", "-id").first()
        if last is not None and date < last.date:
            message = _("A step cannot be dated before the previous one (%(date)s).") % {
                "date": last.date.strftime("%d/%m/%Y")
            }
            raise RuleViolation(message, fields={"date": [message]})
        record = CaseStepRecord(case=locked, step=step, date=date, note=(note or "").strip())
        record.recorded_by = _user(actor)
        if document:
            record.document_name = document.name[:255]
            record.document = document
        record.save()
        locked.step = step
        if step == CaseStep.CONCLUSION:
            locked.conclusion = record.note
            locked.concluded_on = date
        locked.save()
    return record


def case_add_finding(
    *,
    actor,
    case: InspectionCase,
    text: str,
    remedy_title: str,
    due_date: dt.date,
    responsible: Member,
    member: Member | None = None,
    manifestations: list[str] | None = None,
) -> Remedy:
    """A shortcoming of the conclusion and the remedy that follows it (only once the case is concluded)."""
    case = selectors.access_case(actor, case.pk, perm="inspection.manage")
    if case.step != CaseStep.CONCLUSION:
        raise RuleViolation(
            _("Shortcomings are recorded from the conclusion: conclude the case first."), code="invalid_state"
        )
    with transaction.atomic():
        shortcoming = shortcoming_create(
            actor=actor,
            organization=case.organization,
            member=member or case.member,
            text=text,
            source=ShortcomingSource.INSPECTION,
            year=case.concluded_on.year,
            case=case,
            manifestations=manifestations,
        )
        return remedy_create(
            actor=actor,
            shortcoming=shortcoming,
            title=remedy_title,
            due_date=due_date,
            responsible=responsible,
        )
