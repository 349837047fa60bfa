"""The feedback workflow, one service per transition: assign, reassign, start, note, extend, answer, close, transfer, reject."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.accounts.models import User
from coso.core.exceptions import RuleViolation
from coso.orgs.models import Organization

from .. import policies, uploads
from ..models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Attachment,
    AttachmentKind,
    Category,
    EvidenceRequired,
    Feedback,
    FeedbackKind,
    FeedbackUpdate,
    UpdateKind,
)
from ._common import (
    HANDLERS,
    S,
    _attach,
    _check_transition,
    _locked,
    _notify,
    _record,
    _require_text,
    _save,
    _tell_reporter,
    users_of,
)
from .routing import deadline_for


def _paths(feedback: Feedback) -> list[str]:
    return [o.path for o in (feedback.receiving_org, feedback.organization, feedback.escalated_to) if o]


def _deny(actor, feedback: Feedback) -> None:
    """404 when the item is not in the actor's part of the tree at all, else 403."""
    if any(permissions.can(actor, "citizens.view", path) for path in _paths(feedback)):
        raise PermissionDenied
    raise Http404


def _authorize_receive(actor, feedback: Feedback) -> None:
    if not permissions.can(actor, "citizens.receive", feedback.receiving_org.path):
        _deny(actor, feedback)


def _authorize_handle(actor, feedback: Feedback) -> None:
    """The responsible organization's handlers, the receiving unit's office (it may act for them), or the upper
    level the item was escalated to."""
    if feedback.organization and permissions.can(actor, "citizens.handle", feedback.organization.path):
        return
    if permissions.can(actor, "citizens.receive", feedback.receiving_org.path):
        return
    if feedback.escalated_to and permissions.can(actor, "citizens.receive", feedback.escalated_to.path):
        return
    _deny(actor, feedback)


def feedback_assign(
    *,
    actor,
    feedback: Feedback,
    organization: Organization,
    handler: User | None = None,
    kind: str | None = None,
    category: Category | None = None,
    several_units: bool | None = None,
    is_complex: bool | None = None,
    especially_complex: bool | None = None,
    remote_area: bool | None = None,
    complaint_round: str | None = None,
    note: str = "",
) -> Feedback:
    """The receiving unit classifies the item and assigns it to the responsible organization.

    For complaints and denunciations this is the acceptance (thụ lý): the legal time limit runs from now.
    """
    with transaction.atomic():
        feedback = _locked(feedback)
        _authorize_receive(actor, feedback)
        if feedback.status not in (S.RECEIVED, S.REOPENED):
            _check_transition(feedback, "")  # classifying and assigning happen once, or after a reopening
        _check_target(actor, feedback, organization)
        if kind:
            feedback.kind = kind
        if category:
            feedback.category = category
        for name, value in (
            ("several_units", several_units),
            ("is_complex", is_complex),
            ("especially_complex", especially_complex),
            ("remote_area", remote_area),
            ("complaint_round", complaint_round or None),
        ):
            if value is not None:
                setattr(feedback, name, value)
        if feedback.especially_complex:
            feedback.is_complex = True  # an especially complex case is a complex one
        previous = feedback.status
        now = timezone.now()
        feedback.status = S.ASSIGNED
        feedback.organization = organization
        feedback.handler = handler
        feedback.assigned_at = now
        start = (
            now
            if feedback.kind in (FeedbackKind.COMPLAINT, FeedbackKind.DENUNCIATION)
            else feedback.received_at
        )
        if previous == S.REOPENED:
            start = now
        feedback.deadline_at = deadline_for(feedback, start=start)
        feedback.full_clean()
        _save(
            feedback,
            actor,
            ["status", "organization", "handler", "assigned_at", "deadline_at", "kind", "category",
             "several_units", "is_complex", "especially_complex", "remote_area", "complaint_round"],
        )  # fmt: skip
        text = _("Assigned to %(org)s.") % {"org": organization.name}
        _record(feedback, kind=UpdateKind.ASSIGNED, actor=actor, from_status=previous, organization=organization,
                text=text)  # fmt: skip
        if note:
            _record(feedback, kind=UpdateKind.NOTE, actor=actor, text=note, public=False)
        recipients = [handler] if handler else users_of(organization, HANDLERS)
        _notify(
            recipients,
            kind="citizens.assigned",
            title=format_lazy(
                gettext_lazy("Feedback {code} assigned to you: {title}"),
                code=feedback.code,
                title=feedback.title,
            ),  # fmt: skip
            feedback=feedback,
        )
    return feedback


def _check_target(actor, feedback: Feedback, organization: Organization) -> None:
    """An item goes to an organization inside the receiving unit's area, or one the actor may receive for."""
    if feedback.receiving_org.contains(organization) or permissions.can(
        actor, "citizens.receive", organization.path
    ):
        return
    message = _("Assign the item to an organization of your area.")
    raise RuleViolation(message, fields={"organization": [message]})


def feedback_reassign(*, actor, feedback: Feedback, organization: Organization, reason: str) -> Feedback:
    """The responsible organization passes the item to another organization; the reason is shown to the citizen."""
    reason = _require_text(reason, "reason", _("Give the reason for the transfer: the citizen will read it."))
    with transaction.atomic():
        feedback = _locked(feedback)
        _authorize_handle(actor, feedback)
        _check_transition(feedback, S.ASSIGNED)
        _check_target(actor, feedback, organization)
        previous = feedback.status
        feedback.status = S.ASSIGNED
        feedback.organization = organization
        feedback.handler = None
        _save(feedback, actor, ["status", "organization", "handler"])
        update = _record(feedback, kind=UpdateKind.REASSIGNED, actor=actor, from_status=previous,
                         organization=organization, text=reason)  # fmt: skip
        _tell_reporter(feedback, update)
        _notify(
            users_of(organization, HANDLERS),
            kind="citizens.assigned",
            title=format_lazy(
                gettext_lazy("Feedback {code} assigned to you: {title}"),
                code=feedback.code,
                title=feedback.title,
            ),  # fmt: skip
            feedback=feedback,
        )
    return feedback


def feedback_start(*, actor, feedback: Feedback) -> Feedback:
    with transaction.atomic():
        feedback = _locked(feedback)
        _authorize_handle(actor, feedback)
        _check_transition(feedback, S.IN_PROGRESS)
        previous = feedback.status
        feedback.status = S.IN_PROGRESS
        if feedback.handler_id is None and getattr(actor, "pk", None):
            feedback.handler = actor
        _save(feedback, actor, ["status", "handler"])
        _record(feedback, kind=UpdateKind.STARTED, actor=actor, from_status=previous)
    return feedback


def feedback_note(*, actor, feedback: Feedback, text: str, public: bool = False) -> FeedbackUpdate:
    text = _require_text(text, "text", _("Write the note."))
    with transaction.atomic():
        feedback = _locked(feedback)
        _authorize_handle(actor, feedback)
        if feedback.status in FINAL_STATUSES:
            raise RuleViolation(_("This item is finished."), code="invalid_transition")
        return _record(feedback, kind=UpdateKind.NOTE, actor=actor, text=text, public=public)


def feedback_extend(*, actor, feedback: Feedback, reason: str, especially_complex: bool = False) -> Feedback:
    """Extend a denunciation's time limit or mark a complaint complex, with the written reason.

    Denunciations (Luật Tố cáo 2018, Art. 30 §2-3): a complex case may be extended once; a second extension only
    when the case is recorded as especially complex (`especially_complex`, here or at classification), never
    for any other reason. The first extension records the case as complex.
    """
    reason = _require_text(reason, "reason", _("Give the written reason for the extension."))
    with transaction.atomic():
        feedback = _locked(feedback)
        _authorize_handle(actor, feedback)
        if feedback.status not in OPEN_STATUSES or feedback.status == S.RECEIVED:
            raise RuleViolation(
                _("Only an accepted item being handled can be extended."), code="invalid_transition"
            )
        on = timezone.localtime(feedback.assigned_at or feedback.received_at).date()
        if feedback.kind == FeedbackKind.DENUNCIATION:
            if especially_complex:
                feedback.especially_complex = True
            allowed = policies.policy(
                "citizens.denunciation.max_extensions_especially_complex"
                if feedback.especially_complex
                else "citizens.denunciation.max_extensions_complex",
                on,
            )
            if feedback.extensions >= allowed:
                if not feedback.especially_complex and feedback.extensions < policies.policy(
                    "citizens.denunciation.max_extensions_especially_complex", on
                ):
                    message = _(
                        "A second extension is allowed only for an especially complex case (Law on "
                        "Denunciations 2018, Art. 30): record the case as especially complex."
                    )
                    raise RuleViolation(
                        message,
                        code="extension_needs_especially_complex",
                        fields={"especially_complex": [message]},
                    )
                raise RuleViolation(
                    _("The legal number of extensions has been used."), code="extension_limit"
                )
            feedback.extensions += 1
            feedback.is_complex = True
        elif feedback.kind == FeedbackKind.COMPLAINT:
            if feedback.is_complex:
                raise RuleViolation(
                    _("The legal number of extensions has been used."), code="extension_limit"
                )
            feedback.is_complex = True
        else:
            raise RuleViolation(
                _("Only complaints and denunciations have legal extensions."), code="extension_kind"
            )
        feedback.deadline_at = deadline_for(feedback, start=feedback.assigned_at or feedback.received_at)
        _save(feedback, actor, ["extensions", "is_complex", "especially_complex", "deadline_at"])
        text = _("Time limit extended to %(date)s: %(reason)s") % {
            "date": timezone.localtime(feedback.deadline_at).strftime("%d/%m/%Y"),
            "reason": reason,
        }
        _record(feedback, kind=UpdateKind.EXTENDED, actor=actor, text=text)
    return feedback


def evidence_missing(category: Category, kinds: set[str]) -> bool:
    need = category.evidence_required
    if need == EvidenceRequired.PHOTO:
        return AttachmentKind.PHOTO not in kinds
    if need == EvidenceRequired.DOCUMENT:
        return AttachmentKind.DOCUMENT not in kinds
    if need == EvidenceRequired.PHOTO_OR_DOCUMENT:
        return not kinds
    return False


def _evidence_message(category: Category) -> str:
    return _("This category asks for evidence with the answer: %(what)s.") % {
        "what": EvidenceRequired(category.evidence_required).label.lower()
    }


def feedback_answer(*, actor, feedback: Feedback, answer: str, files=()) -> Feedback:
    """The handler answers; the answer and its evidence are published to the citizen (unless private)."""
    answer = _require_text(answer, "answer", _("Write the answer to the citizen."))
    checked = uploads.check_uploads(files)
    with transaction.atomic():
        feedback = _locked(feedback)
        _authorize_handle(actor, feedback)
        _check_transition(feedback, S.ANSWERED)
        if evidence_missing(feedback.category, {kind for _u, kind, _n in checked}):
            message = _evidence_message(feedback.category)
            raise RuleViolation(message, fields={"files": [message]}, code="evidence_required")
        previous = feedback.status
        feedback.status = S.ANSWERED
        feedback.answer = answer
        feedback.answered_at = timezone.now()
        if feedback.handler_id is None and getattr(actor, "pk", None):
            feedback.handler = actor
        _save(feedback, actor, ["status", "answer", "answered_at", "handler"])
        update = _record(feedback, kind=UpdateKind.ANSWERED, actor=actor, from_status=previous, text=answer)
        _attach(feedback, checked, actor=actor, update=update, public=feedback.is_public)
        _tell_reporter(feedback, update)
    return feedback


def _has_evidence(feedback: Feedback) -> bool:
    kinds = set(
        Attachment.objects.filter(feedback=feedback, update__kind=UpdateKind.ANSWERED).values_list(
            "kind", flat=True
        )
    )
    return bool(feedback.answer) and not evidence_missing(feedback.category, kinds)


def feedback_close(*, actor, feedback: Feedback, reason: str = "") -> Feedback:
    """Close an answered item (staff, or the stale-answer job as SYSTEM). Requires an answer with evidence."""
    with transaction.atomic():
        feedback = _locked(feedback)
        if actor is not permissions.SYSTEM:
            _authorize_handle(actor, feedback)
        _check_transition(feedback, S.CLOSED)
        if not _has_evidence(feedback):
            message = _evidence_message(feedback.category)
            raise RuleViolation(message, fields={"answer": [message]}, code="evidence_required")
        previous = feedback.status
        feedback.status = S.CLOSED
        feedback.closed_at = timezone.now()
        _save(feedback, actor, ["status", "closed_at"])
        _record(feedback, kind=UpdateKind.CLOSED, actor=actor, from_status=previous, text=reason)
    return feedback


def feedback_transfer(*, actor, feedback: Feedback, authority: str, reason: str) -> Feedback:
    """Pass the item to the competent state authority (outside the Party's competence); the citizen is told."""
    authority = _require_text(authority, "authority", _("Name the competent authority."))
    reason = _require_text(reason, "reason", _("Give the reason for the transfer: the citizen will read it."))
    with transaction.atomic():
        feedback = _locked(feedback)
        _authorize_handle(actor, feedback)
        _check_transition(feedback, S.TRANSFERRED)
        previous = feedback.status
        feedback.status = S.TRANSFERRED
        feedback.closed_at = timezone.now()
        _save(feedback, actor, ["status", "closed_at"])
        text = _("Transferred to %(authority)s: %(reason)s") % {"authority": authority, "reason": reason}
        update = _record(feedback, kind=UpdateKind.TRANSFERRED, actor=actor, from_status=previous, text=text)
        _tell_reporter(feedback, update)
    return feedback


def feedback_reject(*, actor, feedback: Feedback, reason: str) -> Feedback:
    """Refuse to handle the item (e.g. not within the competence, anonymous denunciation); reason required."""
    reason = _require_text(
        reason, "reason", _("Give the reason for the rejection: the citizen will read it.")
    )
    with transaction.atomic():
        feedback = _locked(feedback)
        _authorize_receive(actor, feedback)
        _check_transition(feedback, S.REJECTED)
        previous = feedback.status
        feedback.status = S.REJECTED
        feedback.closed_at = timezone.now()
        _save(feedback, actor, ["status", "closed_at"])
        update = _record(feedback, kind=UpdateKind.REJECTED, actor=actor, from_status=previous, text=reason)
        _tell_reporter(feedback, update)
    return feedback
