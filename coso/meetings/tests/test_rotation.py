"""The rotation planner: every leader visits every cell over the cycle, never two meetings on one date; an
infeasible input is reported with the cells that cannot be placed."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from coso.accounts.permissions import SYSTEM
from coso.core.exceptions import RuleViolation
from coso.meetings import selectors, services
from coso.meetings.services import Slot, rotation_propose
from coso.meetings.tests.conftest import TZ


def _check(leaders, slots, proposal):
    by_meeting = {s.meeting_id: s for s in slots}
    cells = {s.cell_id for s in slots}
    for leader in leaders:
        visits = [by_meeting[m] for l_, m in proposal.visits if l_ == leader]
        assert sorted(v.cell_id for v in visits) == sorted(cells), "each cell exactly once"
        assert len({v.date for v in visits}) == len(visits), "no clash on a date"


def test_every_leader_visits_every_cell_without_a_clash():
    # 6 cells meeting on the same days of 3 months: many clashes to avoid.
    slots = []
    meeting_id = 0
    for month in (1, 2, 3):
        for cell in range(6):
            meeting_id += 1
            slots.append(Slot(meeting_id, cell, dt.date(2026, month, 10 + cell % 3)))
    leaders = [101, 102]
    proposal = rotation_propose(leaders, slots)
    assert proposal.feasible
    _check(leaders, slots, proposal)
    # the two leaders spread out instead of all going to the same meetings
    assert len({m for _l, m in proposal.visits}) == len(proposal.visits)


def test_needs_backtracking_to_find_the_matching():
    # cell 1 can only go on day 1; cell 2 on day 1 or 2: a greedy first choice for cell 2 would block cell 1.
    slots = [
        Slot(1, 2, dt.date(2026, 1, 1)),
        Slot(2, 2, dt.date(2026, 1, 2)),
        Slot(3, 1, dt.date(2026, 1, 1)),
    ]
    proposal = rotation_propose([7], slots)
    assert proposal.feasible
    _check([7], slots, proposal)


@pytest.mark.parametrize("seed", range(20))
def test_random_feasible_inputs_are_always_solved(seed):
    rng = random.Random(seed)
    cells = rng.randint(2, 12)
    slots = []
    meeting_id = 0
    for cell in range(cells):
        days = rng.sample(range(1, 29), 3)
        for month, day in zip((1, 2, 3), days, strict=True):
            meeting_id += 1
            slots.append(Slot(meeting_id, cell, dt.date(2026, month, day)))
    leaders = [1, 2, 3]
    proposal = rotation_propose(leaders, slots)
    assert proposal.feasible  # each cell has 3 dates; distinct dates exist in abundance
    _check(leaders, slots, proposal)


def test_infeasible_input_names_the_cells_that_cannot_be_placed():
    same_day = dt.date(2026, 3, 8)
    slots = [Slot(1, 1, same_day), Slot(2, 2, same_day), Slot(3, 3, dt.date(2026, 3, 9))]
    proposal = rotation_propose([5], slots)
    assert not proposal.feasible
    assert len(proposal.missing[5]) == 1 and proposal.missing[5][0] in (1, 2)


def _plan_meetings(world, pairs):
    for cell, day in pairs:
        services.meeting_schedule(
            actor=SYSTEM, organization=cell, starts_at=dt.datetime(2026, 6, day, 8, tzinfo=TZ)
        )


def test_service_refuses_an_infeasible_plan_clearly(world):
    _plan_meetings(world, [(world.cell_a, 20), (world.cell_b, 20)])
    with pytest.raises(RuleViolation) as exc:
        services.rotation_plan_create(
            actor=world.commune_staff,
            organization=world.commune,
            leaders=[world.other_a_record],
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2026, 6, 30),
        )
    assert exc.value.code == "infeasible"
    assert world.other_a_record.full_name in exc.value.fields["leaders"][0]


def test_published_plan_invites_leaders_and_shows_done_visits(world):
    _plan_meetings(world, [(world.cell_a, 20), (world.cell_b, 20), (world.cell_a, 27), (world.cell_b, 27)])
    plan, proposal = services.rotation_plan_create(
        actor=world.commune_leader,
        organization=world.commune,
        leaders=[world.member_d_record, world.other_a_record],
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 30),
    )
    visits = selectors.rotation_visits(plan)
    assert len(visits) == 4
    assert Counter(v.leader_id for v in visits) == {world.member_d_record.pk: 2, world.other_a_record.pk: 2}
    services.rotation_plan_publish(actor=world.commune_staff, plan=plan)
    visit = visits[0]
    assert visit.meeting.guests.filter(member=visit.leader).exists()
    services.meeting_mark_held(actor=SYSTEM, meeting=visit.meeting, today=dt.date(2026, 6, 30))
    services.attendance_record(actor=SYSTEM, meeting=visit.meeting, member=visit.leader, status="PRESENT")
    done = [v for v in selectors.rotation_visits(plan) if v.done]
    assert [v.pk for v in done] == [visit.pk]
    # a visiting leader is a guest row: it never counts in the cell's rate
    row = visit.meeting.attendances.get(member=visit.leader)
    assert row.is_guest == (visit.leader.organization_id != visit.meeting.organization_id)


def test_moving_a_visit_onto_a_clashing_date_is_refused(world):
    _plan_meetings(world, [(world.cell_a, 20), (world.cell_b, 21), (world.cell_b, 20)])
    plan, _ = services.rotation_plan_create(
        actor=world.commune_staff,
        organization=world.commune,
        leaders=[world.member_d_record],
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 30),
    )
    visit_b = next(
        v for v in plan.visits.select_related("meeting") if v.meeting.organization_id == world.cell_b.pk
    )
    clash = next(m for m in world.cell_b.meetings.all() if m.starts_at.astimezone(TZ).day == 20)
    with pytest.raises(RuleViolation) as exc:
        services.rotation_visit_move(actor=world.commune_staff, visit=visit_b, meeting=clash)
    assert exc.value.code == "clash"
