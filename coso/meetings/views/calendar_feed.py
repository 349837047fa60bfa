"""The personal calendar feed: its settings page and the iCalendar file."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import exports, selectors, services
from ..models import CalendarToken
from ._common import _url


@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        token = services.calendar_token_regenerate(user=user)
        messages.success(request, _("A new calendar address was made; the old one no longer works."))
    else:
        token = services.calendar_token_get(user=user)
    url = request.build_absolute_uri(_url("meetings:feed", token.token))
    return render(
        request,
        "meetings/feed.html",
        {"url": url, "webcal": url.replace("https://", "webcal://").replace("http://", "webcal://")},
    )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's meetings as iCalendar. No log-in: the secret token in the address is the key."""
    row = CalendarToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if row is None:
        raise Http404
    since = timezone.localdate() - dt.timedelta(days=90)
    meetings = selectors.meetings_for_user(row.user, since=since)
    content = exports.meetings_ics(meetings, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="coso-meetings.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
