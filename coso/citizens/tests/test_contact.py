"""Who sees a hidden reporter's name and contact: only the receiving unit's own office and heads (issue 9 §13).

Staff and leaders of the levels above see the item through their subtree grants, but not who reported it; the
handling cell never does. Checked for each role on the page, the contact fragment and the API.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.accounts.models import Role
from coso.citizens.models import FeedbackKind
from coso.testing.factories import make_user

from .conftest import assign, file_report

SEES = {"commune_staff", "commune_leader"}
ROLES = [
    "commune_staff",
    "commune_leader",
    "upper_staff",
    "upper_leader",
    "upper_inspection",
    "province_admin",
    "commune_inspection",
    "secretary_a",
]


def actor(world, name: str):
    if hasattr(world, name):
        return getattr(world, name)
    level, role = name.split("_", 1)
    org = world.province if level == "upper" else world.commune
    role = {"staff": Role.COMMITTEE_STAFF, "leader": Role.COMMITTEE_LEADER, "inspection": Role.INSPECTION}[
        role
    ]
    return make_user(name, role=role, organization=org)


@pytest.mark.parametrize("name", ROLES)
def test_only_the_receiving_units_office_and_heads_see_a_hidden_reporter(client, world, roads, name):
    item = assign(world, file_report(world, roads))
    client.force_login(actor(world, name))
    page = client.get(reverse("citizens:feedback_detail", args=[item.pk]))
    assert page.status_code == 200  # everyone here sees the item itself
    html = page.content.decode()
    assert "Nguyễn Văn Dân" not in html and "0909123456" not in html
    assert ('data-testid="show-contact"' in html) == (name in SEES)
    contact = client.get(reverse("citizens:feedback_contact", args=[item.pk]))
    api = client.get(reverse("api:feedback_contact", args=[item.pk]))
    if name in SEES:
        assert contact.status_code == 200 and "0909123456" in contact.content.decode()
        assert api.status_code == 200 and api.json()["reporter_phone"] == "0909123456"
    else:
        assert contact.status_code == 403 and "0909123456" not in contact.content.decode()
        assert api.status_code == 403 and "0909123456" not in api.content.decode()


@pytest.mark.parametrize("name", ["upper_staff", "upper_leader", "province_admin"])
def test_a_denunciation_hides_the_reporter_from_the_levels_above_too(client, world, order_cat, name):
    item = file_report(world, order_cat, kind=FeedbackKind.DENUNCIATION)
    client.force_login(actor(world, name))
    assert client.get(reverse("api:feedback_contact", args=[item.pk])).status_code == 403
    client.force_login(world.commune_staff)
    assert client.get(reverse("api:feedback_contact", args=[item.pk])).status_code == 200


def test_a_reporter_who_is_not_hidden_is_seen_by_the_levels_above(client, world, order_cat):
    item = assign(world, file_report(world, order_cat), org=world.commune)
    client.force_login(actor(world, "upper_staff"))
    assert client.get(reverse("api:feedback_contact", args=[item.pk])).status_code == 200
