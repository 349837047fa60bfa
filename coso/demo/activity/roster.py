"""Who belonged to which cell, with which status, on any day: read once per commune from the generated rows.

The activity writers ask "the cell's members on the meeting day"; answering from the membership periods and
the dated events (not from today's status) keeps an attendance list free of the members who joined later, left
earlier, died or moved to another cell.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from coso.members.models import CURRENT_STATUSES, EventKind, Member, MemberEvent, MembershipPeriod
from coso.members.services import derive_status
from coso.orgs.models import CELL_KINDS, Organization


@dataclass
class Life:
    """One member's dated statuses: `timeline` holds (day, status from that day on), first the admission."""

    pk: int
    national_id: str
    organization_id: int
    name_sort: str
    date_of_birth: dt.date
    working_away: bool
    days: list[dt.date] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)

    def status_on(self, day: dt.date) -> str | None:
        """The status derived from the events up to `day` (members.services.derive_status); None before the
        admission."""
        index = bisect.bisect_right(self.days, day)
        return self.statuses[index - 1] if index else None


@dataclass
class Stay:
    """A membership period: in the cell from `starts_on` (included) to `ends_on` (excluded; open when None)."""

    life: Life
    starts_on: dt.date
    ends_on: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass
class Roster:
    commune: Organization
    cells: list[Organization]
    lives: list[Life]
    stays: dict[int, list[Stay]]  # cell pk -> periods in that cell, in national-id order

    def members_on(self, cell_id: int, day: dt.date) -> list[tuple[Life, str]]:
        """The cell's members on `day` with their status then (current statuses only: not yet admitted, struck
        off, transferred out or deceased members are not listed), in a stable order."""
        result = []
        for stay in self.stays.get(cell_id, ()):
            if stay.covers(day):
                status = stay.life.status_on(day)
                if status in CURRENT_STATUSES:
                    result.append((stay.life, status))
        return result


def _timeline(events: list[tuple[str, dt.date]]) -> tuple[list[dt.date], list[str]]:
    # The status only changes on event days: derive it once per day that has events.
    ordered = sorted(events, key=lambda e: e[1])
    days: list[dt.date] = []
    statuses: list[str] = []
    if not any(kind == EventKind.ADMISSION for kind, _day in ordered):
        return days, statuses
    for index, (_kind, day) in enumerate(ordered):
        if index + 1 < len(ordered) and ordered[index + 1][1] == day:
            continue
        status = derive_status(ordered[: index + 1])
        if days and days[-1] == day:
            statuses[-1] = status
        else:
            days.append(day)
            statuses.append(status)
    return days, statuses


def load_roster(commune: Organization) -> Roster:
    """Everyone who ever had a period in one of the commune's cells (three queries)."""
    cells = list(Organization.objects.filter(parent=commune, kind__in=CELL_KINDS).order_by("path"))
    cell_ids = [c.pk for c in cells]
    period_rows = list(
        MembershipPeriod.objects.filter(organization_id__in=cell_ids).values_list(
            "member_id", "organization_id", "starts_on", "ends_on"
        )
    )
    member_ids = {row[0] for row in period_rows}
    events: dict[int, list[tuple[str, dt.date]]] = defaultdict(list)
    for member_id, kind, day in MemberEvent.objects.filter(member_id__in=member_ids).values_list(
        "member_id", "kind", "occurred_on"
    ):
        events[member_id].append((kind, day))
    lives: dict[int, Life] = {}
    for pk, national_id, org_id, name_sort, born, away in (
        Member.objects.filter(pk__in=member_ids)
        .order_by("national_id", "pk")
        .values_list("pk", "national_id", "organization_id", "name_sort", "date_of_birth", "working_away")
    ):
        life = Life(pk, national_id or "", org_id, name_sort, born, away)
        life.days, life.statuses = _timeline(events.get(pk, []))
        lives[pk] = life
    stays: dict[int, list[Stay]] = defaultdict(list)
    for member_id, org_id, starts_on, ends_on in period_rows:
        stays[org_id].append(Stay(lives[member_id], starts_on, ends_on))
    for rows in stays.values():
        rows.sort(key=lambda s: (s.life.national_id, s.starts_on))
    ordered = sorted(lives.values(), key=lambda life: (life.national_id, life.pk))
    return Roster(commune, cells, ordered, dict(stays))
