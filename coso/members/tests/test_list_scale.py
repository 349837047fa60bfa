"""The member list stays fast on a province: the organization filter does not list thousands of cells."""

from __future__ import annotations

from coso.members import forms
from coso.members.models import Member


def org_options(html: str) -> str:
    start = html.index('name="org"')
    return html[start : html.index("</select>", start)]


def test_a_long_organization_list_shows_committees_and_the_chosen_cell(world, client, monkeypatch):
    monkeypatch.setattr(forms, "FILTER_MAX_OPTIONS", 3)  # the world has 6 organizations
    client.force_login(world.province_admin)
    options = org_options(client.get("/members/").content.decode())
    assert "Đảng bộ phường Vị Tân" in options and "Đảng bộ xã Vị Thanh" in options
    assert "Chi bộ khu vực 1" not in options and "Chi bộ ấp 3" not in options
    response = client.get(f"/members/?org={world.cell_a.pk}")
    options = org_options(response.content.decode())
    assert f'value="{world.cell_a.pk}" selected' in options
    assert "Chi bộ ấp 3" not in options
    assert {row["member"].pk for row in response.context["rows"]} == set(
        Member.objects.filter(organization=world.cell_a).values_list("pk", flat=True)
    )


def test_a_short_organization_list_shows_every_organization(world, client):
    client.force_login(world.province_admin)
    options = org_options(client.get("/members/").content.decode())
    for name in ("Chi bộ khu vực 1", "Chi bộ khu vực 2", "Chi bộ ấp 3", "Đảng bộ phường Vị Tân"):
        assert name in options


def test_member_counts_use_an_index_on_status_and_organization():
    indexed = [tuple(index.fields) for index in Member._meta.indexes]
    assert ("status", "organization") in indexed
