"""The home page section of remedies: the owner's open ones (overdue first), and for the inspection committee
and the offices the overdue remedies of their part of the tree (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from coso.accounts import permissions

from . import selectors

SHOWN = 5


def home_panels(request: HttpRequest, today: dt.date) -> list:
    from coso.core.panels import Panel

    user = request.user
    own = []
    if getattr(user, "member_id", None):
        own = list(selectors.remedy_list(actor=user, filters=selectors.RemedyFilters(box="mine"), today=today)
                   .exclude(status__in=["VERIFIED", "REPORTED_DONE"])[:SHOWN])  # fmt: skip
    overdue = []
    if permissions.has_any(user, "inspection.view_remedies"):
        overdue = list(
            selectors.remedy_list(
                actor=user, filters=selectors.RemedyFilters(box="all", overdue=True), today=today
            )[:SHOWN]
        )
    if not own and not overdue:
        return []
    own_rows = [{"remedy": r, "overdue": r.is_overdue(today), "days": r.days_overdue(today)} for r in own]
    overdue_rows = [{"remedy": r, "overdue": True, "days": r.days_overdue(today)} for r in overdue]
    return [
        Panel(
            "inspection/_home_panel.html",
            {"own": own_rows, "overdue": overdue_rows, "any_overdue": any(r["overdue"] for r in own_rows)},
            order=45,
        )
    ]


def member_panels(request: HttpRequest, today: dt.date, member) -> list:
    """The member's open remedies, for the member themself and the roles that see remedies there."""
    from coso.core.panels import Panel

    user = request.user
    own = getattr(user, "member_id", None) == member.pk
    if not own and not permissions.can(user, "inspection.view_remedies", member.organization.path):
        return []
    remedies = list(
        selectors.Remedy.objects.filter(responsible=member, status__in=selectors.Remedy.OPEN_STATUSES)
        .select_related("organization")
        .order_by("due_date", "id")[:SHOWN]
    )
    visible = permissions.scope_paths(user, "inspection.view_remedies")
    rows = [
        {"remedy": r, "overdue": r.is_overdue(today), "days": r.days_overdue(today)}
        for r in remedies
        if own or permissions.path_in_scope(r.organization.path, visible)
    ]
    if not rows:
        return []
    return [Panel("inspection/_member_panel.html", {"rows": rows}, order=65)]
