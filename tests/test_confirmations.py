"""Every destructive or irreversible button asks first (issue 8 §3): its form carries `data-confirm` (plain
forms, handled by static/coso/coso.js) or `hx-confirm` (htmx forms). A new such action must be added here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "coso"
FORM = re.compile(r"<form\b[^>]*>", re.S)

# (template, what the form's action names): each must ask before it acts.
ASKS_FIRST = [
    ("accounts/templates/accounts/token_list.html", "accounts:token_revoke"),
    ("accounts/templates/accounts/user_detail.html", "accounts:grant_revoke"),
    ("citizens/templates/citizens/routing.html", "citizens:routing_delete"),
    ("citizens/templates/citizens/feedback_detail.html", "'close'"),
    ("commitments/templates/commitments/detail.html", 'class="border rounded p-2"'),
    ("meetings/templates/meetings/detail.html", "meetings:publish"),
    ("meetings/templates/meetings/detail.html", "meetings:agenda_delete"),
    ("meetings/templates/meetings/detail.html", "meetings:document_delete"),
    ("meetings/templates/meetings/detail.html", "meetings:guest_delete"),
    ("meetings/templates/meetings/detail.html", "meetings:cancel"),
    ("meetings/templates/meetings/minutes.html", "meetings:minutes_approve"),
    ("meetings/templates/meetings/topics.html", "meetings:topic_delete"),
    ("meetings/templates/meetings/rotation_detail.html", "meetings:rotation_publish"),
    ("meetings/templates/meetings/attendance.html", "meetings:attendance_rest_present"),
    ("study/templates/study/session_detail.html", "study:session_publish"),
    ("study/templates/study/campaign_form.html", 'method="post"'),
]


@pytest.mark.parametrize(("template", "action"), ASKS_FIRST)
def test_the_form_asks_before_it_acts(template, action):
    forms = [tag for tag in FORM.findall((TEMPLATES / template).read_text()) if action in tag]
    assert forms, f"no form with {action} in {template}"
    for tag in forms:
        assert "data-confirm=" in tag or "hx-confirm=" in tag, tag
