"""Issue 9 §10: a Content-Security-Policy on every HTML page (only this origin's static files, no inline script,
no eval), the usual headers, and templates that hold nothing the policy would refuse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.test_page_walk import INLINE_HANDLER, INLINE_SCRIPT, policy_problems

ROOT = Path(__file__).resolve().parents[1] / "coso"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/citizens/p/", "/api/v1/docs", "/admin/login/"])
def test_pages_anyone_can_open_carry_the_policy(url):
    response = Client().get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert (
        "http:" not in response["Content-Security-Policy"] and "*" not in response["Content-Security-Policy"]
    )
    assert policy_problems(response, response.content.decode()) == []


@pytest.mark.django_db
def test_browser_features_coso_never_uses_are_off():
    response = Client().get("/citizens/p/")
    policy = response["Permissions-Policy"]
    for feature in ("camera", "geolocation", "microphone", "payment"):
        assert f"{feature}=()" in policy


def test_the_walk_check_sees_an_inline_script_and_a_handler():
    """The page walk (every page of every demo role) relies on these patterns: they must catch what they claim."""
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="s">{}</script>')
    assert INLINE_HANDLER.search('<select name="org" onchange="this.form.submit()">')
    assert not INLINE_HANDLER.search('<select name="org" data-autosubmit>')


TEMPLATE_REFUSED = [
    (INLINE_SCRIPT, "an inline <script>"),
    (INLINE_HANDLER, "an inline event handler (on...=)"),
    (re.compile(r"<style", re.I), "a <style> element (use a static stylesheet)"),
    (re.compile(r"javascript:", re.I), "a javascript: link"),
    (
        re.compile(r"https?://(?!www\.w3\.org)[^\"'\s]+\.(?:js|css)\b"),
        "a script or stylesheet from another site",
    ),
]


def test_no_template_holds_what_the_policy_refuses():
    found = []
    for template in ROOT.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern, what in TEMPLATE_REFUSED:
            if pattern.search(text):
                found.append(f"{template.relative_to(ROOT)}: {what}")
    assert found == []
