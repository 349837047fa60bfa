"""Intake: filing a feedback item, from the public portal, the API or the staff."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.accounts.models import Role
from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation
from coso.orgs.models import Organization

from .. import proof, uploads
from ..models import Category, Channel, Dialogue, Feedback, FeedbackKind, ReceptionDay, UpdateKind
from ._common import _attach, _notify, _record, users_of
from .routing import PUBLIC_CHANNELS, _initial_deadline, receiving_unit_for, tracking_code


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
