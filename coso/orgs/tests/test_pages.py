"""The organization pages: tree (counts, lazy expansion, search, as-of date), organization page, edit forms with
optimistic locking, terms and seats, supervision coverage and restructuring with preview and confirm."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.accounts.permissions import SYSTEM
from coso.members.models import EventKind, Member
from coso.members.services import member_record_event
from coso.orgs import services
from coso.orgs.models import (
    Organization,
    OrgKind,
    OrgStatus,
    Position,
    PositionTitle,
    RestructuringEvent,
    SupervisionAssignment,
    Term,
)
from coso.testing.factories import make_member, make_org

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


# --- tree -------------------------------------------------------------------------------------------------------


def test_tree_shows_the_actors_part_with_counts_and_member_links(client, world):
    client.force_login(world.commune_staff)
    response = client.get(reverse("orgs:tree"))
    html = page(response)
    assert response.status_code == 200
    assert "Chi bộ khu vực 1" in html and "Chi bộ ấp 3" not in html
    assert f"{reverse('members:list')}?org={world.cell_a.pk}" in html
    assert f'data-org="{world.commune.pk}"' in html


def test_tree_counts_add_up_with_the_exempted_members_shown_on_the_page(client, world):
    """Full + probationary did not make the total: exempted members were only in a tooltip (issue 8 §2)."""
    exempt_member = make_member(world.cell_a, full_name="Võ Văn Miễn")
    member_record_event(
        actor=SYSTEM, member=exempt_member, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 5)
    )
    client.force_login(world.commune_staff)
    html = page(client.get(reverse("orgs:tree")))
    after = html[html.index(f'data-org="{world.cell_a.pk}"') :]
    counts = re.sub(r"<[^>]+>", " ", after[after.index("org-counts") : after.index("</span></span>")])
    full = int(re.search(r"(\d+) chính thức", counts).group(1))
    probationary = int(re.search(r"(\d+) dự bị", counts).group(1))
    exempt = int(re.search(r"(\d+) miễn sinh hoạt", counts).group(1))
    total = int(re.search(r"tổng (\d+)", counts).group(1))
    assert exempt == 1 and full + probationary + exempt == total


def test_tree_opens_at_the_users_level_and_loads_deeper_levels_with_htmx(client, world):
    client.force_login(world.province_admin)
    html = page(client.get(reverse("orgs:tree")))
    # The province and its communes; the cells load when a commune is opened.
    assert world.commune.name in html and world.cell_a.name not in html
    assert f'hx-get="{reverse("orgs:tree")}?node={world.commune.pk}"' in html
    fragment = client.get(reverse("orgs:tree"), {"node": world.commune.pk}, headers={"HX-Request": "true"})
    assert world.cell_a.name in page(fragment) and "<html" not in page(fragment)
    # A commune's staff starts at the commune: its cells are there at once.
    client.force_login(world.commune_staff)
    assert world.cell_a.name in page(client.get(reverse("orgs:tree")))


def test_tree_page_costs_the_same_with_many_more_cells(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    client.get(reverse("orgs:tree"))
    with CaptureQueriesContext(connection) as before:
        small = page(client.get(reverse("orgs:tree")))
    for n in range(60):
        make_org(name=f"Chi bộ thêm {n}", parent=world.commune2)
    with django_assert_max_num_queries(len(before)):
        large = page(client.get(reverse("orgs:tree")))
    assert "Chi bộ thêm" not in large and abs(len(large) - len(small)) < 2000


def test_tree_as_of_a_date_also_opens_level_by_level(client, world):
    client.force_login(world.province_admin)
    html = page(client.get(reverse("orgs:tree"), {"as_of": "15/03/2026"}))
    assert world.commune.name in html and world.cell_a.name not in html
    assert "as_of=15/03/2026" in html
    fragment = page(
        client.get(
            reverse("orgs:tree"), {"node": world.commune.pk, "as_of": "15/03/2026"}, headers={"HX-Request": "true"}
        )
    )
    assert world.cell_a.name in fragment and "/members/?org=" not in fragment


