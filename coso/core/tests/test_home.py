"""The home page: the sections the apps contribute (whose query count must not grow with the tree), the notice for
an account without a role, and the public start page for an anonymous visitor. The members' sections (office,
cell, own record) are tested in coso/members/tests/test_home.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from coso.accounts.models import Role
from coso.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def home(client, user):
    client.force_login(user)
    return client.get(reverse("core:home"))


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
    # Session, user, grants, then the office's figures (organizations, kept counts, committees, the 20 shown,
    # the roots, supervision, due), the menu's unread count, and each app's panel (notifications 1; meetings
    # 1-7 by role: the cells overview's two counts and its first cells not met; study 1-3; citizens 1;
    # commitments 1; reviews 1-2: the open cycles, none here, after the path of the account's own cell;
    # inspection 1-2: the member's own remedies, the overdue ones of the subtree). What matters above is that
    # none of it grows with the tree.
    assert after["big_office"] <= 23
    assert after["sec_and_member"] <= 26
    assert after["member_a"] <= 16


def test_someone_without_a_role_is_told_to_contact_the_office(client, world):
    nobody = make_user("nobody")
    response = home(client, nobody)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="no-grant"' in body
    assert "văn phòng" in body


def test_a_member_without_a_role_sees_their_record_not_the_notice(client, world):
    user = make_user("member_only", member=world.other_a_record)
    body = home(client, user).content.decode()
    assert 'data-testid="no-grant"' not in body
    assert 'data-testid="home-member"' in body


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


def test_a_whole_tree_scope_counts_without_joining_rows_to_the_organizations(client, world):
    """Issue 10: the province administrator's panels (study reports, feedback, recognition due...) count over
    their tables alone when the scope holds every organization, instead of joining each row to its organization
    and comparing paths (200,000 members at province scale)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user("province_lead", role=Role.COMMITTEE_LEADER, organization=world.province)
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:home")).status_code == 200
    joined = [
        q["sql"]
        for q in captured.captured_queries
        # Counts over the organizations themselves compare paths, cheaply: 8,000 rows, not 200,000.
        if re.search(r'FROM "(\w+)"', q["sql"]).group(1) != "orgs_organization"
        and 'JOIN "orgs_organization"' in q["sql"]
        and "LIKE" in q["sql"]
    ]
    assert joined == []
