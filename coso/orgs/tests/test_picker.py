"""The organization picker: a plain select for a few organizations, a search-as-you-type field past the
threshold (no option list rendered), a scoped and paginated search, and typed codes resolved on the server."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coso.core.text import fold, text_sort_key
from coso.orgs import widgets
from coso.orgs.forms import MergeForm, SupervisionForm
from coso.orgs.models import PATH_SEPARATOR, Organization, OrgKind
from coso.orgs.widgets import PickerScope

MANY = 500


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def many_cells(parent: Organization, n: int = MANY) -> list[Organization]:
    """`n` cells under `parent`, written in one statement (the service would take a while for 500)."""
    rows = []
    for i in range(n):
        name = f"Chi bộ ấp Tân Phú {i:03d}"
        rows.append(
            Organization(
                code=f"TP{i:03d}",
                name=name,
                name_folded=fold(name),
                name_sort=text_sort_key(name),
                kind=OrgKind.CELL,
                parent=parent,
                path=f"{parent.path}{PATH_SEPARATOR}z{i:03d}",
                depth=parent.depth + 1,
            )
        )
    return Organization.objects.bulk_create(rows)


def pick(client, scope: PickerScope, q: str = "", page: int = 1) -> str:
    url = reverse("orgs:pick")
    response = client.get(url, {"scope": scope.sign(), "q": q, "page": page, "field": "id_org"})
    assert response.status_code == 200
    return response.content.decode()


def picked_pks(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-pk="(\d+)"', html)]


def test_a_small_scope_gets_a_plain_select(world):
    html = str(SupervisionForm(actor=world.province_admin)["organization"])
    assert html.startswith("<select")
    assert f'<option value="{world.cell_a.pk}">' in html and "Chi bộ khu vực 1" in html
    assert "data-picker" not in html


def test_past_the_threshold_the_picker_renders_no_options(world):
    many_cells(world.commune)
    form = SupervisionForm(actor=world.province_admin)
    with CaptureQueriesContext(connection) as queries:
        html = str(form["organization"])
    assert len(queries) == 1  # the count that chose the picker
    assert "<option" not in html and "Tân Phú" not in html
    assert len(html) < 3000
    assert 'role="combobox"' in html and 'aria-controls="id_organization_listbox"' in html
    assert 'hx-trigger="input changed delay:250ms, focus"' in html
    assert 'name="organization_text"' in html and 'type="hidden" name="organization"' in html


def test_the_whole_supervision_page_stays_small_with_500_cells(world, client):
    many_cells(world.commune)
    client.force_login(world.province_admin)
    response = client.get(reverse("orgs:supervision"))
    assert response.status_code == 200
    assert "Chi bộ ấp Tân Phú 4" not in response.content.decode()


def test_the_threshold_decides_with_one_query(world, monkeypatch):
    monkeypatch.setattr(
        widgets, "PICKER_THRESHOLD", 5
    )  # 6 organizations in the world, 5 of a supervised kind
    assert "<select" in str(SupervisionForm(actor=world.province_admin)["organization"])
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 4)
    assert "data-picker" in str(SupervisionForm(actor=world.province_admin)["organization"])


def test_a_chosen_organization_shows_its_name_and_parent(world, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 0)
    form = SupervisionForm(actor=world.province_admin, initial={"organization": world.cell_a.pk})
    html = str(form["organization"])
    assert f'value="{world.cell_a.pk}"' in html
    assert 'value="Chi bộ khu vực 1"' in html
    assert f"A · {world.commune.name}" in html


def test_the_search_is_accent_insensitive_and_puts_the_exact_code_first(world, client):
    many_cells(world.commune, 30)
    client.force_login(world.province_admin)
    html = pick(client, PickerScope(perm="orgs.view"), q="tân phu 001")
    assert picked_pks(html) == [Organization.objects.get(code="TP001").pk]
    html = pick(client, PickerScope(perm="orgs.view"), q="a")  # every name has an "a"; one code is "A"
    assert picked_pks(html)[0] == world.cell_a.pk and len(picked_pks(html)) == 20
    assert "Chi bộ khu vực 1" in pick(client, PickerScope(perm="orgs.view"), q="chi bo khu vuc")


def test_the_search_is_paginated(world, client):
    many_cells(world.commune, 45)
    client.force_login(world.province_admin)
    scope = PickerScope(perm="orgs.view")
    first, second, third = (pick(client, scope, q="tan phu", page=p) for p in (1, 2, 3))
    assert len(picked_pks(first)) == len(picked_pks(second)) == 20 and len(picked_pks(third)) == 5
    assert "data-picker-more" in first and "page=2" in first and "data-picker-more" not in third
    assert not set(picked_pks(first)) & set(picked_pks(second))


def test_the_search_never_shows_an_organization_outside_the_users_scope(world, client):
    client.force_login(world.secretary_b)
    html = pick(client, PickerScope(perm="orgs.view"), q="chi bo")
    assert picked_pks(html) == [world.cell_b.pk]
    # Even a scope rooted elsewhere (signed for another user's form) only narrows the user's own grants.
    html = pick(client, PickerScope(perm="orgs.view", root=world.commune2.path), q="")
    assert picked_pks(html) == []


def test_the_search_follows_the_fields_scope(world, client):
    client.force_login(world.province_admin)
    cells = PickerScope(perm="orgs.change", kinds=("CELL",), exclude=(world.cell_b.pk,))
    assert set(picked_pks(pick(client, cells))) == {world.cell_a.pk, world.cell_d.pk}


def test_a_scope_not_signed_by_a_field_is_refused(world, client):
    client.force_login(world.province_admin)
    forged = signing.dumps({"perm": "orgs.view"}, salt="another.salt")
    assert client.get(reverse("orgs:pick"), {"scope": forged}).status_code == 400
    unknown = signing.dumps({"perm": "anything.goes"}, salt=widgets.SALT)
    assert client.get(reverse("orgs:pick"), {"scope": unknown}).status_code == 400
    assert client.get(reverse("orgs:pick"), {"perm": "anything.goes"}).status_code == 400


def supervision_data(world, **values) -> dict:
    return {"seat": "", "starts_on": "01/07/2025", **values}


def test_a_posted_pk_outside_the_scope_is_refused(world):
    form = SupervisionForm(supervision_data(world, organization=world.cell_d.pk), actor=world.commune_staff)
    assert not form.is_valid()
    assert form.errors["organization"] == ["This organization was not found."]
    form = SupervisionForm(
        supervision_data(world, organization=world.cell_d.pk, organization_text="Chi bộ ấp 3"),
        actor=world.commune_staff,
    )
    assert not form.is_valid() and "organization" in form.errors


@pytest.mark.parametrize("typed", ["A", "a", "chi bo khu vuc 1", "Chi bộ khu vực 1"])
def test_a_typed_code_or_name_resolves(world, typed):
    form = SupervisionForm(
        supervision_data(world, organization="", organization_text=typed), actor=world.province_admin
    )
    form.is_valid()
    assert form.cleaned_data.get("organization") == world.cell_a


def test_a_typed_text_that_matches_none_or_several_says_so(world):
    form = SupervisionForm(
        supervision_data(world, organization="", organization_text="khu vuc"), actor=world.province_admin
    )
    assert not form.is_valid()
    assert "Several organizations match “khu vuc”" in form.errors["organization"][0]
    for typed in ("Hà Nội", "x", "1"):  # one letter is a code, not a part of a name ("1" is in "khu vực 1")
        form = SupervisionForm(
            supervision_data(world, organization="", organization_text=typed), actor=world.province_admin
        )
        assert not form.is_valid()
        assert f"No organization matches “{typed}”" in form.errors["organization"][0]


def test_text_typed_over_a_choice_wins_and_the_form_keeps_it(world, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 0)
    data = supervision_data(world, organization=world.cell_a.pk, organization_text="B")
    form = SupervisionForm(data, actor=world.province_admin)
    form.is_valid()
    assert form.cleaned_data["organization"] == world.cell_b
    data = supervision_data(world, organization=world.cell_a.pk, organization_text="khu vuc")
    form = SupervisionForm(data, actor=world.province_admin)
    assert not form.is_valid()
    html = str(form["organization"])
    assert 'value="khu vuc"' in html and f'value="{world.cell_a.pk}"' not in html


def test_the_chosen_name_sent_back_keeps_the_chosen_pk(world):
    data = supervision_data(world, organization=world.cell_b.pk, organization_text="Chi bộ khu vực 2")
    form = SupervisionForm(data, actor=world.province_admin)
    form.is_valid()
    assert form.cleaned_data["organization"] == world.cell_b


def merge_data(**values) -> dict:
    return {"effective_on": "01/03/2026", "new_code": "M", "new_name": "Chi bộ khu vực 1–2", **values}


def test_a_multiple_picker_adds_typed_codes_to_the_ticked_ones(world, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 0)
    form = MergeForm(merge_data(sources=[world.cell_a.pk], sources_text="B"), actor=world.province_admin)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["sources"]) == {world.cell_a, world.cell_b}
    html = str(MergeForm(actor=world.province_admin, initial={"sources": [world.cell_a.pk]})["sources"])
    assert 'type="checkbox" name="sources"' in html and "checked" in html and "<option" not in html


def test_a_small_multiple_field_is_tick_boxes(world):
    html = str(MergeForm(actor=world.province_admin)["sources"])
    assert html.count('type="checkbox"') == Organization.objects.count()
    assert "data-picker" not in html


def test_the_split_starts_from_a_picker_and_a_typed_code(world, client, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 0)
    client.force_login(world.province_admin)
    url = reverse("orgs:restructure_form", args=["split"])
    html = client.get(url).content.decode()
    assert 'name="source_text"' in html and "<option" not in html
    response = client.get(url, {"source": "", "source_text": "a", "parts": "2"})
    assert response.context["form"].source_org == world.cell_a
    response = client.get(url, {"source": "", "source_text": "khu vuc", "parts": "2"})
    assert response.context["form"] is None
    assert response.context["split_sources"].errors["source"]
    assert 'value="khu vuc"' in response.content.decode()  # the page keeps what was typed, with the error
