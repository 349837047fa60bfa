"""Menu entries and buttons are shown only to those who may use them, by the same permission the view checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coso.orgs.models import OrgKind, SupervisionAssignment, SupervisionKind
from coso.testing.factories import make_member, make_org

pytestmark = pytest.mark.django_db


def _page(client, user, url="/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("meetings:rotation_list", "Rotation plans"),
        ("meetings:topics", "Seasonal topics"),
        ("meetings:overview", "Cells overview"),
    ],
)
def test_planning_pages_are_neither_offered_to_nor_open_for_a_plain_member(client, world, url_name, label):
    url = reverse(url_name)
    meetings_page = _page(client, world.member_a, reverse("meetings:list"))
    assert f'href="{url}"' not in meetings_page
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url_name", ["meetings:rotation_list", "meetings:topics"])
def test_a_cell_secretary_is_offered_the_planning_pages_and_may_open_them(client, world, url_name):
    url = reverse(url_name)
    assert f'href="{url}"' in _page(client, world.secretary_a, reverse("meetings:list"))
    assert client.get(url).status_code == 200


def test_the_cells_overview_is_offered_to_committee_staff_only(client, world):
    url = reverse("meetings:overview")
    assert f'href="{url}"' in _page(client, world.commune_staff, reverse("meetings:list"))
    assert f'href="{url}"' not in _page(client, world.secretary_a, reverse("meetings:list"))


def test_api_tokens_are_not_offered_to_a_plain_member_and_the_page_refuses(client, world):
    url = reverse("accounts:token_list")
    assert f'href="{url}"' not in _page(client, world.member_a)
    assert client.get(url).status_code == 403
    assert client.post(reverse("accounts:token_create"), {"name": "x"}).status_code == 403
    assert f'href="{url}"' in _page(client, world.secretary_a)
    assert client.get(url).status_code == 200


def test_my_plan_is_offered_only_to_accounts_with_a_member_record(client, world):
    url = reverse("study:plan_mine")
    assert f'href="{url}"' not in _page(client, world.commune_staff)
    assert f'href="{url}"' not in _page(client, world.commune_staff, reverse("study:plan_list"))
    assert client.get(url).status_code == 403
    assert f'href="{url}"' in _page(client, world.member_a)


@pytest.fixture
def province_assignment(world):
    """The province assigned one of its own members to supervise cell A."""
    province_cell = make_org(
        name="Chi bộ Văn phòng Tỉnh ủy", kind=OrgKind.GRASSROOTS_CELL, parent=world.province, code="PV"
    )
    supervisor = make_member(province_cell, full_name="Võ Văn Tỉnh")
    return SupervisionAssignment.objects.create(
        supervisor=supervisor,
        organization=world.cell_a,
        assigned_by=world.province,
        kind=SupervisionKind.choices[-1][0],
        starts_on=dt.date(2026, 1, 5),
    )


def test_only_the_assigning_committee_is_offered_to_end_a_supervision(client, world, province_assignment):
    end_url = reverse("orgs:supervision_end", args=[province_assignment.pk])
    member_url = reverse("members:detail", args=[province_assignment.supervisor_id])

    commune_page = _page(client, world.commune_staff, reverse("orgs:supervision"))
    assert "Võ Văn Tỉnh" in commune_page
    assert f'href="{end_url}"' not in commune_page
    assert (
        f'href="{member_url}"' not in commune_page
    )  # the province's member is outside the commune's records
    assert client.get(end_url).status_code == 403

    province_page = _page(client, world.province_admin, reverse("orgs:supervision"))
    assert f'href="{end_url}"' in province_page
    assert f'href="{member_url}"' in province_page
    assert client.get(end_url).status_code == 200


def test_a_refusal_never_sends_the_committee_office_to_itself(client, world):
    client.force_login(world.commune_staff)
    response = client.get(reverse("study:plan_mine"))
    assert response.status_code == 403
    text = response.content.decode()
    assert 'data-refusal="office"' in text
    assert "văn phòng cấp ủy" not in text.lower()

    client.force_login(world.member_a)
    response = client.get(reverse("meetings:overview"))
    assert response.status_code == 403
    assert 'data-refusal="member"' in response.content.decode()
    assert "văn phòng cấp ủy" in response.content.decode().lower()
