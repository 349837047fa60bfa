"""The study forms pick the publishing or launching organization with the picker past a few dozen."""

from __future__ import annotations

from coso.orgs import widgets
from coso.study.forms import CampaignForm, DocumentForm


def test_the_launching_committee_is_a_picker_past_the_threshold(world, monkeypatch):
    html = str(CampaignForm(actor=world.province_admin)["organization"])
    assert html.startswith("<select") and world.commune.name in html
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 1)
    form = CampaignForm(actor=world.province_admin)
    html = str(form["organization"])
    assert 'role="combobox"' in html and "<option" not in html
    assert form.fields["organization"].widget.scope.exclude_kinds == ("CELL",)


def test_a_typed_code_names_the_publisher(world, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 1)
    form = DocumentForm({"organization": "", "organization_text": "C1"}, actor=world.province_admin)
    form.is_valid()
    assert form.cleaned_data["organization"] == world.commune
