"""Helpers the meetings services share: the acting user, validation, local dates, the status machine."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.core.exceptions import RuleViolation

from ..models import TRANSITIONS, Meeting, MeetingStatus


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise RuleViolation(_("Please correct the errors below."), fields=fields, code="invalid")


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _transition(meeting: Meeting, status: str, actor) -> None:
    if status not in TRANSITIONS[meeting.status]:
        raise RuleViolation(
            format_lazy(
                gettext_lazy("A meeting that is “{current}” cannot become “{target}”."),
                current=meeting.get_status_display(),
                target=MeetingStatus(status).label,
            ),
            code="transition",
        )
    meeting.status = status


def _check_open(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.MINUTES_APPROVED, MeetingStatus.CANCELLED):
        raise RuleViolation(_("This meeting is closed: its record can no longer change."), code="locked")
