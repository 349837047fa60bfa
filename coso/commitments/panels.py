"""Sections of the home page and the member page about hard tasks (a fixed, small number of queries each)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from coso.accounts import permissions
from coso.core.panels import Panel

from . import selectors

OVERDUE_SHOWN = 5


def home_panels(request: HttpRequest, today: dt.date) -> list[Panel]:
    """Committees and offices: the year's commitments of their part of the tree, by status, and the overdue ones."""
    user = request.user
    if not (
        permissions.has_any(user, "commitments.verify") or permissions.has_any(user, "commitments.manage")
    ):
        return []
    summary = selectors.hard_task_summary(actor=user, today=today, year=today.year)
    if not summary["total"] and not permissions.has_any(user, "commitments.manage"):
        return []
    overdue = (
        list(
            selectors.hard_task_list(
                actor=user, filters=selectors.HardTaskFilters(overdue=True, sort="due"), today=today
            )[:OVERDUE_SHOWN]
        )
        if summary["overdue"]
        else []
    )
    rows = [{"task": task, "days": task.days_overdue(today)} for task in overdue]
    return [
        Panel(
            "commitments/_home_panel.html",
            {"summary": summary, "overdue": rows, "year": today.year},
            order=40,
        )
    ]


def member_panels(request: HttpRequest, today: dt.date, member) -> list[Panel]:
    """The open commitments the member answers for."""
    tasks = selectors.member_hard_tasks(member)
    if not tasks:
        return []
    visible = permissions.scope_paths(request.user, "commitments.view")
    own = getattr(request.user, "member_id", None) == member.pk
    rows = [
        {"task": task, "overdue": task.is_overdue(today), "days": task.days_overdue(today)}
        for task in tasks
        if own or permissions.path_in_scope(task.organization.path, visible)
    ]
    if not rows:
        return []
    return [Panel("commitments/_member_panel.html", {"rows": rows}, order=60)]
