"""Fixtures for the orgs tests: a commune with a current term, committees and seats, on top of the shared world."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from coso.accounts.permissions import SYSTEM
from coso.orgs import services
from coso.orgs.models import CommitteeKind, PositionTitle
from coso.testing.factories import make_member

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _today():
    """Every orgs test runs on 15/06/2026 (before the world is built), so dates and history are predictable."""
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True):
        yield TODAY


@dataclass
class Seats:
    term: object
    executive: object
    standing: object
    secretary: object  # the commune secretary's Position (standing committee)
    secretary_member: object
    executive_member: object


@pytest.fixture
def seats(world) -> Seats:
    """Commune C1 has a 2025–2030 term with a standing and an executive committee; two members of cell A sit on
    them (the secretary on the standing committee, another member on the executive committee)."""
    term = services.term_create(
        actor=SYSTEM,
        org=world.commune,
        name="2025–2030",
        starts_on=dt.date(2025, 6, 1),
        committee_kinds=[CommitteeKind.EXECUTIVE, CommitteeKind.STANDING],
    )
    executive = term.committees.get(kind=CommitteeKind.EXECUTIVE)
    standing = term.committees.get(kind=CommitteeKind.STANDING)
    secretary_member = make_member(world.cell_a, full_name="Võ Thanh Tâm")
    executive_member = make_member(world.cell_b, full_name="Đặng Thị Mai")
    secretary = services.position_assign(
        actor=SYSTEM,
        committee=standing,
        member=secretary_member,
        title=PositionTitle.SECRETARY,
        starts_on=dt.date(2025, 6, 1),
    )
    services.position_assign(
        actor=SYSTEM,
        committee=executive,
        member=executive_member,
        title=PositionTitle.MEMBER,
        starts_on=dt.date(2025, 6, 1),
    )
    return Seats(term, executive, standing, secretary, secretary_member, executive_member)
