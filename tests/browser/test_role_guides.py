"""Each demo role's first steps, in a real browser on the demo data: what the role guides in docs/ show.

The screenshots in docs/screenshots/ are taken here, so the guides always show the product as it is.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from coso.core.text import fold
from coso.demo.accounts import account
from coso.demo.loader import linked_member, load_demo
from coso.members.models import Member
from coso.orgs.models import Organization
from coso.testing.browser import DESKTOP, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    return load_demo(scale=0.05)


def sign_in(page, live_server, username: str):
    demo_account = account(username)
    log_in(page, live_server, demo_account.username, demo_account.password)
    assert page.url.rstrip("/") == live_server.url, f"{username} is not logged in: {page.url}"


def test_committee_staff_walks_the_tree_and_the_member_list(demo, live_server, page_factory):
    page = page_factory(DESKTOP)
    sign_in(page, live_server, "thanhuy")
    screenshot(page, "guide-staff-home")

    page.goto(live_server.url + reverse("orgs:tree"))
    body = page.inner_text("main")
    assert "Vị Thanh" in body
    screenshot(page, "guide-staff-tree")

    ward = Organization.objects.get(code="VT-P1")
    page.goto(live_server.url + reverse("orgs:detail", args=[ward.pk]))
    assert ward.name in page.inner_text("main")
    screenshot(page, "guide-staff-organization")

    someone = Member.objects.filter(organization__path__startswith=ward.path + ".").order_by("pk").first()
    given = someone.full_name.split()[-1]
    page.goto(live_server.url + reverse("members:list"))
    page.fill("input[name=q]", fold(someone.full_name))  # typed without diacritics
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name=someone.full_name).count() >= 1
    screenshot(page, "guide-staff-member-search")
    page.get_by_role("link", name=someone.full_name).first.click()
    page.wait_for_load_state("networkidle")
    assert given in page.inner_text("main")
    screenshot(page, "guide-staff-member-record")

    page.goto(live_server.url + reverse("members:import"))
    assert page.locator("input[type=file]").count() == 1
    screenshot(page, "guide-staff-import")

    page.goto(live_server.url + reverse("orgs:restructure"))
    screenshot(page, "guide-staff-restructure")
    page.goto(live_server.url + reverse("orgs:supervision"))
    screenshot(page, "guide-staff-supervision")


def test_committee_leader_sees_the_city_at_a_glance(demo, live_server, page_factory):
    page = page_factory(DESKTOP)
    sign_in(page, live_server, "lanhdao")
    body = page.inner_text("main")
    assert re.search(r"\d", body), "the leader's home shows figures"
    screenshot(page, "guide-leader-home")
    page.goto(live_server.url + reverse("orgs:supervision"))
    screenshot(page, "guide-leader-supervision")


def test_cell_secretary_on_a_phone_sees_the_cell(demo, live_server, page_factory):
    page = page_factory(PHONE)
    sign_in(page, live_server, "bithu")
    cell = Organization.objects.get(code=account("bithu").org_code)
    assert cell.name in page.inner_text("main")
    screenshot(page, "guide-secretary-home-phone")
    page.goto(live_server.url + reverse("members:list"))
    screenshot(page, "guide-secretary-members-phone")


def test_party_member_on_a_phone_sees_their_own_record_only(demo, live_server, page_factory):
    page = page_factory(PHONE)
    sign_in(page, live_server, "dangvien")
    own = linked_member(account("dangvien").member)
    assert own is not None
    screenshot(page, "guide-member-home-phone")
    page.goto(live_server.url + reverse("members:detail", args=[own.pk]))
    body = page.inner_text("main")
    assert own.full_name in body
    assert own.national_id in body, "a member sees their own full national ID"
    screenshot(page, "guide-member-record-phone")
    other = Member.objects.filter(organization=own.organization).exclude(pk=own.pk).first()
    page.goto(live_server.url + reverse("members:detail", args=[other.pk]))
    assert other.national_id not in page.inner_text("body")


def test_administrator_manages_roles_and_reads_the_access_log(demo, live_server, page_factory):
    page = page_factory(DESKTOP)
    sign_in(page, live_server, "admin")
    page.goto(live_server.url + reverse("accounts:user_list"))
    assert "bithu" in page.inner_text("main")
    screenshot(page, "guide-admin-users")
    page.goto(live_server.url + reverse("accounts:access_log"))
    screenshot(page, "guide-admin-access-log")
