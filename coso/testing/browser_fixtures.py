"""One Playwright session for every real-browser test of the suite (tests/browser and the apps' own).

Registered as a pytest plugin by the root conftest.py. Two sync Playwright sessions in one process clash
("It looks like you are using Playwright Sync API inside the asyncio loop"), so there is exactly one, started
on first use and closed at the end of the run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .browser import CHROMIUM, DESKTOP

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.fixture(scope="session")
def playwright_session():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium_browser(playwright_session):
    executable = chromium_path()
    if executable is None:
        pytest.skip(f"chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    browser = playwright_session.chromium.launch(
        executable_path=executable,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    )
    yield browser
    browser.close()


def is_policy_violation(text: str) -> bool:
    """Chromium's console report of something the Content-Security-Policy refused (a script, style, frame...)."""
    return "Content Security Policy" in text


@pytest.fixture
def page_factory(chromium_browser):
    """New pages in fresh contexts. Every browser test is also a Content-Security-Policy test: whatever the
    policy refuses on any page it opens (an inline script or handler, a foreign file) fails the test."""
    contexts = []
    violations: list[str] = []

    def make(viewport=DESKTOP, locale="vi-VN", **options):
        context = chromium_browser.new_context(viewport=viewport, locale=locale, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if is_policy_violation(message.text)
                else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not violations, "The Content-Security-Policy refused:\n" + "\n".join(violations)
