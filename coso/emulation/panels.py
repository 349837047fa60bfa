"""The member page's section listing the member's awards (one query)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from coso.core.panels import Panel

from . import selectors


def member_panels(request: HttpRequest, today: dt.date, member) -> list[Panel]:
    awards = selectors.member_awards(member)
    if not awards:
        return []
    return [Panel("emulation/_member_panel.html", {"awards": awards}, order=70)]
