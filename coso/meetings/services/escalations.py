"""Escalations: matters a cell raises to its grassroots committee, and the answers."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation

from .. import selectors
from ..models import Escalation, EscalationStatus, Meeting
from ._common import _user


def escalation_raise(*, actor, meeting: Meeting, text: str) -> Escalation:
    """Send an issue raised in the meeting up to the grassroots committee, which is notified."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    text = (text or "").strip()
    if not text:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"text": [_("This field is required.")]}
        )
    committee = selectors.grassroots_committee_of(meeting.organization)
    if committee is None or committee.pk == meeting.organization_id:
        committee = meeting.organization.parent
    if committee is None:
        raise RuleViolation(_("This organization has no committee above it."), code="no_committee")
    escalation = Escalation(
        meeting=meeting,
        organization=meeting.organization,
        committee=committee,
        text=text,
        raised_by=_user(actor),
    )
    with transaction.atomic():
        stamp(escalation, actor).save()
        from coso.accounts.models import Role, User
        from coso.notifications.services import notify

        staff = User.objects.filter(
            is_active=True,
            grants__organization=committee,
            grants__revoked_at__isnull=True,
            grants__role__in=(Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER),
        ).distinct()
        notify(
            recipients=list(staff),
            kind="meetings.escalated",
            title=format_lazy(
                gettext_lazy("{cell} asks the committee: {text}"),
                cell=meeting.organization.name,
                text=text[:80],
            ),
            body=text,
            url=reverse("meetings:escalations"),
        )
    return escalation


def escalation_answer(
    *, actor, escalation: Escalation, answer: str, expected_version: int | None
) -> Escalation:
    """The committee answers; the cell's secretaries are notified."""
    permissions.authorize(actor, "meetings.answer_escalation", escalation.committee.path)
    answer = (answer or "").strip()
    if not answer:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"answer": [_("This field is required.")]}
        )
    with transaction.atomic():
        escalation.answer = answer
        escalation.status = EscalationStatus.ANSWERED
        escalation.answered_by = _user(actor)
        escalation.answered_at = timezone.now()
        save_versioned(escalation, expected_version=expected_version, actor=actor)
        from coso.accounts.models import Role, User
        from coso.notifications.services import notify

        secretaries = User.objects.filter(
            is_active=True,
            grants__organization=escalation.organization,
            grants__revoked_at__isnull=True,
            grants__role=Role.CELL_SECRETARY,
        ).distinct()
        notify(
            recipients=list(secretaries),
            kind="meetings.escalation_answered",
            title=format_lazy(gettext_lazy("The committee answered: {text}"), text=escalation.text[:80]),
            body=answer,
            url=reverse("meetings:detail", args=[escalation.meeting_id]),
        )
    return escalation
