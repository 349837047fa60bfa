"""The meetings pages pick organizations with the picker once the scope is long (a province's cells)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coso.accounts.permissions import SYSTEM
from coso.meetings import services
from coso.orgs import widgets


def meeting(org, day: int):
    starts = timezone.make_aware(dt.datetime(2026, 3, day, 8, 0))
    return services.meeting_schedule(actor=SYSTEM, organization=org, starts_at=starts, place="Hội trường")


def test_the_list_filter_is_a_picker_that_keeps_the_chosen_cell(world, client, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 3)
    in_a, in_d = meeting(world.cell_a, 2), meeting(world.cell_d, 3)
    client.force_login(world.province_admin)
    html = client.get("/meetings/").content.decode()
    assert 'role="combobox"' in html and f'<option value="{world.cell_a.pk}"' not in html
    response = client.get(f"/meetings/?org={world.cell_a.pk}")
    html = response.content.decode()
    assert (
        f'type="hidden" name="org" value="{world.cell_a.pk}"' in html and 'value="Chi bộ khu vực 1"' in html
    )
    assert [m.pk for m in response.context["page"]] == [in_a.pk]
    response = client.get("/meetings/?org=&org_text=ap 3")
    assert [m.pk for m in response.context["page"]] == [in_d.pk]


def test_a_short_scope_keeps_the_select(world, client):
    client.force_login(world.secretary_a)
    html = client.get("/meetings/").content.decode()
    assert f'<option value="{world.cell_a.pk}">' in html.replace("\u2003", "").replace("> ", ">")
    assert 'role="combobox"' not in html


def test_the_calendar_picks_its_cell_with_the_picker(world, client, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 1)
    client.force_login(world.province_admin)
    response = client.get(f"/meetings/calendar/?org={world.cell_a.pk}")
    html = response.content.decode()
    assert f'type="hidden" name="org" value="{world.cell_a.pk}"' in html and "<option" not in html
    assert 'data-autosubmit=""' in html and response.context["organization"] == world.cell_a
    response = client.get("/meetings/calendar/?org=&org_text=b")
    assert response.context["organization"] == world.cell_b
    response = client.get("/meetings/calendar/?org=&org_text=Hà Nội")
    assert response.status_code == 200 and response.context["cell_form"].errors["org"]
    assert 'value="Hà Nội"' in response.content.decode()


def test_the_overview_picks_its_committee_with_the_picker(world, client, monkeypatch):
    """The overview's committee list was a select capped at 200: a province has more committees than that."""
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 1)
    client.force_login(world.province_admin)
    response = client.get(f"/meetings/overview/?org={world.commune.pk}&show=not_met")
    html = response.content.decode()
    assert f'type="hidden" name="org" value="{world.commune.pk}"' in html and "<option" not in html
    assert 'type="hidden" name="show" value="not_met"' in html and 'role="combobox"' in html
    assert response.context["organization"] == world.commune
    # Without JavaScript the typed name is resolved among the committees (not the cells).
    response = client.get("/meetings/overview/?org=&org_text=vi thanh")
    assert response.context["organization"] == world.commune2
    response = client.get("/meetings/overview/?org=&org_text=khu vuc 1")
    assert response.status_code == 200 and response.context["committee_form"].errors["org"]
    assert 'value="khu vuc 1"' in response.content.decode()


def test_a_short_committee_list_stays_a_select(world, client):
    client.force_login(world.province_admin)
    html = client.get("/meetings/overview/").content.decode()
    assert f'<option value="{world.commune2.pk}"' in html and 'role="combobox"' not in html
    assert f'<option value="{world.cell_a.pk}"' not in html
