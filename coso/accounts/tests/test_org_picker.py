"""Granting a role at a province: the organization is a picker, not a select of thousands."""

from __future__ import annotations

from coso.accounts.forms import GrantForm
from coso.orgs import widgets


def test_the_grant_organization_is_a_picker_past_the_threshold(world, monkeypatch):
    assert "(C1)</option>" in str(GrantForm(actor=world.province_admin)["organization"])
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 2)
    html = str(GrantForm(actor=world.province_admin)["organization"])
    assert 'role="combobox"' in html and "<option" not in html
    form = GrantForm(
        {"organization": "", "organization_text": "A", "role": "MEMBER"}, actor=world.province_admin
    )
    form.is_valid()
    assert form.cleaned_data["organization"] == world.cell_a
