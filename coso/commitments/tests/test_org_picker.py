"""The hard-task pages pick organizations with the picker once the scope is long (a city's cells)."""

from __future__ import annotations

from django.urls import reverse

from coso.orgs import widgets


def test_the_list_filter_is_a_picker_that_keeps_the_chosen_cell(world, client, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 3)
    client.force_login(world.province_admin)
    html = client.get(reverse("commitments:list") + f"?org={world.cell_a.pk}").content.decode()
    assert 'role="combobox"' in html and f'<option value="{world.cell_a.pk}"' not in html
    assert (
        f'type="hidden" name="org" value="{world.cell_a.pk}"' in html and 'value="Chi bộ khu vực 1"' in html
    )


def test_registering_resolves_a_typed_code_without_javascript(world, client, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 3)
    client.force_login(world.province_admin)
    url = reverse("commitments:create")
    response = client.get(url, {"org": "", "org_text": "a"})
    assert response.status_code == 302 and response["Location"] == f"{url}?org={world.cell_a.pk}"
    response = client.get(url, {"org": "", "org_text": "khu vuc"})
    assert response.status_code == 200
    assert "khu vuc" in response.content.decode() and response.context["form"].errors["org"]
