"""The members' sections of the home page (coso.members.home): the office's figures, the secretary's cell, the
member's record."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from coso.members.models import MemberStatus
from coso.testing.factories import make_member

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
OFFICE, CELLS, MINE = "members/_home_office.html", "members/_home_cells.html", "members/_home_member.html"


@pytest.fixture
def probationers(world):
    """Probationary members in cell A: one overdue, one due within 30 days, one due later."""
    overdue = make_member(
        world.cell_a, full_name="Võ Thị Quá Hạn", admitted_on=dt.date(2025, 10, 1), full_member_on=None
    )
    soon = make_member(
        world.cell_a, full_name="Đỗ Văn Sắp", admitted_on=dt.date(2025, 12, 10), full_member_on=None
    )
    later = make_member(
        world.cell_a, full_name="Bùi Văn Chưa", admitted_on=dt.date(2026, 3, 1), full_member_on=None
    )
    elsewhere = make_member(
        world.cell_d, full_name="Hồ Văn Xa", admitted_on=dt.date(2025, 10, 1), full_member_on=None
    )
    for member in (overdue, soon, later, elsewhere):
        assert member.status == MemberStatus.PROBATIONARY
    return overdue, soon, later, elsewhere


def home(client, user):
    client.force_login(user)
    return client.get(reverse("core:home"))


def section(response, template: str) -> dict | None:
    """The context of the home panel drawn with `template`, or None when the page has none."""
    return next((panel.context for panel in response.context["panels"] if panel.template == template), None)


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False)
def test_office_sees_counts_and_recognitions_due_in_its_subtree(client, world, probationers):
    overdue, soon, later, elsewhere = probationers
    response = home(client, world.commune_staff)
    assert response.status_code == 200
    office = section(response, OFFICE)["office"]
    # Cell A: 2 full + 3 probationary; cell B: 1 full. Cell D (commune C2) is outside.
    assert office.summary == {"full": 3, "probationary": 3, "exempt": 0, "total": 6}
    assert [due.member for due in office.recognition.rows] == [overdue, soon]
    assert office.recognition.count == 2
    assert office.recognition.overdue == 1
    body = response.content.decode()
    assert "Võ Thị Quá Hạn" in body and "Hồ Văn Xa" not in body and "Bùi Văn Chưa" not in body
    assert "01/10/2026" in body  # the overdue member's 12 months ended on 01/10/2026
    assert reverse("orgs:supervision") in body


def test_office_sees_structural_warnings_and_unsupervised_organizations(client, world):
    office = section(home(client, world.commune_staff), OFFICE)["office"]
    # Cells A (2 full members) and B (1) are below 3; commune C1 has cells but fewer than 30 members.
    assert {org.code for org, _warnings in office.warned} == {"C1", "A", "B"}
    assert office.warning_count == 3
    assert office.unsupervised_count == 3


def test_the_province_admin_sees_the_whole_province(client, world):
    office = section(home(client, world.province_admin), OFFICE)["office"]
    assert [root.code for root in office.roots] == ["P"]
    assert office.summary["total"] == 4
    assert office.unsupervised_count == 5  # C1, C2, A, B, D


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False)
def test_a_cell_secretary_sees_the_cell_and_its_probationary_members(client, world, probationers):
    overdue, soon, later, _elsewhere = probationers
    response = home(client, world.secretary_a)
    assert section(response, OFFICE) is None
    [cell] = section(response, CELLS)["cells"]
    assert cell.cell == world.cell_a
    assert cell.summary == {"full": 2, "probationary": 3, "exempt": 0, "total": 5}
    assert [due.member for due in cell.recognition.rows] == [overdue, soon, later]
    assert [due.due_on for due in cell.recognition.rows] == [
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 10),
        dt.date(2027, 3, 1),
    ]
    assert cell.recognition.overdue == 1
    body = response.content.decode()
    assert f"{reverse('members:list')}?org={world.cell_a.pk}" in body
    assert reverse("orgs:detail", args=[world.cell_a.pk]) in body
    assert "Hồ Văn Xa" not in body


def test_a_member_sees_their_record_and_their_cell_secretary(client, world):
    world.secretary_a.first_name, world.secretary_a.last_name = "Lê Văn Minh", ""
    world.secretary_a.save()
    response = home(client, world.member_a)
    mine = section(response, MINE)["mine"]
    assert mine.member == world.member_a_record
    assert mine.secretaries == ["Lê Văn Minh"]
    assert section(response, OFFICE) is None and section(response, CELLS) is None
    body = response.content.decode()
    assert reverse("members:detail", args=[world.member_a_record.pk]) in body
    assert "Mở hồ sơ của tôi" in body
    # Public data only: not the other member's record or anyone's national ID.
    assert "Trần Văn An" not in body
    assert world.other_a_record.national_id not in body
