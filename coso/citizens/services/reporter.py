"""What the citizen who filed an item does: rate the answer, report again."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts.models import Role
from coso.core.exceptions import RuleViolation

from .. import uploads
from ..models import Feedback, UpdateKind
from ._common import (
    HANDLERS,
    OFFICE,
    S,
    _attach,
    _check_transition,
    _locked,
    _notify,
    _record,
    _require_text,
    _save,
    users_of,
)
from .routing import deadline_for


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
