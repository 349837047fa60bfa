"""The sections of the member page and the organization page listing their awards (one query each)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from coso.accounts import permissions
from coso.core.panels import Panel

from . import selectors

ORG_AWARDS_SHOWN = 10


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


def organization_panels(request: HttpRequest, today: dt.date, organization) -> list[Panel]:
    """The organization page: its awards (not its members'), the latest first, and the button to record one."""
    awards = selectors.organization_awards(organization, limit=ORG_AWARDS_SHOWN)
    can_add = permissions.can(request.user, "emulation.manage", organization.path)
    if not awards and not can_add:
        return []
    return [
        Panel(
            "emulation/_org_panel.html",
            {"awards": awards, "organization": organization, "can_add": can_add},
            order=70,
        )
    ]
