"""A staff member logs in, finds a member without typing diacritics, opens the record, switches language."""

from __future__ import annotations

import re

import pytest

from coso.testing.browser import DESKTOP, PHONE, log_in, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_staff_finds_a_member_without_diacritics_and_switches_language(world, live_server, page_factory):
    page = page_factory(DESKTOP)
    log_in(page, live_server, "commune_staff")
    assert page.url.rstrip("/") == live_server.url, f"not logged in, at {page.url}"
    screenshot(page, "staff-home")

    page.goto(f"{live_server.url}/members/")
    page.fill("input[name=q]", "nguyen thi hoa")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    link = page.get_by_role("link", name="Nguyễn Thị Hoà")
    assert link.count() == 1
    assert page.get_by_role("link", name="Trần Văn An").count() == 0
    screenshot(page, "staff-member-search")

    link.click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/members/\d+/", page.url)
    body = page.inner_text("body")
    assert "Nguyễn Thị Hoà" in body
    assert world.member_a_record.national_id in body, "staff sees the full national ID"
    screenshot(page, "staff-member-record")

    page.click("[data-testid=lang-switch]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Members" in page.inner_text("nav")
    page.click("[data-testid=lang-switch]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Đảng viên" in page.inner_text("nav")


def test_a_member_on_a_phone_sees_their_own_record(world, live_server, page_factory):
    page = page_factory(PHONE)
    log_in(page, live_server, "member_a")
    screenshot(page, "member-home-phone")
    page.get_by_role("link", name=re.compile("hồ sơ", re.I)).first.click()
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "Nguyễn Thị Hoà" in body
    assert world.member_a_record.national_id in body, "a member sees their own full record"
    screenshot(page, "member-own-record-phone")


def test_a_member_cannot_see_other_members_personal_data(world, live_server, page_factory):
    page = page_factory(DESKTOP)
    log_in(page, live_server, "member_a")
    page.goto(f"{live_server.url}/members/{world.other_a_record.pk}/")
    body = page.inner_text("body")
    assert "Trần Văn An" in body
    assert world.other_a_record.national_id not in body
    assert world.other_a_record.phone not in body
