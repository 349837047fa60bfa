"""The routing rules page listed every organization twice (16,091 options at a province): it has two pickers."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.citizens.models import RoutingRule
from coso.orgs import widgets
from coso.orgs.tests.test_picker import many_cells


def test_the_routing_page_renders_no_option_list_at_province_scale(client, world):
    many_cells(world.commune)
    client.force_login(world.province_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("citizens:routing"))
    html = response.content.decode()
    assert html.count('role="combobox"') == 2 and "Tân Phú" not in html
    assert len(html) < 40_000
    assert len(queries) < 20


def test_a_rule_saves_from_typed_codes_without_javascript(client, world, roads, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 0)
    client.force_login(world.commune_staff)
    data = {"category": roads.pk, "area": "", "area_text": "b", "responsible": "", "responsible_text": "C1"}
    response = client.post(reverse("citizens:routing"), data)
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.area, rule.responsible) == (world.cell_b, world.commune)


def test_a_rule_naming_an_area_outside_the_scope_is_refused(client, world, roads, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 0)
    client.force_login(world.commune_staff)
    data = {"category": roads.pk, "area": world.cell_d.pk, "responsible": world.commune.pk}
    response = client.post(reverse("citizens:routing"), data)
    assert response.status_code == 200 and response.context["form"].errors["area"]
    data = {**data, "area": "", "area_text": "D"}
    response = client.post(reverse("citizens:routing"), data)
    assert response.status_code == 200 and response.context["form"].errors["area"]
    assert 'value="D"' in response.content.decode()  # the form keeps what was typed
    assert not RoutingRule.objects.exists()
