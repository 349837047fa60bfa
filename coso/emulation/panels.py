"""The member page's section listing the member's awards (one query, plus none for the button)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from coso.accounts import permissions
from coso.core.panels import Panel

from . import selectors


def member_panels(request: HttpRequest, today: dt.date, member) -> list[Panel]:
    awards = selectors.member_awards(member)
    can_add = permissions.can(request.user, "emulation.manage", member.organization.path)
    if not awards and not can_add:
        return []
    return [
        Panel(
            "emulation/_member_panel.html",
            {"awards": awards, "member": member, "can_add": can_add},
            order=70,
        )
    ]
