"""The notifications section of the home page: the latest unread notifications."""

from __future__ import annotations

from coso.core.panels import Panel

from . import selectors

SHOWN = 5


def home_panels(request, today):
    latest = list(selectors.notification_list(actor=request.user, unread_only=True)[: SHOWN + 1])
    if not latest:
        return []
    return [
        Panel(
            template="notifications/_home_panel.html",
            context={"latest": latest[:SHOWN], "more": len(latest) > SHOWN},
            order=5,
        )
    ]
