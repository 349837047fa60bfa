"""Helpers for the real-browser tests (Playwright with Debian's chromium)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

CHROMIUM = os.environ.get("COSO_CHROMIUM", "/usr/bin/chromium")
REPOSITORY = Path(__file__).resolve().parents[2]
# A plain test run writes its screenshots to an ignored folder; `coso screenshots` points this at
# docs/screenshots to refresh the ones the guides show. So a test run never changes a tracked file.
SCREENSHOTS = Path(os.environ.get("COSO_SCREENSHOTS_DIR") or REPOSITORY / "build" / "screenshots")
# The moment every browser test (and so every screenshot of the guides) is taken at: a Friday morning in Vietnam.
FIXED_NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
PASSWORD = "matkhau-thu-nghiem-1"


def screenshot(page, name: str) -> Path:
    """Save a screenshot for the role guides (build/screenshots, or docs/screenshots under `coso screenshots`).

    Animations are stopped and the caret hidden, so that the same page gives the same picture.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    return path


def log_in(page, live_server, username: str, password: str = PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
