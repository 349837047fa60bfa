"""Write a checked import plan in one transaction: new records in bulk, changed records through member_update.

New records get what `services.member_create` gives a record (normalized name keys, the first membership
period, the admission and recognition events, the derived status) and their history rows. On PostgreSQL they
go in with `COPY` (ids drawn from the tables' sequences first, so the periods, events and history rows can
point at them), which is what makes 5,000 rows/s possible; elsewhere (SQLite) through
`bulk_create_with_history` in batches. Both paths write the same rows, history included
(coso/members/tests/test_import_paths.py compares them). Changed records go through `services.member_update` with the
version read while planning: if someone edited the record in between, the whole import stops with a conflict
instead of overwriting their change.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter
from simple_history.utils import bulk_create_with_history

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.core.text import fold, name_sort_key, nfc

from .. import services
from ..models import EventKind, Member, MemberEvent, MembershipPeriod, PeriodKind
from .plan import CREATE, UNCHANGED, UPDATE, Progress, Report

BATCH = 1000
# Rows per round of COPY on PostgreSQL (ids drawn, then the six tables); progress is reported after each.
COPY_BATCH = 2000


@functools.lru_cache(maxsize=20_000)
def _name_keys(full_name: str) -> tuple[str, str]:
    # Many people share a name (a province has thousands of "Nguyễn Thị Hoa"): each is keyed once.
    return fold(full_name), name_sort_key(full_name)


def member_fields(values: dict, organization_id: int) -> dict:
    """The stored fields of a new member from a planned row: what Member.save() and member_create derive."""
    full_name = nfc(values["full_name"])
    folded, sort_key = _name_keys(full_name)
    fields = dict(values)
    fields.update(
        organization_id=organization_id,
        full_name=full_name,
        name_folded=folded,
        name_sort=sort_key,
        national_id=(values.get("national_id") or "").strip() or None,
        card_number=(values.get("card_number") or "").strip() or None,
    )
    events = [(EventKind.ADMISSION, values["admitted_on"])]
    if values.get("full_member_on"):
        events.append((EventKind.RECOGNITION, values["full_member_on"]))
    fields["status"] = services.derive_status(events)
    return fields


def _events_of(member_values: dict):
    for kind, on in (
        (EventKind.ADMISSION, member_values["admitted_on"]),
        (EventKind.RECOGNITION, member_values.get("full_member_on")),
    ):
        if on is not None:
            yield kind, on


def import_write(
    report: Report, *, actor, progress: Progress | None = None, use_copy: bool | None = None
) -> dict:
    """Apply the plan of a report with no errors; returns the counts written.

    `use_copy` chooses the PostgreSQL COPY path (default: on PostgreSQL) or the portable one (False).
    """
    if not report.ok:
        raise RuleViolation(_("The file has errors; nothing was imported."), code="invalid_file")
    permissions.authorize(actor, "members.change", report.into.path)
    creates = report.of(CREATE)
    updates = report.of(UPDATE)
    tick = _ticker(progress, len(creates) + len(updates))
    with conflicts_explained(), transaction.atomic():
        write_creates(creates, actor=actor, tick=tick, use_copy=use_copy)
        write_updates(updates, actor=actor, tick=tick)
    return counts(report)


def counts(report: Report) -> dict:
    return {
        "created": len(report.of(CREATE)),
        "updated": len(report.of(UPDATE)),
        "unchanged": len(report.of(UNCHANGED)),
    }


@contextmanager
def conflicts_explained():
    try:
        yield
    except IntegrityError:
        # Someone saved the same national ID or card number after the file was checked.
        raise RuleViolation(
            _(
                "Another record with the same national ID or card number was saved meanwhile; check the file again."
            ),
            code="conflict",
        )


def write_creates(creates, *, actor, tick=None, use_copy: bool | None = None) -> None:
    """Write planned new members (inside the caller's transaction)."""
    user = actor if getattr(actor, "pk", None) else None
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    tick = tick or (lambda count, every=1: None)
    if use_copy:
        _copy_creates(creates, user, tick)
    else:
        _bulk_creates(creates, user, tick)


def write_updates(updates, *, actor, tick=None) -> None:
    """Apply planned changes, each refused if the record changed since it was read (inside the transaction)."""
    for plan in updates:
        services.member_update(
            actor=actor, member=plan.member, data=plan.values, expected_version=plan.member.version
        )
        if tick:
            tick(1, every=100)


def _ticker(progress: Progress | None, total: int):
    done = 0

    def tick(count: int, *, every: int = 1) -> None:
        nonlocal done
        done += count
        if progress and (done % every == 0 or done == total):
            progress(done, total)

    return tick


# -- the portable path ------------------------------------------------------------------------------------
def _bulk_creates(creates, user, tick) -> None:
    for start in range(0, len(creates), BATCH):
        batch = creates[start : start + BATCH]
        members = [Member(**member_fields(plan.values, plan.organization.pk)) for plan in batch]
        members = bulk_create_with_history(members, Member, batch_size=BATCH, default_user=user)
        periods = [
            MembershipPeriod(
                member=member,
                organization_id=member.organization_id,
                kind=PeriodKind.PERMANENT,
                starts_on=member.admitted_on,
            )
            for member in members
        ]
        bulk_create_with_history(periods, MembershipPeriod, batch_size=BATCH, default_user=user)
        events = [
            MemberEvent(member=member, kind=kind, occurred_on=on, recorded_by=user)
            for member in members
            for kind, on in _events_of(
                {"admitted_on": member.admitted_on, "full_member_on": member.full_member_on}
            )
        ]
        bulk_create_with_history(events, MemberEvent, batch_size=BATCH, default_user=user)
        tick(len(batch))


# -- the PostgreSQL path ----------------------------------------------------------------------------------
class _CopyTable:
    """COPY of rows (dicts of attname → value) into a model's table and, with the same values, its history."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        # What a new row holds where the planned values say nothing (the fields' defaults, as Model() gives).
        self.defaults = {f.attname: f.get_default() for f in self.fields if not f.primary_key}
        self.files = {f.attname for f in self.fields if isinstance(f, models.FileField)}
        history = model.history.model
        self.tracked = [f.attname for f in history.tracked_fields]
        self.sql = self._copy_sql(model._meta.db_table, [f.column for f in self.fields])
        self.types = [_pg_type(f) for f in self.fields]
        history_fields = [history._meta.get_field(f.name) for f in history.tracked_fields] + [
            history._meta.get_field(name)
            for name in ("history_date", "history_change_reason", "history_type", "history_user")
        ]
        self.history_sql = self._copy_sql(history._meta.db_table, [f.column for f in history_fields])
        self.history_types = [_pg_type(f) for f in history_fields]
        self.attnames = [f.attname for f in self.fields]

    @staticmethod
    def _copy_sql(table: str, columns: list[str]):
        return sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )

    def next_ids(self, cursor, count: int) -> list[int]:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [self.model._meta.db_table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())

    def row(self, values: dict) -> dict:
        row = self.defaults | values
        for name in self.files:
            file = row.get(name)
            row[name] = getattr(file, "name", file) or ""
        return row

    def write(self, raw_cursor, rows: list[dict], *, history_date, user_id) -> None:
        attnames, tracked = self.attnames, self.tracked
        # The queued writer sends from a thread: the server inserts while Python formats the next rows.
        with raw_cursor.copy(self.sql, writer=QueuedLibpqWriter(raw_cursor)) as copy:
            copy.set_types(self.types)
            for row in rows:
                copy.write_row([row[name] for name in attnames])
        # What simple-history writes for a created record: its tracked fields, '+', the author, no reason.
        tail = [history_date, None, "+", user_id]
        with raw_cursor.copy(self.history_sql, writer=QueuedLibpqWriter(raw_cursor)) as copy:
            copy.set_types(self.history_types)
            for row in rows:
                copy.write_row([row[name] for name in tracked] + tail)


def _pg_type(field) -> str:
    """The column's type as psycopg's binary COPY names it ("varchar(120)" -> "varchar")."""
    return field.db_type(connection).split("(")[0]


_TABLES: dict[type, _CopyTable] = {}


def _table(model) -> _CopyTable:
    if model not in _TABLES:
        _TABLES[model] = _CopyTable(model)
    return _TABLES[model]


def _copy_creates(creates, user, tick) -> None:
    members_table, periods_table, events_table = _table(Member), _table(MembershipPeriod), _table(MemberEvent)
    user_id = user.pk if user else None
    now = timezone.now()
    stamps = {"created_at": now, "updated_at": now}
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        for start in range(0, len(creates), COPY_BATCH):
            batch = creates[start : start + COPY_BATCH]
            ids = members_table.next_ids(cursor, len(batch))
            members = [
                members_table.row(member_fields(plan.values, plan.organization.pk) | stamps | {"id": pk})
                for plan, pk in zip(batch, ids, strict=True)
            ]
            period_ids = periods_table.next_ids(cursor, len(members))
            periods = [
                periods_table.row(
                    {
                        "id": pk,
                        "member_id": member["id"],
                        "organization_id": member["organization_id"],
                        "kind": PeriodKind.PERMANENT,
                        "starts_on": member["admitted_on"],
                    }
                    | stamps
                )
                for member, pk in zip(members, period_ids, strict=True)
            ]
            events = [
                {"member_id": member["id"], "kind": kind, "occurred_on": on, "recorded_by_id": user_id}
                | stamps
                for member in members
                for kind, on in _events_of(member)
            ]
            for event, pk in zip(events, events_table.next_ids(cursor, len(events)), strict=True):
                event["id"] = pk
            events = [events_table.row(event) for event in events]
            for table, rows in ((members_table, members), (periods_table, periods), (events_table, events)):
                table.write(raw, rows, history_date=now, user_id=user_id)
            tick(len(batch))
