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
