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
