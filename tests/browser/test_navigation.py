"""What every user clicks (issue 8 §1): the member list's page 2, every tab of the feedback inbox, and the public
start page on a phone. Each click must change what the page shows, and show what the server holds for it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from coso.accounts.models import User
from coso.citizens import selectors as citizen_selectors
from coso.demo.accounts import account
from coso.demo.loader import load_demo
from coso.members import selectors as member_selectors
from coso.members.forms import MemberFilterForm
from coso.testing.browser import DESKTOP, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("coso.demo.loader.DEMO_EXTENSIONS", ("coso.demo.citizens_data",))
    cache.clear()
    yield load_demo(scale=0.05)
    cache.clear()


def sign_in(page, live_server, username: str) -> User:
    demo_account = account(username)
    log_in(page, live_server, demo_account.username, demo_account.password)
    assert page.url.rstrip("/") == live_server.url, f"{username} is not logged in: {page.url}"
    return User.objects.get(username=demo_account.username)


def member_names(page) -> list[str]:
    return page.locator("#member-table tbody tr td:first-child a").all_inner_texts()


def test_the_member_list_goes_to_page_2_and_back(demo, live_server, page_factory):
    page = page_factory(DESKTOP)
    user = sign_in(page, live_server, "thanhuy")
    page.goto(live_server.url + reverse("members:list"))
    first = member_names(page)
    filters = MemberFilterForm({}, actor=user)
    assert filters.is_valid()
    members = member_selectors.member_list(actor=user, filters=filters.filters())
    expected = list(members.values_list("full_name", flat=True)[:50])
    assert first and first == expected[: len(first)], "page 1 shows the first members in name order"
    page.get_by_role("link", name="Trang sau").click()
    expect(page.locator("#member-table")).to_contain_text("Trang 2/")  # waits for htmx to swap the table
    assert re.search(r"[?&]page=2\b", page.url), page.url
    second = member_names(page)
    assert second and not set(second) & set(first), "page 2 shows other members"
    assert second == expected[len(first) : len(first) + len(second)]
    page.get_by_role("link", name="Trang trước").click()
    expect(page.locator("#member-table")).to_contain_text("Trang 1/")
    assert member_names(page) == first
    # The same page reloaded from its address (a bookmark, the back button) is page 2 again.
    page.goto(live_server.url + reverse("members:list") + "?page=2")
    assert member_names(page) == second


def inbox_codes(page) -> list[str]:
    return [
        text.split(" · ")[0].strip()
        for text in page.locator("[data-testid=inbox-row] .text-muted").all_inner_texts()
    ]


def test_every_inbox_tab_shows_its_own_items(demo, live_server, page_factory):
    page = page_factory(DESKTOP)
    user = sign_in(page, live_server, "phuong1")
    page.goto(live_server.url + reverse("citizens:inbox"))
    tabs = page.locator("[data-testid=boxes] a.nav-link")
    hrefs = tabs.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) >= 6, hrefs
    seen: dict[str, list[str]] = {}
    for index, href in enumerate(hrefs):
        box = re.search(r"box=(\w+)", href).group(1)
        page.locator("[data-testid=boxes] a.nav-link").nth(index).click()
        page.wait_for_load_state("networkidle")
        assert f"box={box}" in page.url
        active = page.locator("[data-testid=boxes] a.nav-link.active")
        assert active.count() == 1 and f"box={box}" in active.get_attribute("href")
        expected = list(
            citizen_selectors.feedback_list(actor=user, filters={"box": box}).values_list("code", flat=True)[
                :25
            ]
        )
        assert inbox_codes(page) == expected, box
        seen[box] = expected
    assert len({tuple(codes) for codes in seen.values()}) > 1, "the tabs do not all show the same items"
    assert seen["open"] and seen["overdue"], "the demo has items in these tabs"


def test_the_public_start_page_on_a_phone(demo, live_server, page_factory):
    page = page_factory(PHONE)
    page.goto(live_server.url + "/")
    actions = page.locator("[data-testid=start-actions] a")
    assert actions.count() == 5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    labels = actions.all_inner_texts()
    for label in labels:
        page.goto(live_server.url + "/")
        page.locator("[data-testid=start-actions]").get_by_role("link", name=label).click()
        page.wait_for_load_state("networkidle")
        assert page.url.rstrip("/") != live_server.url, label
        assert page.locator("h1").count() >= 1 and "Không tìm thấy trang" not in page.inner_text("body"), (
            label
        )
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), label
    # A mistyped code keeps the form with a message, not a 404.
    page.goto(live_server.url + reverse("citizens:track_lookup"))
    page.fill("input[name=code]", "KHONGCO1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Không tìm thấy mã này" in page.inner_text("main")
    assert page.input_value("input[name=code]") == "KHONGCO1"
    # The staff log-in is linked, with the forgotten-password way.
    page.goto(live_server.url + "/")
    page.locator("[data-testid=staff-login]").get_by_role("link", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_username").count() == 1
    assert page.get_by_role("link", name="Quên mật khẩu?").count() == 1
