"""Reminders the day before a meeting, and the personal calendar feed token."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from .. import selectors
from ..models import CalendarToken, Meeting, MeetingStatus
from .meetings import _notice_body, meeting_recipients


def meetings_send_reminders(*, today: dt.date) -> int:
    """Remind the members and guests of tomorrow's published meetings. Run daily; running twice sends nothing
    new (dedupe key per meeting)."""
    from coso.notifications.services import notify

    tomorrow = today + dt.timedelta(days=1)
    low, high = selectors.local_day_bounds(tomorrow, tomorrow)
    sent = 0
    meetings = Meeting.objects.filter(status=MeetingStatus.PUBLISHED, starts_at__gte=low, starts_at__lt=high)
    for meeting in meetings.select_related("organization").prefetch_related("agenda_items", "documents"):
        local = timezone.localtime(meeting.starts_at)
        sent += len(
            notify(
                recipients=meeting_recipients(meeting),
                kind="meetings.reminder",
                title=format_lazy(
                    gettext_lazy("Reminder: {title} tomorrow at {time}"),
                    title=meeting.title,
                    time=local.strftime("%H:%M"),
                ),
                body=_notice_body(meeting),
                url=reverse("meetings:detail", args=[meeting.pk]),
                dedupe_key=f"meetings.reminder:{meeting.pk}:{tomorrow.isoformat()}",
            )
        )
    return sent


def calendar_token_get(*, user) -> CalendarToken:
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


def calendar_token_regenerate(*, user) -> CalendarToken:
    from ..models import _new_token

    token = calendar_token_get(user=user)
    token.token = _new_token()
    token.save(update_fields=["token", "updated_at"])
    return token
