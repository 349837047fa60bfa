"""What the feedback services share: the workflow table, the people to tell, the record of each step."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts.models import Role, User
from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation
from coso.orgs.models import Organization

from .. import uploads
from ..models import Attachment, Feedback, FeedbackStatus, FeedbackUpdate

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
    from ..tasks import citizens_reporter_email

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
