"""The home page of each role: the office's figures, the secretary's cell, the member's record, no role."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from coso.accounts.models import Role
from coso.members.models import MemberStatus
from coso.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


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


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False)
def test_office_sees_counts_and_recognitions_due_in_its_subtree(client, world, probationers):
    overdue, soon, later, elsewhere = probationers
    response = home(client, world.commune_staff)
    assert response.status_code == 200
    office = response.context["office"]
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
    office = home(client, world.commune_staff).context["office"]
    # Cells A (2 full members) and B (1) are below 3; commune C1 has cells but fewer than 30 members.
    assert {org.code for org, _warnings in office.warned} == {"C1", "A", "B"}
    assert office.warning_count == 3
    assert office.unsupervised_count == 3


def test_the_province_admin_sees_the_whole_province(client, world):
    office = home(client, world.province_admin).context["office"]
    assert [root.code for root in office.roots] == ["P"]
    assert office.summary["total"] == 4
    assert office.unsupervised_count == 5  # C1, C2, A, B, D


def _queries(client, user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:home")).status_code == 200
    return len(captured)


def test_home_query_count_does_not_grow_with_the_tree(client, world):
    from coso.orgs.models import OrgKind
    from coso.testing.factories import make_org

    user = make_user("big_office", role=Role.COMMITTEE_STAFF, organization=world.commune)
    secretary_member = make_user(
        "sec_and_member", role=Role.CELL_SECRETARY, organization=world.cell_a, member=world.other_a_record
    )
    before = {u.username: _queries(client, u) for u in (user, secretary_member, world.member_a)}
    for n in range(4):
        cell = make_org(name=f"Chi bộ mới {n}", kind=OrgKind.CELL, parent=world.commune)
        for _i in range(3):
            make_member(cell, admitted_on=dt.date(2025, 11, 1), full_member_on=None)
        make_member(world.cell_a, admitted_on=dt.date(2025, 11, 1), full_member_on=None)
    after = {u.username: _queries(client, u) for u in (user, secretary_member, world.member_a)}
    assert after == before
    # Session, user, grants, then the office's figures (organizations, counts, warnings, supervision, due),
    # the menu's unread count, and each app's panel (notifications 1; meetings 1-5 by role; study 1-3;
    # citizens 1; commitments 1). What matters above is that none of it grows with the tree.
    assert after["big_office"] <= 18
    assert after["sec_and_member"] <= 22
    assert after["member_a"] <= 13


@time_machine.travel(dt.datetime(2026, 11, 20, 9, 0), tick=False)
def test_a_cell_secretary_sees_the_cell_and_its_probationary_members(client, world, probationers):
    overdue, soon, later, _elsewhere = probationers
    response = home(client, world.secretary_a)
    assert response.context["office"] is None
    [cell] = response.context["cells"]
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
    mine = response.context["mine"]
    assert mine.member == world.member_a_record
    assert mine.secretaries == ["Lê Văn Minh"]
    assert response.context["office"] is None and response.context["cells"] == []
    body = response.content.decode()
    assert reverse("members:detail", args=[world.member_a_record.pk]) in body
    assert "Mở hồ sơ của tôi" in body
    # Public data only: not the other member's record or anyone's national ID.
    assert "Trần Văn An" not in body
    assert world.other_a_record.national_id not in body


def test_someone_without_a_role_is_told_to_contact_the_office(client, world):
    nobody = make_user("nobody")
    response = home(client, nobody)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="no-grant"' in body
    assert "văn phòng" in body


def test_an_anonymous_visitor_gets_the_public_start_page_with_the_log_in_linked(client, world):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in (
        "citizens:portal",
        "citizens:track_lookup",
        "citizens:public_reception",
        "citizens:public_dialogues",
        "accounts:login",
    ):
        assert f'href="{reverse(name)}"' in body
    # Every link the start page offers opens for an anonymous visitor.
    for href in re.findall(r'href="(/[^"]*)"', body):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code == 200, href
