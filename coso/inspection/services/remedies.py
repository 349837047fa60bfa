"""Shortcomings and the remedies that follow them, from recording to verification."""

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
from coso.members.models import Member
from coso.orgs.models import Organization
from coso.reviews.manifestations import Manifestation

from .. import selectors
from ..models import (
    InspectionCase,
    Remedy,
    RemedyStatus,
    RemedyUpdate,
    Shortcoming,
    ShortcomingSource,
)
from ._common import _invalid, _user

S = RemedyStatus
REPORT, VERIFY = "report", "verify"


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
