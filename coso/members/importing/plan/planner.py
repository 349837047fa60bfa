"""The planner: the file's columns, the bulk loads of what the rows are checked against, and the row checks."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.core.text import fold
from coso.orgs.models import PATH_SEPARATOR, Organization

from ...models import Member, TheoryLevel
from ...rules import check_member
from ...services import EDITABLE_FIELDS
from ..columns import (
    BY_FIELD,
    COLUMNS,
    ORGANIZATION_CODE,
    ORGANIZATION_NAME,
    column_for,
    display,
    is_ignored,
)
from ..reader import Table
from .cells import _BLANK, _MISSING, _UNIQUE_FIELDS, _convert, _max_lengths, _Outcome, _Rules
from .report import CREATE, UNCHANGED, UPDATE, Issue, Report, RowPlan, value_text

CHUNK = 500
_DEFAULTS = {"ethnicity": "Kinh", "theory_level": TheoryLevel.NONE, "working_away": False}


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


# Translated only when a row repeats one (this runs for every row).
_REPEATED = (
    ("national_id", gettext_lazy("This national ID is already on row %(row)d.")),
    ("card_number", gettext_lazy("This party card number is already on row %(row)d.")),
)


def _in_subtree(path: str, root: str) -> bool:
    return path == root or path.startswith(root + PATH_SEPARATOR)


class _Planner:
    def __init__(self, *, actor, into: Organization, today: dt.date):
        self.actor = actor
        self.into = into
        self.today = today
        self.report = Report(into=into)
        self.scope = permissions.scope_paths(actor, "members.import")
        self.rule = _Rules()

    # -- columns ------------------------------------------------------------------------------------------
    def map_columns(self, headers: list[str]) -> dict[str, int] | None:
        positions: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        report = self.report
        for index, header in enumerate(headers):
            if not header:
                continue
            column = column_for(header)
            if column is None:
                if not is_ignored(header):
                    report.unknown_columns.append(header)
                continue
            if column.field in positions:
                report.file_errors.append(
                    _("The column “%(column)s” appears twice (“%(first)s” and “%(second)s”).")
                    % {"column": column.header, "first": self.headers[column.field], "second": header}
                )
                continue
            positions[column.field] = index
            self.headers[column.field] = header
            report.columns.append(column.header)
        missing = [c.header for c in COLUMNS if c.required and c.field not in positions]
        if not self.into.is_cell and not ({ORGANIZATION_CODE, ORGANIZATION_NAME} & set(positions)):
            missing.append(BY_FIELD[ORGANIZATION_NAME].header)
        for header in missing:
            report.file_errors.append(_("The required column “%(column)s” is missing.") % {"column": header})
        return None if report.file_errors else positions

    def header(self, name: str) -> str:
        return self.headers.get(name) or BY_FIELD[name].header

    # -- bulk loads ---------------------------------------------------------------------------------------
    def load(self, rows: list[tuple]) -> None:
        root = self.into.path
        subtree = Organization.objects.filter(Q(path=root) | Q(path__startswith=root + PATH_SEPARATOR))
        self.orgs_by_code: dict[str, Organization] = {}
        self.orgs_by_name: dict[str, list[Organization]] = {}
        for org in subtree:
            self.orgs_by_code[org.code.upper()] = org
            self.orgs_by_name.setdefault(org.name_folded, []).append(org)
        self.members: dict[int, Member] = {}
        self.by_nid: dict[str, int] = {}
        self.by_card: dict[str, int] = {}
        nid_of, card_of, name_of = (
            self.getter("national_id"),
            self.getter("card_number"),
            self.getter("full_name"),
        )
        nids = sorted({nid for r in rows if (nid := nid_of(r))})
        cards = sorted({card for r in rows if (card := card_of(r))})
        base = Member.objects.select_related("organization")
        for name, values in (("national_id", nids), ("card_number", cards)):
            values = [v for v in values if v not in self.by_card] if name == "card_number" else values
            if connection.vendor == "postgresql":
                # One array parameter: 40 queries of 500 placeholders each cost more to build and parse than
                # the lookups (most rows of a file are new), then only the records found are read.
                with connection.cursor() as cursor:
                    table = Member._meta.db_table
                    # The values as one JSON text: psycopg builds a 20,000-item array parameter in Python.
                    cursor.execute(
                        f"SELECT id FROM {table} WHERE {name} = ANY(ARRAY("  # noqa: S608
                        "SELECT jsonb_array_elements_text(%s::jsonb)))",
                        [json.dumps(values)],
                    )
                    found = [row[0] for row in cursor.fetchall()]
                for chunk in _chunks(found):
                    self._keep(base.filter(pk__in=chunk))
            else:
                for chunk in _chunks(values):
                    self._keep(base.filter(**{f"{name}__in": chunk}))
        # Rows without national ID or card number are matched on name and date of birth within --into.
        self.by_name: dict[tuple, int] = {}
        names = sorted({fold(name_of(r)) for r in rows if name_of(r) and not nid_of(r) and not card_of(r)})
        in_subtree = Q(organization__path=root) | Q(organization__path__startswith=root + PATH_SEPARATOR)
        for chunk in _chunks(names):
            for member in self._keep(base.filter(in_subtree, name_folded__in=chunk)):
                self.by_name.setdefault(
                    (member.name_folded, member.date_of_birth, member.organization_id), member.pk
                )

    def _keep(self, queryset) -> list[Member]:
        found = list(queryset)
        for member in found:
            self.members[member.pk] = member
            if member.national_id:
                self.by_nid[member.national_id] = member.pk
            if member.card_number:
                self.by_card[member.card_number] = member.pk
        return found

    def load_outside(self, references: set[str]) -> None:
        """Cells named in the file but not under --into: visible ones get a precise reason, others not found."""
        self.outside: dict[str, Organization] = {}
        if not references:
            return
        folded = [fold(r) for r in references]
        codes = sorted(references | {r.upper() for r in references})
        query = Q(code__in=codes) | Q(name_folded__in=folded)
        visible = Organization.objects.filter(permissions.scope_q(self.actor, "members.import")).filter(query)
        for org in visible:
            self.outside[org.code.upper()] = org
            self.outside.setdefault(org.name_folded, org)

    # -- rows ---------------------------------------------------------------------------------------------
    def issue(self, row: int, name: str, value, reason: str, *, warning: bool = False) -> None:
        target = self.report.warnings if warning else self.report.errors
        target.append(Issue(row=row, column=self.header(name), value=value_text(name, value), reason=reason))

    def read_rows(self, table: Table, positions: dict[str, int]) -> list[tuple]:
        """The rows read: (row number, then the stored values in the order of `self.fields`), _BLANK for a
        blank cell, None for one that could not be read. One flat tuple, not a dict nor a (number, values)
        pair: a 100,000-row file is held whole until it is checked (the bulk loads need every row's national
        ID and card number first), while an XLSX reader still holds the whole sheet."""
        result = []
        # Most columns repeat a few values (gender, ethnicity, cell, dates...): each is converted once. One
        # cache a column, keyed by the text itself (other cells by type and value: 1, 1.0 and True are equal
        # keys), holding the bare value when the cell needs no note: 100,000 rows have ~50,000 distinct dates.
        columns = [
            (name, index, BY_FIELD[name], {} if name not in _UNIQUE_FIELDS else None)
            for name, index in positions.items()
        ]
        self.fields = tuple(positions)
        self.field_index = {name: place for place, name in enumerate(self.fields)}
        for number, values in table.rows:
            cleaned: list = [number]
            width = len(values)
            for name, index, column, cache in columns:
                value = values[index] if index < width else None
                # is_blank, inline (this runs for every cell of the file).
                if value is None or (isinstance(value, str) and not value.strip()):
                    cleaned.append(_BLANK)
                    continue
                if cache is not None:
                    key = value if type(value) is str else (type(value), value)
                    outcome = cache.get(key, _MISSING)
                    if outcome is _MISSING:
                        outcome = _convert(column, value)
                        # A plain value (the common case) is kept as itself, not in an outcome tuple.
                        cache[key] = (
                            outcome[0] if not outcome[1] and outcome[2] is None else _Outcome(outcome)
                        )
                    elif type(outcome) is _Outcome:
                        outcome = outcome.outcome
                    else:
                        outcome = (outcome, (), None)
                else:
                    outcome = _convert(column, value)
                result_value, notes, error = outcome
                if error is not None:
                    self.report.errors.append(
                        Issue(row=number, column=self.header(name), value=display(value), reason=error)
                    )
                cleaned.append(result_value)
                for note in notes:
                    self.issue(number, name, result_value, note, warning=True)
            result.append(tuple(cleaned))
        return result

    def cleaned(self, values: tuple) -> dict:
        """A read row as field → value, blank cells left out."""
        return {
            name: value
            for name, value in zip(self.fields, itertools.islice(values, 1, None), strict=True)
            if value is not _BLANK
        }

    def getter(self, name: str) -> Callable[[tuple], object]:
        """A function giving one field of a read row (None when blank or not in the file)."""
        place = self.field_index.get(name)
        if place is None:
            return lambda values: None
        place += 1  # after the row number

        def get(values: tuple):
            value = values[place]
            return None if value is _BLANK else value

        return get

    def resolve_org(self, number: int, cleaned: dict) -> Organization | None:
        code = cleaned.get(ORGANIZATION_CODE)
        name = cleaned.get(ORGANIZATION_NAME)
        if not code and not name:
            if self.into.is_cell:
                return self.into
            self.issue(number, ORGANIZATION_NAME, "", _("The cell is required."))
            return None
        field_name, org = (ORGANIZATION_CODE, None) if code else (ORGANIZATION_NAME, None)
        reference = code or name
        if code:
            org = self.orgs_by_code.get(code.upper())
        if org is None and name:
            field_name, reference = ORGANIZATION_NAME, name
            org = self.orgs_by_code.get(name.upper())
            if org is None:
                matches = self.orgs_by_name.get(fold(name), [])
                active = [o for o in matches if o.is_active] or matches
                if len(active) > 1:
                    self.issue(
                        number,
                        ORGANIZATION_NAME,
                        name,
                        _("Several cells have this name; use the cell code (“Mã chi bộ”) instead."),
                    )
                    return None
                org = active[0] if active else None
        if org is None:
            outside = self.outside.get(reference.upper()) or self.outside.get(fold(reference))
            if outside is not None:
                reason = _("The cell “%(cell)s” is not part of %(into)s.") % {
                    "cell": outside.name,
                    "into": self.into.name,
                }
            else:
                reason = _("No cell with this code or name was found in your part of the tree.")
            self.issue(number, field_name, reference, reason)
            return None
        if not org.is_active:
            self.issue(number, field_name, reference, _("The organization is no longer active."))
            return None
        if not org.is_cell:
            self.issue(number, field_name, reference, _("Members belong to cells; choose a cell."))
            return None
        return org

    def match(self, number: int, cleaned: dict, org: Organization | None) -> tuple[Member | None, bool]:
        """The existing member this row describes, and whether the row may touch it."""
        nid, card = cleaned.get("national_id"), cleaned.get("card_number")
        pk, key = None, None
        if nid and nid in self.by_nid:
            pk, key = self.by_nid[nid], "national_id"
        elif card and card in self.by_card:
            pk, key = self.by_card[card], "card_number"
        elif (
            not nid
            and not card
            and org is not None
            and cleaned.get("full_name")
            and cleaned.get("date_of_birth")
        ):
            pk = self.by_name.get((fold(cleaned["full_name"]), cleaned["date_of_birth"], org.pk))
            key = "full_name"
        if pk is None:
            return None, True
        member = self.members[pk]
        path = member.organization.path
        if not permissions.path_in_scope(path, self.scope):
            # Someone outside the actor's part of the tree: say only that the number is taken.
            message = (
                _("Another member already has this national ID.")
                if key == "national_id"
                else _("Another member already has this party card number.")
            )
            self.issue(number, key, cleaned.get(key), message)
            return None, False
        if not _in_subtree(path, self.into.path):
            self.issue(
                number,
                key,
                cleaned.get(key),
                _("This is the record of %(name)s in %(cell)s, which is not part of %(into)s.")
                % {"name": member.full_name, "cell": member.organization.name, "into": self.into.name},
            )
            return None, False
        if org is not None and org.pk != member.organization_id:
            self.issue(
                number,
                ORGANIZATION_NAME if ORGANIZATION_NAME in self.headers else ORGANIZATION_CODE,
                org.name,
                _("%(name)s belongs to %(cell)s; record a transfer to move the member to another cell.")
                % {"name": member.full_name, "cell": member.organization.name},
            )
            return None, False
        if key == "card_number" and nid and member.national_id and member.national_id != nid:
            # The card belongs to someone with another CCCD: a typo in one of them, not a correction.
            self.issue(number, "card_number", card, _("Another member already has this party card number."))
            return None, False
        if card and self.by_card.get(card, member.pk) != member.pk:
            self.issue(number, "card_number", card, _("Another member already has this party card number."))
            return None, False
        return member, True

    def check_rows(self, rows: list[tuple], *, every: int, stop=None, release: bool = False):
        """Check the rows (no queries: everything was loaded); every `every` rows and at the end, yield how
        many rows are checked and the plans they added. `stop` (an Event) ends the check early. With
        `release`, each row's read values are let go once checked (`rows` keeps its length, with None): a
        100,000-row file need not hold every row twice, read and planned."""
        seen: dict = {}
        plans = self.report.plans
        start = 0
        for done, values in enumerate(rows, 1):
            number = values[0]
            if release:
                rows[done - 1] = None
            self.check_row(number, self.cleaned(values), seen)
            if done % every == 0 or done == len(rows):
                yield done, plans[start:]
                start = len(plans)
                if stop is not None and stop.is_set():
                    return

    def finish(self) -> None:
        self.report.errors.sort(key=lambda issue: issue.row)
        self.report.warnings.sort(key=lambda issue: issue.row)

    def check_row(self, number: int, cleaned: dict, seen: dict) -> None:
        report = self.report
        # A cell that could not be read is already reported; the row is checked further but never planned.
        unreadable = (
            {name for name, value in cleaned.items() if value is None} if None in cleaned.values() else ()
        )
        for name, message in _REPEATED:
            value = cleaned.get(name)
            if value:
                first = seen.setdefault((name, value), number)
                if first != number:
                    self.issue(number, name, value, message % {"row": first})
        org = self.resolve_org(number, cleaned)
        errors_before = len(report.errors)
        member, allowed = self.match(number, cleaned, org)
        if not allowed or org is None:
            return
        if member is not None:
            first = seen.setdefault(("member", member.pk), number)
            if first != number:
                self.issue(
                    number,
                    "full_name",
                    cleaned.get("full_name", member.full_name),
                    _("This member is already on row %(row)d.") % {"row": first},
                )
                return
        # Already NFC: every text cell went through nfc when it was read (columns.convert).
        values = {name: cleaned[name] for name in EDITABLE_FIELDS if cleaned.get(name) is not None}
        if member is not None:
            merged = {name: getattr(member, name) for name in EDITABLE_FIELDS} | values
        else:
            merged = _DEFAULTS | values
        verdict = check_member(merged, today=self.today, rule=self.rule)
        for name, messages in verdict.errors.items():
            if name in unreadable:
                continue
            for message in messages:
                self.issue(number, name, merged.get(name), message)
        for name, messages in verdict.warnings.items():
            for message in messages:
                self.issue(number, name, merged.get(name), message, warning=True)
        limits = _max_lengths()
        for name, value in values.items():
            limit = limits.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                self.issue(number, name, value, _("At most %(max)d characters.") % {"max": limit})
        if unreadable or len(report.errors) > errors_before or not verdict.ok:
            return
        if member is None:
            report.plans.append(RowPlan(row=number, action=CREATE, values=values, organization=org))
            return
        changes = [
            {
                "field": name,
                "column": self.header(name),
                "old": value_text(name, getattr(member, name)),
                "new": value_text(name, value),
            }
            for name, value in values.items()
            if value != getattr(member, name)
        ]
        action = UPDATE if changes else UNCHANGED
        changed = {c["field"]: values[c["field"]] for c in changes}
        report.plans.append(
            RowPlan(
                row=number, action=action, values=changed, organization=org, member=member, changes=changes
            )
        )
