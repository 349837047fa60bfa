"""Check and write a member file in one pass: `coso import members --commit` and a confirmed import job.

The file is still checked whole before anything is kept, and any bad row keeps nothing. On PostgreSQL the
rows are checked in a second thread while this one writes the new members already checked with COPY, inside
the one transaction: the database inserts (on its own core) while Python checks the next rows, and a bad row
anywhere rolls everything back. Checking needs no queries once `prepare` has loaded what it needs, so the
second thread never touches the database. Elsewhere (SQLite): plan_import, then import_write.
"""

from __future__ import annotations

import queue
import threading

from django.db import connection, transaction
from django.utils import translation

from coso.accounts import permissions

from .plan import CREATE, UPDATE, Progress, Report, plan_import, prepare
from .writer import conflicts_explained, counts, import_write, member_copy_rows, write_creates, write_updates

# Rows checked between two hand-overs to the writing thread (and two progress reports).
CHUNK = 2000
# How many checked chunks may wait for the writer: the check keeps ahead, but not by the whole file.
AHEAD = 2


def import_file(
    data: bytes,
    name: str,
    *,
    actor,
    into,
    today=None,
    checking: Progress | None = None,
    writing: Progress | None = None,
    overlap: bool | None = None,
) -> tuple[Report, dict | None]:
    """Check the file and, if no row is bad, write it; returns the report and the counts written (None when
    nothing was written because of errors). Raises RuleViolation on a conflict found while writing."""
    if overlap is None:
        overlap = connection.vendor == "postgresql"
    if not overlap:
        report = plan_import(data, name, actor=actor, into=into, today=today, progress=checking)
        if not report.ok:
            return report, None
        return report, import_write(report, actor=actor, progress=writing)
    planner, rows = prepare(data, name, actor=actor, into=into, today=today)
    report = planner.report
    if rows is None:
        return report, None
    permissions.authorize(actor, "members.change", into.path)
    handed: queue.Queue = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    language = translation.get_language()

    def check() -> None:
        # The report's sentences in the caller's language (the active language is per thread).
        with translation.override(language):
            try:
                for done, plans in planner.check_rows(rows, every=CHUNK, stop=stop, release=True):
                    creates = [plan for plan in plans if plan.action == CREATE]
                    # Their COPY rows too, here: the writing thread then only sends them.
                    handed.put((done, creates, member_copy_rows(creates) if report.ok else None))
            except BaseException as exc:  # handed over and raised again in the caller's thread
                handed.put(exc)
            else:
                handed.put(None)

    member_copy_rows([])  # the COPY's description of the table built here, not in the checking thread
    checker = threading.Thread(target=check, name="member-import-check", daemon=True)
    written = 0
    with conflicts_explained(), transaction.atomic():
        checker.start()
        try:
            while (item := handed.get()) is not None:
                if isinstance(item, BaseException):
                    raise item
                done, creates, copy_rows = item
                # Once a row is bad nothing will be kept: the rest is only checked, for the report.
                if creates and report.ok and copy_rows is not None:
                    write_creates(creates, actor=actor, rows=copy_rows)
                    written += len(creates)
                    for plan in creates:
                        # Written: the report needs only the row's name (RowPlan.as_dict), not its values.
                        plan.values = {"full_name": plan.values.get("full_name")}
                if checking:
                    checking(done, len(rows))
        finally:
            # When writing failed the check need not go on; it may be waiting to hand over a chunk.
            stop.set()
            while checker.is_alive():
                try:
                    handed.get(timeout=0.05)
                except queue.Empty:
                    pass
            checker.join()
        planner.finish()
        if not report.ok:
            transaction.set_rollback(True)
            return report, None
        updates = report.of(UPDATE)
        write_updates(updates, actor=actor)
    if writing:
        writing(written + len(updates), written + len(updates))
    return report, counts(report)
