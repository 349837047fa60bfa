"""The hard-task list as spreadsheet rows (the page's filters apply): headers and rows only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from .models import HardTask


def with_last_update(tasks: QuerySet[HardTask]) -> QuerySet[HardTask]:
    return tasks.annotate(last_update_on=Max("updates__date"))


def headers() -> list[str]:
    return [
        _("Organization"),
        _("Code"),
        _("Year"),
        _("Type of issue"),
        _("Task title"),
        _("Part of"),
        _("Responsible person"),
        _("Target result"),
        _("Due date"),
        _("Status"),
        _("Progress (%)"),
        _("Overdue"),
        _("Days overdue"),
        _("Last update"),
    ]


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def rows(tasks: Iterable[HardTask], today: dt.date) -> Iterator[list]:
    for task in tasks:
        overdue = task.is_overdue(today)
        yield [
            task.organization.name,
            task.organization.code,
            task.year,
            str(task.get_kind_display()),
            task.title,
            task.parent.title if task.parent_id else "",
            task.responsible.full_name if task.responsible_id else "",
            task.target_result,
            _date(task.due_date),
            str(task.get_status_display()),
            task.progress,
            _("yes") if overdue else _("no"),
            task.days_overdue(today) if overdue else "",
            _date(getattr(task, "last_update_on", None)),
        ]
