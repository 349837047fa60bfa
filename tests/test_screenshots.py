"""A test run never changes a tracked file: browser screenshots go to an ignored folder unless refreshed."""

from __future__ import annotations

import io

from django.core.management import call_command

from coso.testing import browser


def test_a_plain_test_run_writes_screenshots_to_an_ignored_folder():
    assert browser.SCREENSHOTS == browser.REPOSITORY / "build" / "screenshots"
    ignored = (browser.REPOSITORY / ".gitignore").read_text().split()
    assert "/build/" in ignored, "build/ (where the screenshots go) must be ignored by git"


def test_the_refresh_command_points_the_browser_tests_at_docs_screenshots():
    out = io.StringIO()
    call_command("coso_screenshots", "--dry-run", stdout=out)
    printed = out.getvalue()
    assert f"COSO_SCREENSHOTS_DIR={browser.REPOSITORY / 'docs' / 'screenshots'}" in printed
    assert "pytest tests/browser" in printed
    assert "-p no:randomly -p no:xdist --liveserver localhost:8765" in printed, (
        "one order, one process, one port"
    )
