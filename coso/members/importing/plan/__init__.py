"""Validate a whole member file against the rules and the database, and plan what importing it would do.

Nothing here writes. Existing records, card numbers and cells are loaded in a few bulk queries (never one per
row), then every row is checked with the same rules as the forms (`rules.check_member`) and matched to an
existing member on national ID, then card number (then name and date of birth in the same cell, for rows with
neither), so that importing a file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coso.accounts import permissions
from coso.core.text import fold
from coso.orgs.models import Organization

from ..columns import ORGANIZATION_CODE, ORGANIZATION_NAME
from ..reader import FileProblem, read_table
from .planner import _Planner
from .report import CREATE, UNCHANGED, UPDATE, Issue, Progress, Report, RowPlan, value_text

__all__ = [
    "CREATE",
    "PROGRESS_EVERY",
    "UNCHANGED",
    "UPDATE",
    "Issue",
    "Progress",
    "Report",
    "RowPlan",
    "plan_import",
    "prepare",
    "value_text",
]

PROGRESS_EVERY = 500


def plan_import(
    data: bytes,
    name: str,
    *,
    actor,
    into: Organization,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Report:
    """Read and check the whole file; the report says what importing it would do, or why it cannot."""
    planner, rows = prepare(data, name, actor=actor, into=into, today=today)
    if rows is not None:
        for done, _plans in planner.check_rows(rows, every=PROGRESS_EVERY):
            if progress:
                progress(done, len(rows))
        planner.finish()
    return planner.report


def prepare(
    data: bytes, name: str, *, actor, into: Organization, today: dt.date | None = None
) -> tuple[_Planner, list[tuple] | None]:
    """Read the file and load what checking its rows needs (all the queries); rows is None when the file
    itself cannot be imported (the report says why)."""
    permissions.authorize(actor, "members.import", into.path)
    planner = _Planner(actor=actor, into=into, today=today or timezone.localdate())
    report = planner.report
    try:
        table = read_table(data, name)
    except FileProblem as exc:
        report.file_errors.append(exc.message)
        return planner, None
    positions = planner.map_columns(table.headers)
    if positions is None:
        # Not read further: the rows are counted only.
        report.total = sum(1 for _row in table.rows)
        return planner, None
    try:
        rows = planner.read_rows(table, positions)
    except FileProblem as exc:  # found further down the file (a broken CSV line, a damaged sheet)
        report.file_errors.append(exc.message)
        return planner, None
    report.total = len(rows)
    planner.load(rows)
    references = set()
    getters = [planner.getter(name) for name in (ORGANIZATION_CODE, ORGANIZATION_NAME)]
    for values in rows:
        for get in getters:
            value = get(values)
            if (
                value
                and value.upper() not in planner.orgs_by_code
                and fold(value) not in planner.orgs_by_name
            ):
                references.add(value)
    planner.load_outside(references)
    return planner, rows
