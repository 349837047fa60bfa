"""Real-browser tests: Playwright driving Debian's chromium (/usr/bin/chromium) against a live server.

Skipped with a clear message when chromium is not installed (`apt-get install chromium`).
"""

from __future__ import annotations

import base64
import random
import secrets
import shutil
from pathlib import Path

import pytest
import time_machine

from coso.testing.browser import CHROMIUM, FIXED_NOW


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists() or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(
        reason=f"chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# chromium_browser and page_factory come from coso.testing.browser_fixtures (one session for the whole run).


@pytest.fixture(autouse=True)
def fixed_clock():
    """Every browser test runs at the same hour of the same day (FIXED_NOW): the demo builds its data relative
    to today, so the data, the pages and the guides' screenshots are the same on every run, and a test written
    today still passes next year. The clock stands still (tick=False): nothing on the server waits for it."""
    with time_machine.travel(FIXED_NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def fixed_randomness(monkeypatch):
    """Tracking codes, reporters' secrets and feed addresses come from `secrets`; in a browser test they come
    from a seeded generator instead, so the codes on the guides' screenshots are the same on every run."""
    rng = random.Random(2026)
    monkeypatch.setattr(secrets, "choice", rng.choice)
    monkeypatch.setattr(secrets, "token_hex", lambda nbytes=32: rng.randbytes(nbytes).hex())
    monkeypatch.setattr(
        secrets,
        "token_urlsafe",
        lambda nbytes=32: base64.urlsafe_b64encode(rng.randbytes(nbytes)).rstrip(b"=").decode(),
    )
