"""Writes of the inspection app: shortcomings and remedies, plans, case steps, discipline records.

Remedies follow the hard tasks' shape (coso.core.tracking): the owner or the organization's office reports dated
progress with evidence and reports the remedy done; the inspection committee or the upper level (inspection.verify
on the parent organization) verifies it or returns it with a reason.

Discipline has effect on the member's status only through member events (members.services.member_record_event):
a reprimand, warning or dismissal records a DISCIPLINE event; an expulsion an EXPELLED event that ends the
membership. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.core.tracking import validate_evidence
from coso.members.models import CURRENT_STATUSES, EventKind, Member, MemberStatus
from coso.members.rules import add_months
from coso.orgs.models import Organization
from coso.reviews.manifestations import Manifestation

from . import selectors
from .models import (
    STEP_ORDER,
    CaseKind,
    CaseStep,
    CaseStepRecord,
    Discipline,
    DisciplineRecord,
    DisciplineSubject,
    InspectionCase,
    InspectionPlan,
    Remedy,
    RemedyStatus,
    RemedyUpdate,
    Shortcoming,
    ShortcomingSource,
)

S = RemedyStatus
REPORT, VERIFY = "report", "verify"


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _invalid(fields: dict) -> RuleViolation:
    return RuleViolation(_("Please correct the errors."), fields=fields)


# --- shortcomings and remedies -------------------------------------------------------------------------------------


def shortcoming_create(
    *,
    actor,
    organization: Organization,
    text: str,
    source: str,
    year: int,
    member: Member | None = None,
    review=None,
    case: InspectionCase | None = None,
    manifestations: list[str] | None = None,
) -> Shortcoming:
    """Record a shortcoming found by a self-review, a review prompt, an inspection or a meeting."""
    if source == ShortcomingSource.INSPECTION:
        permissions.authorize(actor, "inspection.manage", organization.path)
    else:
        permissions.authorize(actor, "inspection.manage_remedies", organization.path)
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors["text"] = [_("Describe the shortcoming.")]
    if source not in ShortcomingSource.values:
        errors["source"] = [_("Choose where the shortcoming comes from.")]
    codes = list(manifestations or [])
    unknown = [code for code in codes if code not in Manifestation.values]
    if unknown:
        errors["manifestations"] = [
            _("Unknown manifestation code: %(codes)s") % {"codes": ", ".join(unknown)}
        ]
    if member is not None and not organization.contains(member.organization):
        errors["member"] = [_("The member must belong to the organization.")]
    if errors:
        raise _invalid(errors)
    return Shortcoming.objects.create(
        organization=organization,
        member=member,
        text=text.strip(),
        source=source,
        review=review,
        case=case,
        year=year,
        manifestations=codes,
        created_by=_user(actor),
    )


def remedy_create(
    *,
    actor,
    shortcoming: Shortcoming,
    title: str,
    due_date: dt.date,
    responsible: Member,
    description: str = "",
) -> Remedy:
    """A measure to remedy the shortcoming, with its owner and deadline."""
    organization = shortcoming.organization
    if not (
        permissions.can(actor, "inspection.manage", organization.path)
        or permissions.can(actor, "inspection.manage_remedies", organization.path)
    ):
        permissions.authorize(actor, "inspection.manage_remedies", organization.path)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("Say what will be done.")]
    if due_date is None:
        errors["due_date"] = [_("Enter the deadline.")]
    if responsible is None:
        errors["responsible"] = [_("Choose who answers for the remedy.")]
    elif not organization.contains(responsible.organization):
        errors["responsible"] = [_("The owner must be a member of the organization.")]
    if errors:
        raise _invalid(errors)
    remedy = Remedy(
        organization=organization,
        shortcoming=shortcoming,
        title=title.strip(),
        description=description.strip(),
        due_date=due_date,
        responsible=responsible,
        year=shortcoming.year,
        created_by=_user(actor),
    )
    stamp(remedy, actor).save()
    return remedy


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    side: str


TRANSITIONS = {
    "report_done": Transition((S.OPEN, S.IN_PROGRESS, S.RETURNED), S.REPORTED_DONE, REPORT),
    "verify": Transition((S.REPORTED_DONE,), S.VERIFIED, VERIFY),
    "return": Transition((S.REPORTED_DONE,), S.RETURNED, VERIFY),
}
UPDATABLE = (S.OPEN, S.IN_PROGRESS, S.RETURNED)
INVALID_STATE = {
    "report_done": gettext_lazy("A remedy that is “%(status)s” cannot be reported done."),
    "verify": gettext_lazy("A remedy that is “%(status)s” cannot be verified."),
    "return": gettext_lazy("A remedy that is “%(status)s” cannot be returned."),
}


def _side_ok(actor, remedy: Remedy, side: str) -> bool:
    return selectors.can_report(actor, remedy) if side == REPORT else selectors.can_verify(actor, remedy)


def allowed_actions(actor, remedy: Remedy) -> list[str]:
    return [
        action
        for action, transition in TRANSITIONS.items()
        if remedy.status in transition.sources and _side_ok(actor, remedy, transition.side)
    ]


def can_add_update(actor, remedy: Remedy) -> bool:
    return remedy.status in UPDATABLE and selectors.can_report(actor, remedy)


def remedy_transition(*, actor, remedy: Remedy, action: str, reason: str = "") -> Remedy:
    """report_done (owner or office, needs evidence), verify or return (inspection committee or upper level)."""
    if action not in TRANSITIONS:
        message = _("Unknown action.")
        raise RuleViolation(message, fields={"action": [message]})
    transition = TRANSITIONS[action]
    with transaction.atomic():
        locked = selectors.access_remedy(actor, remedy.pk, for_write=True)
        if not _side_ok(actor, locked, transition.side):
            raise PermissionDenied
        if locked.status not in transition.sources:
            raise RuleViolation(
                str(INVALID_STATE[action]) % {"status": locked.get_status_display()}, code="invalid_state"
            )
        now = timezone.now()
        if action == "report_done":
            if not locked.updates.exclude(evidence="").exists():
                message = _("Add a progress update with evidence before reporting the remedy done.")
                raise RuleViolation(message, fields={"__all__": [message]})
            locked.reported_done_at = now
            locked.own_progress = locked.progress = 100
            locked.returned_reason = ""
        elif action == "verify":
            locked.verified_at = now
            locked.verified_by = _user(actor)
            locked.verification_note = reason.strip()
        else:
            if not reason.strip():
                message = _("Say why the remedy is returned.")
                raise RuleViolation(message, fields={"reason": [message]})
            locked.returned_reason = reason.strip()
            locked.reported_done_at = None
        locked.status = transition.target
        locked._change_reason = reason[:100] if reason else ""
        save_versioned(locked, expected_version=None, actor=actor)
        _notify_transition(locked, action, reason)
    return locked


def _owner_side(remedy: Remedy) -> list:
    """The owner's account and the office of the remedy's organization."""
    from coso.accounts.models import Role, User

    users = User.objects.filter(
        grants__organization_id=remedy.organization_id,
        grants__role__in=[Role.COMMITTEE_STAFF, Role.CELL_SECRETARY],
        grants__revoked_at__isnull=True,
    )
    if remedy.responsible_id:
        users = users | User.objects.filter(member_id=remedy.responsible_id)
    return list(users.distinct())


def _verifier_side(remedy: Remedy) -> list:
    """The upper level's inspection committee, office and leaders."""
    from coso.accounts.models import Role, User

    parent_id = remedy.organization.parent_id
    if parent_id is None:
        return []
    return list(
        User.objects.filter(
            grants__organization_id=parent_id,
            grants__role__in=[Role.INSPECTION, Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER],
            grants__revoked_at__isnull=True,
        ).distinct()
    )


NOTIFY_TITLES = {
    "report_done": gettext_lazy("{org} reports a remedy done; please verify: {title}"),
    "verify": gettext_lazy("The remedy is verified: {title}"),
    "return": gettext_lazy("The remedy was returned: {title}"),
}


def _notify_transition(remedy: Remedy, action: str, reason: str) -> None:
    from django.urls import reverse
    from django.utils.text import format_lazy

    from coso.notifications.services import notify

    recipients = _verifier_side(remedy) if action == "report_done" else _owner_side(remedy)
    notify(
        recipients=recipients,
        kind=f"inspection.remedy_{action}",
        title=format_lazy(NOTIFY_TITLES[action], org=remedy.organization.name, title=remedy.title),
        body=reason,
        url=reverse("inspection:remedy_detail", args=[remedy.pk]),
    )


def remedy_update_add(
    *, actor, remedy: Remedy, date: dt.date, text: str, progress: int | None = None, evidence=None
) -> RemedyUpdate:
    """A dated progress report with optional evidence; the first one starts the work."""
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors["text"] = [_("Say what was done.")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    elif date > timezone.localdate():
        errors["date"] = [_("The date cannot be in the future.")]
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = [_("Progress is a percentage from 0 to 100.")]
    if errors:
        raise _invalid(errors)
    validate_evidence(evidence)
    with transaction.atomic():
        locked = selectors.access_remedy(actor, remedy.pk, for_write=True)
        if not selectors.can_report(actor, locked):
            raise PermissionDenied
        if locked.status not in UPDATABLE:
            raise RuleViolation(
                _("Progress is reported until the remedy is reported done."), code="invalid_state"
            )
        update = RemedyUpdate(
            remedy=locked, date=date, text=text.strip(), progress=progress, created_by=_user(actor)
        )
        if evidence:
            update.evidence_name = evidence.name[:255]
            update.evidence = evidence
        update.save()
        if locked.status in (S.OPEN, S.RETURNED):
            locked.status = S.IN_PROGRESS
        if progress is not None:
            locked.own_progress = locked.progress = progress
        save_versioned(locked, expected_version=None, actor=actor)
    return update


def shortcoming_with_remedy_create(
    *,
    actor,
    organization: Organization,
    text: str,
    source: str,
    year: int,
    remedy_title: str,
    due_date: dt.date,
    responsible: Member,
    member: Member | None = None,
    manifestations: list[str] | None = None,
    review=None,
) -> Remedy:
    """A shortcoming found by a self-review, a review prompt or a meeting, with the remedy that follows it
    (linked to the review it came from, when there is one)."""
    if source == ShortcomingSource.INSPECTION:
        message = _("Shortcomings of an inspection are recorded from its conclusion.")
        raise RuleViolation(message, fields={"source": [message]})
    with transaction.atomic():
        shortcoming = shortcoming_create(
            actor=actor, organization=organization, text=text, source=source, year=year, member=member,
            manifestations=manifestations, review=review,
        )  # fmt: skip
        return remedy_create(
            actor=actor,
            shortcoming=shortcoming,
            title=remedy_title,
            due_date=due_date,
            responsible=responsible,
        )


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
