"""A committee lists its seats in protocol order (the secretary before any deputy, whatever the names), and a
plain seat is named after its body: a Standing committee member is not a "Cấp ủy viên" (issue 8 §3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coso.accounts.permissions import SYSTEM
from coso.orgs import services
from coso.orgs.models import CommitteeKind, Position, PositionTitle
from coso.testing.factories import make_member

pytestmark = pytest.mark.django_db

START = dt.date(2025, 6, 1)


@pytest.fixture
def committees(world, seats):
    inspection = services.committee_create(actor=SYSTEM, term=seats.term, kind=CommitteeKind.INSPECTION)
    # Assigned in the wrong order, with names that sort the wrong way round too.
    for name, title in [("An Văn Phó", PositionTitle.DEPUTY_SECRETARY), ("Ân Thị Ủy viên", PositionTitle.MEMBER),
                        ("Bùi Văn Thường trực", PositionTitle.STANDING_DEPUTY_SECRETARY)]:  # fmt: skip
        services.position_assign(
            actor=SYSTEM, committee=seats.standing, member=make_member(world.cell_a, full_name=name), title=title,
            starts_on=START,
        )  # fmt: skip
    for name, title in [("Cao Văn Ủy viên", PositionTitle.MEMBER), ("Đỗ Thị Chủ nhiệm", PositionTitle.CHAIR)]:
        services.position_assign(
            actor=SYSTEM, committee=inspection, member=make_member(world.cell_b, full_name=name), title=title,
            starts_on=START,
        )  # fmt: skip
    return seats.standing, inspection


def test_the_organization_page_lists_seats_in_protocol_order_with_the_bodys_labels(client, world, committees):
    standing, inspection = committees
    client.force_login(world.commune_staff)
    page = client.get(reverse("orgs:detail", args=[world.commune.pk])).content.decode()
    standing_html = page.split(f'data-committee="{standing.pk}"')[1].split("data-committee=")[0]
    order = ["Võ Thanh Tâm", "Bùi Văn Thường trực", "An Văn Phó", "Ân Thị Ủy viên"]
    assert sorted(order, key=standing_html.index) == order
    assert "Ủy viên Ban Thường vụ" in standing_html and "Cấp ủy viên" not in standing_html
    inspection_html = page.split(f'data-committee="{inspection.pk}"')[1].split("data-committee=")[0]
    assert inspection_html.index("Đỗ Thị Chủ nhiệm") < inspection_html.index("Cao Văn Ủy viên")
    assert "Ủy viên Ủy ban Kiểm tra" in inspection_html and "Cấp ủy viên" not in inspection_html


def test_the_api_gives_the_same_order_and_labels(client, world, committees):
    client.force_login(world.commune_staff)
    body = client.get(reverse("api:organization_detail", args=[world.commune.pk])).json()
    standing = next(c for c in body["committees"] if c["kind"] == "STANDING")
    assert [p["title"] for p in standing["positions"]] == [
        "SECRETARY", "STANDING_DEPUTY_SECRETARY", "DEPUTY_SECRETARY", "MEMBER",
    ]  # fmt: skip
    assert standing["positions"][-1]["title_label"] == "Ủy viên Ban Thường vụ"
    executive = next(c for c in body["committees"] if c["kind"] == "EXECUTIVE")
    assert executive["positions"][0]["title_label"] == "Cấp ủy viên"


def test_the_default_order_of_positions_is_protocol_order(committees):
    standing, _inspection = committees
    titles = list(Position.objects.filter(committee=standing).values_list("title", flat=True))
    assert titles == ["SECRETARY", "STANDING_DEPUTY_SECRETARY", "DEPUTY_SECRETARY", "MEMBER"]
