"""Writes of the citizens app: intake, the feedback workflow (one service per transition), reception days,
dialogues, routing rules, and the scheduled jobs (escalation, closing stale answers, weekly digest).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.accounts.models import Role, RoleGrant, User
from coso.core import workdays
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.orgs.models import CELL_KINDS, GRASSROOTS_KINDS, Organization, OrgKind

from . import policies, proof, uploads
from .models import (
    FINAL_STATUSES,
    OPEN_STATUSES,
    Attachment,
    AttachmentKind,
    Category,
    Channel,
    ComplaintRound,
    Dialogue,
    EvidenceRequired,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    FeedbackUpdate,
    ReceptionDay,
    RoutingRule,
    UpdateKind,
)

S = FeedbackStatus

# The workflow: (from, to) pairs a service may take. Anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    S.RECEIVED: {S.ASSIGNED, S.REJECTED, S.TRANSFERRED},
    S.ASSIGNED: {S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.REJECTED, S.TRANSFERRED},
    S.IN_PROGRESS: {S.ASSIGNED, S.ANSWERED, S.REJECTED, S.TRANSFERRED},
    S.REOPENED: {S.ASSIGNED, S.IN_PROGRESS, S.ANSWERED, S.TRANSFERRED},
    S.ANSWERED: {S.CLOSED, S.REOPENED},
    S.CLOSED: {S.REOPENED},
    S.TRANSFERRED: set(),
    S.REJECTED: set(),
}

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out on the phone
PUBLIC_CHANNELS = (Channel.WEB, Channel.API)


# ---------------------------------------------------------------------------------------------------- helpers


def tracking_code() -> str:
    """8 random characters (31^8 ≈ 8.5·10^11), shown as ABCD-EFGH."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(value: str) -> str:
    raw = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else ""


def level_of(org: Organization) -> str | None:
    """The level of a committee for the reception-day rule: provincial, district, commune; None when the rule
    does not apply.

    QĐ 11-QĐi/TW (as amended by KL 215-KL/TW) binds the heads of *territorial* committees: the province and
    the commune or ward (the district until it was dropped). Agency, enterprise, police and army committees
    receive no citizens under it, so they are never flagged: at the grassroots a territorial committee is one
    marked residential (a commune, ward or township); above it, a district-level committee is territorial when
    communes or wards are under it (a city or district committee, not a bloc or police committee).
    """
    if org.kind == OrgKind.PROVINCIAL:
        return "provincial"
    if org.kind == OrgKind.DISTRICT:
        has_communes = Organization.objects.filter(
            path__startswith=org.path + ".", kind__in=GRASSROOTS_KINDS, residential=True
        ).exists()
        return "district" if has_communes else None
    if org.kind in GRASSROOTS_KINDS and org.residential:
        return "commune"
    return None


def _lineage(org: Organization) -> list[Organization]:
    """The organization and its ancestors, nearest first (one query)."""
    paths = [*org.ancestor_paths, org.path]
    rows = {o.path: o for o in Organization.objects.filter(path__in=paths)}
    return [rows[p] for p in reversed(paths) if p in rows]


def receiving_unit_for(area: Organization) -> Organization:
    """The commune-level committee an area belongs to (the area itself when it is a committee above it)."""
    for org in _lineage(area):
        if org.kind not in CELL_KINDS or org.kind == OrgKind.GRASSROOTS_CELL:
            return org
    return area


def route(*, category: Category, area: Organization) -> Organization | None:
    """The responsible organization by the most specific routing rule (deepest area, then named category)."""
    paths = [*area.ancestor_paths, area.path]
    rules = list(
        RoutingRule.objects.filter(area__path__in=paths)
        .filter(Q(category=category) | Q(category__isnull=True))
        .select_related("area", "responsible")
    )
    if not rules:
        return None
    best = max(rules, key=lambda r: (r.area.depth, r.category_id is not None))
    return best.responsible


def _complaint_prefix(feedback: Feedback) -> str:
    """The policy keys of the complaint's round: a second complaint has its own limits (Luật Khiếu nại, Art. 37)."""
    return (
        "citizens.complaint2" if feedback.complaint_round == ComplaintRound.SECOND else "citizens.complaint"
    )


def deadline_for(feedback: Feedback, *, start: dt.datetime) -> dt.datetime:
    """When the answer is due, counted from `start` (receipt, or acceptance for complaints/denunciations)."""
    local = timezone.localtime(start)
    on = local.date()
    if feedback.kind == FeedbackKind.COMPLAINT:
        key = _complaint_prefix(feedback) + ".days"
        if feedback.remote_area:
            key += "_remote_complex" if feedback.is_complex else "_remote"
        elif feedback.is_complex:
            key += "_complex"
        return workdays.end_of_working_day(workdays.add_days(on, policies.policy(key, on)))
    if feedback.kind == FeedbackKind.DENUNCIATION:
        days = policies.policy("citizens.denunciation.days", on)
        days += feedback.extensions * policies.policy("citizens.denunciation.extension_days", on)
        return workdays.end_of_working_day(workdays.add_days(on, days))
    category = feedback.category
    if category.deadline_working_hours and not feedback.several_units:
        return workdays.add_working_hours(start, category.deadline_working_hours)
    days = category.deadline_working_days_multi if feedback.several_units else category.deadline_working_days
    return workdays.end_of_working_day(workdays.add_working_days(on, days))


def acceptance_deadline(feedback: Feedback) -> dt.datetime:
    """Complaints and denunciations must first be accepted (thụ lý) within the legal time.

    Complaints: 10 calendar days (Luật Khiếu nại 2011, Art. 27 and 36). Denunciations: 07 working days
    (Luật Tố cáo 2018, Art. 24 §1 says "07 ngày làm việc"), so weekends and holidays do not count.
    """
    on = timezone.localtime(feedback.received_at).date()
    if feedback.kind == FeedbackKind.COMPLAINT:
        days = policies.policy(_complaint_prefix(feedback) + ".accept_days", on)
        return workdays.end_of_working_day(workdays.add_days(on, days))
    days = policies.policy("citizens.denunciation.accept_working_days", on)
    return workdays.end_of_working_day(workdays.add_working_days(on, days))


def _initial_deadline(feedback: Feedback) -> dt.datetime:
    if feedback.kind in (FeedbackKind.COMPLAINT, FeedbackKind.DENUNCIATION):
        return acceptance_deadline(feedback)
    return deadline_for(feedback, start=feedback.received_at)


def users_of(org: Organization, roles) -> list[User]:
    """Active users holding one of `roles` directly on `org` (the people to tell)."""
    return list(
        User.objects.filter(
            is_active=True,
            grants__organization=org,
            grants__role__in=list(roles),
            grants__revoked_at__isnull=True,
        ).distinct()
    )


OFFICE = (Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER)
HANDLERS = (Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.CELL_SECRETARY)


def _notify(recipients, *, kind: str, title, feedback: Feedback, body="") -> None:
    from coso.notifications.services import notify

    notify(
        recipients=recipients,
        kind=kind,
        title=title,
        body=body,
        url=f"/citizens/feedback/{feedback.pk}/",
        email=True,
    )


def _record(
    feedback: Feedback,
    *,
    kind: str,
    actor,
    text: str = "",
    public: bool = True,
    from_status: str = "",
    organization: Organization | None = None,
    at: dt.datetime | None = None,
) -> FeedbackUpdate:
    return FeedbackUpdate.objects.create(
        feedback=feedback,
        at=at or timezone.now(),
        kind=kind,
        from_status=from_status,
        to_status=feedback.status,
        text=text,
        public=public,
        organization=organization,
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _tell_reporter(feedback: Feedback, update: FeedbackUpdate) -> None:
    """After commit, e-mail the reporter about this step when they left an address with their consent."""
    if not feedback.reporter_email or feedback.consent_at is None or not update.public:
        return
    from .tasks import citizens_reporter_email

    transaction.on_commit(lambda: citizens_reporter_email.enqueue(update.pk))


def _locked(feedback: Feedback) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("category", "organization", "receiving_org")
        .get(pk=feedback.pk)
    )


def _check_transition(feedback: Feedback, to: str) -> None:
    if to not in TRANSITIONS.get(feedback.status, set()):
        message = _("This step is not possible while the item is “%(status)s”.") % {
            "status": FeedbackStatus(feedback.status).label,
        }
        raise RuleViolation(message, fields={"status": [message]}, code="invalid_transition")


def _require_text(value: str, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message, fields={field: [message]})
    uploads.reject_html({field: value})
    return value


def _save(feedback: Feedback, actor, fields: list[str]) -> None:
    feedback.version += 1
    stamp(feedback, actor)
    feedback.save(update_fields=[*fields, "version", "updated_at"])


def _attach(
    feedback: Feedback, checked, *, actor, update: FeedbackUpdate | None, public: bool
) -> list[Attachment]:
    result = []
    for upload, kind, safe_name in checked:
        attachment = Attachment(
            feedback=feedback,
            update=update,
            kind=kind,
            original_name=upload.name[:200],
            size=upload.size or 0,
            public=public,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        attachment.file.save(safe_name, upload, save=False)
        attachment.save()
        result.append(attachment)
    return result


# ---------------------------------------------------------------------------------------------------- intake


def feedback_create(
    *,
    actor,
    category: Category,
    area: Organization,
    title: str,
    description: str,
    kind: str | None = None,
    channel: str = Channel.WEB,
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    consent: bool = False,
    files=(),
    latitude=None,
    longitude=None,
    reception_day: ReceptionDay | None = None,
    dialogue: Dialogue | None = None,
    several_units: bool = False,
    received_at: dt.datetime | None = None,
) -> Feedback:
    """Receive a feedback item: from the public portal or Open311 (anonymous actor, public channels only), or
    filed by staff for a citizen met at a reception day, a dialogue, a door-to-door visit, by phone or letter.
    """
    staff = getattr(actor, "is_authenticated", False) and actor is not None
    if staff:
        permissions.authorize(actor, "citizens.handle", area.path)
    elif channel not in PUBLIC_CHANNELS:
        raise RuleViolation(_("Only staff can file items received through this channel."), code="channel")
    errors: dict[str, list] = {}
    if not category.active:
        errors["category"] = [_("Choose a category from the list.")]
    kind = kind or category.default_kind
    if kind not in FeedbackKind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    title = (title or "").strip()
    description = (description or "").strip()
    if not description:
        errors["description"] = [_("Describe the problem.")]
    uploads.reject_html(
        {
            "title": title,
            "description": description,
            "address": address,
            "reporter_name": reporter_name,
            "reporter_phone": reporter_phone,
        }
    )
    if not title:
        title = description[:80]
    has_contact = bool((reporter_name or "").strip() or reporter_phone or reporter_email)
    if has_contact and not consent:
        errors["consent"] = [
            _("To leave your name or contact, agree to the processing of your personal data.")
        ]
    if reporter_phone and not all(ch.isdigit() or ch in " +.-" for ch in reporter_phone):
        errors["reporter_phone"] = [_("Enter a phone number with digits only.")]
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], fields=errors)
    checked = uploads.check_uploads(files)
    now = received_at or timezone.now()
    with transaction.atomic():
        feedback = Feedback(
            code=tracking_code(),
            kind=kind,
            channel=channel,
            category=category,
            receiving_org=receiving_unit_for(area),
            area=area,
            address=(address or "").strip()[:255],
            latitude=latitude,
            longitude=longitude,
            title=title[:160],
            description=description,
            reporter_name=(reporter_name or "").strip()[:120],
            reporter_phone=(reporter_phone or "").strip()[:20],
            reporter_email=(reporter_email or "").strip(),
            consent_at=now if has_contact else None,
            reception_day=reception_day,
            dialogue=dialogue,
            several_units=several_units,
            received_at=now,
            created_by=actor if staff and getattr(actor, "pk", None) else None,
        )
        while Feedback.objects.filter(code=feedback.code).exists():
            feedback.code = tracking_code()
        # Shown once to whoever filed it (the citizen, or staff handing it over); only the hash is stored.
        secret = proof.new_secret()
        feedback.reporter_secret_hash = proof.hash_secret(secret)
        feedback.deadline_at = _initial_deadline(feedback)
        feedback.full_clean()
        stamp(feedback, actor)
        feedback.save()
        update = _record(feedback, kind=UpdateKind.RECEIVED, actor=actor if staff else None, at=now)
        _attach(feedback, checked, actor=actor if staff else None, update=None, public=feedback.is_public)
        update.save()
        office = users_of(feedback.receiving_org, (Role.COMMITTEE_STAFF,))
        _notify(
            office,
            kind="citizens.received",
            title=format_lazy(
                gettext_lazy("New feedback {code}: {title}"), code=feedback.code, title=feedback.title
            ),
            feedback=feedback,
        )
    feedback.reporter_secret = secret  # not stored: for the caller to show once
    return feedback


# ---------------------------------------------------------------------------------------------------- workflow


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


# ---------------------------------------------------------------------------------------------------- the citizen


def feedback_rate(*, feedback: Feedback, rating: int, comment: str = "") -> Feedback:
    """The citizen rates the answer (1–5); an answered item is closed by the rating."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        message = _("Choose from 1 to 5 stars.")
        raise RuleViolation(message, fields={"rating": [message]})
    comment = (comment or "").strip()
    uploads.reject_html({"comment": comment})
    with transaction.atomic():
        feedback = _locked(feedback)
        if feedback.status not in (S.ANSWERED, S.CLOSED) or feedback.rating is not None:
            raise RuleViolation(_("This answer cannot be rated now."), code="invalid_transition")
        previous = feedback.status
        feedback.rating = rating
        feedback.rating_comment = comment[:2000]
        feedback.rated_at = timezone.now()
        fields = ["rating", "rating_comment", "rated_at"]
        if feedback.status == S.ANSWERED:
            feedback.status = S.CLOSED
            feedback.closed_at = feedback.rated_at
            fields += ["status", "closed_at"]
        _save(feedback, None, fields)
        _record(feedback, kind=UpdateKind.RATED, actor=None, from_status=previous,
                text=_("%(n)d of 5 stars.") % {"n": rating})  # fmt: skip
        if rating <= 2 and feedback.organization:
            _notify(
                users_of(feedback.organization, OFFICE + (Role.CELL_SECRETARY,)),
                kind="citizens.rated_low",
                title=format_lazy(
                    gettext_lazy("Feedback {code}: the citizen is not satisfied ({n}/5)"),
                    code=feedback.code,
                    n=rating,
                ),  # fmt: skip
                feedback=feedback,
            )
    return feedback


def feedback_reopen(*, feedback: Feedback, text: str, files=()) -> Feedback:
    """The citizen reports again: the problem is not fixed. The item goes back to its handlers with a new deadline."""
    text = _require_text(text, "text", _("Tell us what is still not fixed."))
    checked = uploads.check_uploads(files)
    with transaction.atomic():
        feedback = _locked(feedback)
        _check_transition(feedback, S.REOPENED)
        previous = feedback.status
        feedback.status = S.REOPENED
        feedback.reopen_count += 1
        feedback.rating = None if previous == S.ANSWERED else feedback.rating
        feedback.closed_at = None
        now = timezone.now()
        feedback.deadline_at = deadline_for(feedback, start=now)
        feedback.escalated_at = None
        feedback.escalated_to = None
        _save(feedback, None, ["status", "reopen_count", "rating", "closed_at", "deadline_at", "escalated_at",
                               "escalated_to"])  # fmt: skip
        update = _record(feedback, kind=UpdateKind.REOPENED, actor=None, from_status=previous, text=text)
        _attach(feedback, checked, actor=None, update=update, public=feedback.is_public)
        org = feedback.organization or feedback.receiving_org
        _notify(
            users_of(org, HANDLERS),
            kind="citizens.reopened",
            title=format_lazy(
                gettext_lazy("Feedback {code} reported again: {title}"),
                code=feedback.code,
                title=feedback.title,
            ),  # fmt: skip
            feedback=feedback,
        )
    return feedback


# ---------------------------------------------------------------------------------------------------- jobs


def feedback_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate items overdue by the configured number of working days to the upper level (once per item)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    after = policies.policy("citizens.escalate_after_working_days", today)
    candidates = Feedback.objects.filter(
        status__in=OPEN_STATUSES, deadline_at__lt=now, escalated_at__isnull=True
    ).select_related("organization__parent", "receiving_org__parent")
    count = 0
    for item in candidates.iterator():
        overdue_since = timezone.localtime(item.deadline_at).date()
        if workdays.working_days_between(overdue_since, today) < after:
            continue
        # A cell's overdue item goes to the commune above it; a commune's to the province.
        base = item.organization or item.receiving_org
        upper = base.parent or base
        with transaction.atomic():
            locked = _locked(item)
            if locked.escalated_at is not None or locked.status not in OPEN_STATUSES:
                continue
            locked.escalated_at = now
            locked.escalated_to = upper
            _save(locked, permissions.SYSTEM, ["escalated_at", "escalated_to"])
            text = _("Overdue since %(date)s: escalated to %(org)s.") % {
                "date": overdue_since.strftime("%d/%m/%Y"),
                "org": upper.name,
            }
            _record(
                locked, kind=UpdateKind.ESCALATED, actor=None, text=text, public=False, organization=upper
            )
            _notify(
                users_of(upper, OFFICE),
                kind="citizens.escalated",
                title=format_lazy(
                    gettext_lazy("Overdue feedback {code} escalated to you: {title}"),
                    code=locked.code,
                    title=locked.title,
                ),  # fmt: skip
                feedback=locked,
            )
            count += 1
    return count


def feedback_close_stale(*, now: dt.datetime | None = None) -> int:
    """Close answered items the citizen has not rated nor reopened within the configured number of days."""
    now = now or timezone.now()
    days = policies.policy("citizens.close_after_days", timezone.localtime(now).date())
    stale = Feedback.objects.filter(status=S.ANSWERED, answered_at__lt=now - dt.timedelta(days=days))
    count = 0
    for item in stale.iterator():
        try:
            feedback_close(
                actor=permissions.SYSTEM, feedback=item, reason=_("Closed: no rating within 14 days.")
            )
        except RuleViolation:
            continue  # an answer without the required evidence stays open for the handler to complete
        count += 1
    return count


def feedback_digest(*, now: dt.datetime | None = None) -> int:
    """Weekly e-mail to committee leaders: open, overdue and answered items in their subtree (once per week)."""
    from coso.notifications.services import notify

    from .selectors import digest_counts

    now = now or timezone.now()
    year, week, _weekday = timezone.localtime(now).isocalendar()
    grants = (
        RoleGrant.objects.filter(role=Role.COMMITTEE_LEADER, revoked_at__isnull=True, user__is_active=True)
        .select_related("user", "organization")
        .order_by("organization__path")
    )
    sent = 0
    for grant in grants:
        counts = digest_counts(grant.organization, now=now)
        if not any(counts.values()):
            continue
        title = format_lazy(
            gettext_lazy("Citizens' feedback, week {week}/{year}: {open} open, {overdue} overdue"),
            week=week,
            year=year,
            open=counts["open"],
            overdue=counts["overdue"],
        )
        body = format_lazy(
            gettext_lazy(
                "{org}: {received} received this week, {answered} answered this week, {open} open, "
                "{overdue} overdue, {unassigned} not yet assigned."
            ),
            org=grant.organization.name,
            **counts,
        )
        created = notify(
            recipients=[grant.user],
            kind="citizens.digest",
            title=title,
            body=body,
            url="/citizens/inbox/",
            email=True,
            dedupe_key=f"citizens.digest:{grant.organization_id}:{year}-W{week:02d}",
        )
        sent += len(created)
    return sent


# ---------------------------------------------------------------------------------------------------- reception, dialogues


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
