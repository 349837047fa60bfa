"""The member list stays fast on a province: the organization filter is a picker, not a list of every cell."""

from __future__ import annotations

from coso.members.models import Member
from coso.orgs import widgets


def org_field_html(html: str) -> str:
    start = html.index('data-picker-name="org"')
    return html[start : html.index("</div>", html.index("data-picker-hint", start))]


def test_a_long_organization_list_is_a_picker_that_keeps_the_chosen_cell_in_the_url(
    world, client, monkeypatch
):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 3)  # the world has 6 organizations
    client.force_login(world.province_admin)
    html = client.get("/members/").content.decode()
    assert "<option" not in org_field_html(html) and 'role="combobox"' in html
    response = client.get(f"/members/?org={world.cell_a.pk}")
    field = org_field_html(response.content.decode())
    assert f'type="hidden" name="org" value="{world.cell_a.pk}"' in field
    assert 'value="Chi bộ khu vực 1"' in field and world.commune.name in field
    assert {row["member"].pk for row in response.context["rows"]} == set(
        Member.objects.filter(organization=world.cell_a).values_list("pk", flat=True)
    )


def test_a_code_typed_in_the_filter_finds_the_cell(world, client, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 3)
    client.force_login(world.province_admin)
    response = client.get("/members/?org=&org_text=a")
    assert {row["member"].pk for row in response.context["rows"]} == set(
        Member.objects.filter(organization=world.cell_a).values_list("pk", flat=True)
    )


def test_a_short_organization_list_shows_every_organization(world, client):
    client.force_login(world.province_admin)
    html = client.get("/members/").content.decode()
    options = html[html.index('name="org"') : html.index("</select>", html.index('name="org"'))]
    for name in ("Chi bộ khu vực 1", "Chi bộ khu vực 2", "Chi bộ ấp 3", "Đảng bộ phường Vị Tân"):
        assert name in options


def test_member_counts_use_an_index_on_status_and_organization():
    indexed = [tuple(index.fields) for index in Member._meta.indexes]
    assert ("status", "organization") in indexed


def test_new_member_from_a_committees_list_offers_the_cells_under_it(world, client, monkeypatch):
    client.force_login(world.province_admin)
    html = client.get(f"/members/new/?org={world.commune.pk}").content.decode()
    field = html[
        html.index('name="organization"') : html.index("</select>", html.index('name="organization"'))
    ]
    assert "Chi bộ khu vực 1" in field and "Chi bộ ấp 3" not in field
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 1)
    html = client.get(f"/members/new/?org={world.commune.pk}").content.decode()
    assert world.commune.name in html[html.index('data-picker-name="organization"') :][:3000]
