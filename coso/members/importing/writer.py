"""Write a checked import plan in one transaction: new records in bulk, changed records through member_update.

New records get what `services.member_create` gives a record (normalized name keys, the first membership
period, the admission and recognition events, the derived status) and their history rows. On PostgreSQL the
members go in with `COPY` (their ids drawn from the sequence first), then one statement a batch derives the
rest from the rows just copied (INSERT ... SELECT: the member history rows, the periods, the events and their
history rows), so Python formats one row a member instead of seven; elsewhere (SQLite) through
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


def write_creates(
    creates, *, actor, tick=None, use_copy: bool | None = None, rows: list[list] | None = None
) -> None:
    """Write planned new members (inside the caller's transaction); `rows` are their member_copy_rows when
    already built (the COPY path only)."""
    user = actor if getattr(actor, "pk", None) else None
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    tick = tick or (lambda count, every=1: None)
    if use_copy:
        _copy_creates(creates, user, tick, rows)
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
    """COPY of rows (dicts of attname → value) into a model's table."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        # What a new row holds where the planned values say nothing (the fields' defaults, as Model() gives).
        self.defaults = {f.attname: f.get_default() for f in self.fields if not f.primary_key}
        self.files = {f.attname for f in self.fields if isinstance(f, models.FileField)}
        self.sql = self._copy_sql(model._meta.db_table, [f.column for f in self.fields])
        self.types = [_pg_type(f) for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.sequence: str | None = None  # the id sequence's name, looked up once

    @staticmethod
    def _copy_sql(table: str, columns: list[str]):
        return sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )

    def next_ids(self, cursor, count: int) -> list[int]:
        if self.sequence is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.model._meta.db_table])
            self.sequence = cursor.fetchone()[0]
        # The sequence as a constant (not pg_get_serial_sequence per row: a catalog lookup each, 8x the
        # cost of nextval) and the ids as one array, not one result row each.
        cursor.execute(
            "SELECT array_agg(id ORDER BY id) FROM (SELECT nextval(%s::regclass) AS id"
            " FROM generate_series(1, %s)) AS drawn",
            [self.sequence, count],
        )
        return cursor.fetchone()[0]

    def values(self, fields: dict) -> list:
        """A COPY row (in the order of `attnames`) of a new record's fields, the defaults elsewhere."""
        row = self.defaults | fields
        for name in self.files:
            file = row.get(name)
            row[name] = getattr(file, "name", file) or ""
        return [row.get(name) for name in self.attnames]

    def copy(self, raw_cursor, rows: list[list]) -> None:
        # The queued writer sends from a thread: the server inserts while Python formats the next rows.
        with raw_cursor.copy(self.sql, writer=QueuedLibpqWriter(raw_cursor)) as copy:
            copy.set_types(self.types)
            for row in rows:
                copy.write_row(row)


def _pg_type(field) -> str:
    """The column's type as psycopg's binary COPY names it ("varchar(120)" -> "varchar")."""
    return field.db_type(connection).split("(")[0]


_TABLES: dict[type, _CopyTable] = {}


def _table(model) -> _CopyTable:
    if model not in _TABLES:
        _TABLES[model] = _CopyTable(model)
    return _TABLES[model]


def member_copy_rows(creates) -> list[list]:
    """The COPY rows of planned new members, without their id and time stamps (set when written). No
    queries: the pipeline's checking thread builds them while the writing thread waits on the database."""
    table = _table(Member)
    organization = _organization_id
    return [table.values(member_fields(plan.values, organization(plan))) for plan in creates]


def _organization_id(plan) -> int:
    return plan.organization.pk


def _copy_creates(creates, user, tick, rows: list[list] | None = None) -> None:
    members_table = _table(Member)
    derived = _derived_sql()
    user_id = user.pk if user else None
    now = timezone.now()
    id_at, created_at, updated_at = (
        members_table.attnames.index(n) for n in ("id", "created_at", "updated_at")
    )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        for start in range(0, len(creates), COPY_BATCH):
            batch = creates[start : start + COPY_BATCH]
            members = rows[start : start + COPY_BATCH] if rows is not None else member_copy_rows(batch)
            ids = members_table.next_ids(cursor, len(batch))
            for values, pk in zip(members, ids, strict=True):
                values[id_at], values[created_at], values[updated_at] = pk, now, now
            members_table.copy(raw, members)
            # The rest is derived from the rows just copied, by the server: the history row of each member,
            # its first period, its events and their history rows (no Python formatting of 7 rows a member).
            raw.execute(derived, {"ids": ids, "now": now, "user": user_id, **_DEFAULT_PARAMS})
            tick(len(batch))


# The parameters that stand for the fields the derived rows leave at their default.
_DEFAULT_PARAMS: dict[str, object] = {}


def _insert(model, source: str, values: dict[str, str], *, returning: bool = False) -> sql.Composable:
    """INSERT INTO model's table (every concrete field but the id) SELECT the SQL `values` (attname -> SQL
    text), the fields' defaults elsewhere, FROM `source`."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    expressions = []
    for f in fields:
        if f.attname in values:
            expressions.append(sql.SQL(values[f.attname]))
        else:
            key = f"{model._meta.db_table}_{f.attname}"
            default = f.get_default()
            _DEFAULT_PARAMS[key] = "" if isinstance(f, models.FileField) and not default else default
            expressions.append(sql.Placeholder(key))
    query = sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(f.column) for f in fields),
        sql.SQL(", ").join(expressions),
        sql.SQL(source),
    )
    return query + sql.SQL(" RETURNING *") if returning else query


def _history(model, source: str) -> sql.Composable:
    """What simple-history writes for created records, from `source` (a name for their rows): their tracked
    fields, the date, no reason, '+', the author."""
    history = model.history.model
    tracked = [history._meta.get_field(f.name).column for f in history.tracked_fields]
    return sql.SQL(
        "INSERT INTO {} ({}, history_date, history_change_reason, history_type, history_user_id)"
        " SELECT {}, %(now)s, NULL, '+', %(user)s FROM {}"
    ).format(
        sql.Identifier(history._meta.db_table),
        sql.SQL(", ").join(map(sql.Identifier, tracked)),
        sql.SQL(", ").join(sql.Identifier("src", name) for name in tracked),
        sql.SQL(source),
    )


@functools.cache
def _derived_sql() -> sql.Composable:
    """One statement a batch: from the members of %(ids)s, their history rows, their first (permanent)
    period, their admission and recognition events, and the history rows of those periods and events."""
    event_dates = ", ".join(
        f"({index}, '{kind.value}', m.{column})" for index, (kind, column) in enumerate(_EVENT_DATES, 1)
    )
    return sql.SQL(
        "WITH m AS MATERIALIZED (SELECT * FROM {members} WHERE id = ANY(%(ids)s)),"
        " member_history AS ({member_history}),"
        " periods AS ({periods}),"
        " period_history AS ({period_history}),"
        " events AS ({events})"
        " {event_history}"
    ).format(
        members=sql.Identifier(Member._meta.db_table),
        member_history=_history(Member, "m AS src"),
        periods=_insert(
            MembershipPeriod,
            "(SELECT * FROM m ORDER BY id) AS m",
            {
                "member_id": "m.id",
                "organization_id": "m.organization_id",
                "kind": f"'{PeriodKind.PERMANENT.value}'",
                "starts_on": "m.admitted_on",
                "created_at": "%(now)s",
                "updated_at": "%(now)s",
            },
            returning=True,
        ),
        period_history=_history(MembershipPeriod, "periods AS src"),
        events=_insert(
            MemberEvent,
            f"(SELECT m.id AS member_id, e.kind, e.occurred_on FROM m CROSS JOIN LATERAL"  # noqa: S608 - constants
            f" (VALUES {event_dates}) AS e (n, kind, occurred_on)"
            " WHERE e.occurred_on IS NOT NULL ORDER BY m.id, e.n) AS m",
            {
                "member_id": "m.member_id",
                "kind": "m.kind",
                "occurred_on": "m.occurred_on",
                "recorded_by_id": "%(user)s",
                "created_at": "%(now)s",
                "updated_at": "%(now)s",
            },
            returning=True,
        ),
        event_history=_history(MemberEvent, "events AS src"),
    )


# The events a new member starts with, in the order they are written, and the member column giving the date.
_EVENT_DATES = ((EventKind.ADMISSION, "admitted_on"), (EventKind.RECOGNITION, "full_member_on"))
