"""Citizens' feedback in a real browser on the demo: a citizen on a phone files a report with a photo and gets a
tracking code; the ward's office classifies and assigns it to the residential area's cell; the cell secretary
(who never sees who reported it) answers with a photo; the citizen reads the answer by code and rates it. An
overdue complaint is escalated by the hourly job and lands in the city office's escalated tab. Screenshots for
the role guides.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from coso.citizens import selectors, services
from coso.citizens.models import (
    Attachment,
    AttachmentKind,
    Category,
    Feedback,
    FeedbackStatus,
    UpdateKind,
)
from coso.citizens.places import place_name
from coso.demo.accounts import account
from coso.demo.loader import load_demo
from coso.orgs.models import Organization
from coso.testing.browser import DESKTOP, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = FeedbackStatus

NAME = "Trần Thị Mai"
PHONE_NUMBER = "0939 456 789"
EMAIL = "mai.tran@example.vn"
INTERNAL_NOTE = "Nội bộ: hộ này đã phản ánh nhiều lần"


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch, live_server):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COSO_SITE_URL = live_server.url
    # Only this app's demo data: the other apps' demo data have their own browser tests.
    monkeypatch.setattr("coso.demo.loader.DEMO_EXTENSIONS", ("coso.demo.citizens_data",))
    cache.clear()  # the portal's rate limit counts per IP in the cache
    yield load_demo(scale=0.05)
    cache.clear()


def png(path, colour) -> str:
    """A small real PNG, as a phone camera would send (smaller)."""
    Image.new("RGB", (64, 48), colour).save(path, format="PNG")
    return str(path)


def sign_in(page, live_server, username: str):
    demo_account = account(username)
    log_in(page, live_server, demo_account.username, demo_account.password)
    assert page.url.rstrip("/") == live_server.url, f"{username} is not logged in: {page.url}"


def status_of(code: str) -> str:
    return Feedback.objects.get(code=code).status


def test_a_citizen_on_a_phone_files_a_report_with_a_photo_and_rates_the_answer(
    demo, live_server, page_factory, tmp_path, mailoutbox
):
    ward = Organization.objects.get(code="VT-P1")
    cell = Organization.objects.get(code="VT-P1-KV1")
    roads = Category.objects.get(code="duong-den")

    # 1. The citizen, not logged in, on a phone: choose the ward, fill the short form, attach a photo.
    citizen = page_factory(PHONE)
    citizen.goto(live_server.url + reverse("citizens:portal"))
    citizen.select_option("select[name=commune]", ward.code)
    citizen.click("button[type=submit]")
    citizen.wait_for_load_state("networkidle")
    citizen.select_option("#id_category", label=roads.name)
    citizen.select_option("#id_area", label=place_name(cell))  # the place, not the Party cell
    citizen.fill("#id_address", "Hẻm 5 đường Trần Hưng Đạo, gần trường tiểu học")
    citizen.fill(
        "#id_description", "Đèn đường đầu hẻm 5 tắt đã hơn một tuần, buổi tối học sinh đi lại rất tối."
    )
    citizen.set_input_files("#id_files", png(tmp_path / "den-hong.png", (40, 40, 60)))
    citizen.fill("#id_reporter_name", NAME)
    citizen.fill("#id_reporter_phone", PHONE_NUMBER)
    citizen.fill("#id_reporter_email", EMAIL)
    citizen.check("#id_consent")
    citizen.locator("#id_category").scroll_into_view_if_needed()
    screenshot(citizen, "guide-citizens-portal-phone")
    citizen.click("[data-testid=submit]")
    citizen.wait_for_load_state("networkidle")

    code = citizen.inner_text("[data-testid=tracking-code]").strip()
    item = Feedback.objects.get(code=code)
    # The second, secret code is shown once; this browser keeps the proof, so the rating below needs no typing.
    secret = citizen.inner_text("[data-testid=reporter-secret]").strip()
    assert len(secret) == 11 and secret not in item.reporter_secret_hash
    assert (item.status, item.receiving_org, item.area, item.category) == (S.RECEIVED, ward, cell, roads)
    assert (item.reporter_name, item.reporter_phone, item.reporter_email) == (NAME, PHONE_NUMBER, EMAIL)
    assert item.consent_at is not None
    assert (
        Attachment.objects.filter(feedback=item, update__isnull=True, kind=AttachmentKind.PHOTO).count() == 1
    )
    assert citizen.inner_text("[data-testid=status]") == "Đã tiếp nhận"
    assert "Phản ánh · Đường sá" in citizen.inner_text("main"), "the kind reads as a citizen's report"
    screenshot(citizen, "guide-citizens-code-phone")

    # 2. The ward's office finds it among the unassigned items, sees who reported it (logged), assigns it.
    office = page_factory(DESKTOP)
    sign_in(office, live_server, "phuong1")
    office.goto(live_server.url + reverse("citizens:inbox") + "?box=unassigned")
    row = office.locator("[data-testid=inbox-row]", has_text=code)
    assert row.count() == 1
    screenshot(office, "guide-citizens-inbox")
    row.click()
    office.wait_for_load_state("networkidle")
    office.click("[data-testid=show-contact]")
    assert PHONE_NUMBER in office.inner_text("[data-testid=contact]")
    office.click("[data-testid=action-assign] summary")
    assign = office.locator("[data-testid=action-assign]")
    # The routing rule of the residential area proposes its cell.
    assert assign.locator("select[name=organization]").input_value() == str(cell.pk)
    assign.locator("textarea[name=note]").fill(INTERNAL_NOTE)
    screenshot(office, "guide-citizens-item")
    assign.locator("button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert (item.status, item.organization) == (S.ASSIGNED, cell)
    assert "Đã giao xử lý" in office.inner_text("[data-testid=status]")

    # The ward head's reception days this month, on the calendar, held or not.
    office.goto(live_server.url + reverse("citizens:reception_calendar", args=[ward.pk]))
    calendar = selectors.reception_calendar(org=ward, month=timezone.localdate().replace(day=1))
    compliance = office.locator("[data-testid=compliance]")
    assert f"{calendar['held']}/{calendar['required']} ngày" in compliance.inner_text()
    expected = "alert-danger" if calendar["short"] else "alert-success"
    assert expected in compliance.get_attribute("class")
    assert office.locator("[data-testid^=reception-]").count() == len(calendar["days"]) >= 1
    screenshot(office, "guide-citizens-reception")

    # 3. The cell secretary, the handler, on a phone: no name, phone or e-mail of the reporter anywhere.
    handler = page_factory(PHONE)
    sign_in(handler, live_server, "bithu")
    detail_url = live_server.url + reverse("citizens:feedback_detail", args=[item.pk])
    handler.goto(detail_url)
    assert handler.locator("[data-testid=contact-hidden]").count() == 1
    assert handler.locator("[data-testid=show-contact]").count() == 0
    html = handler.content()
    for secret in (NAME, PHONE_NUMBER, EMAIL):
        assert secret not in html
    refused = handler.goto(live_server.url + reverse("citizens:feedback_contact", args=[item.pk]))
    assert refused.status == 403
    handler.goto(detail_url)
    handler.click("[data-testid=start]")
    handler.wait_for_load_state("networkidle")
    assert status_of(code) == S.IN_PROGRESS
    assert "Đang xử lý" in handler.inner_text("[data-testid=status]")
    handler.click("[data-testid=action-answer] summary")
    answer = handler.locator("[data-testid=action-answer]")
    answer.locator("textarea[name=answer]").fill(
        "Điện lực đã thay bóng đèn và dây dẫn ngày hôm nay, đèn sáng lại."
    )
    answer.locator("input[type=file]").set_input_files(png(tmp_path / "den-sang.png", (250, 220, 80)))
    answer.locator("button[type=submit]").click()
    handler.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert item.status == S.ANSWERED and item.handler.username == "bithu"
    assert Attachment.objects.filter(
        feedback=item, update__kind=UpdateKind.ANSWERED, kind=AttachmentKind.PHOTO
    ).exists()

    # The citizen left an e-mail address: told once, in Vietnamese, with the link, without the internal note.
    [mail] = [message for message in mailoutbox if message.to == [EMAIL]]
    assert mail.subject == f"Phản ánh {code} của ông/bà đã được trả lời"
    assert f"{live_server.url}/citizens/p/{code}/" in mail.body
    assert "đèn sáng lại" in mail.body and INTERNAL_NOTE not in mail.body

    # 4. The citizen looks the answer up by code (typed carelessly) and rates it.
    citizen.goto(live_server.url + reverse("citizens:track_lookup"))
    citizen.fill("#id_code", code.replace("-", "").lower())
    citizen.click("button[type=submit]")
    citizen.wait_for_load_state("networkidle")
    assert citizen.inner_text("[data-testid=code]") == code
    assert "đèn sáng lại" in citizen.inner_text("[data-testid=answer]")
    photo = citizen.locator("[data-testid=evidence-photo]")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 64
    assert INTERNAL_NOTE not in citizen.content()
    screenshot(citizen, "guide-citizens-answer-phone")
    # Five stars to tap; the fourth lights up the first four, not the fifth.
    stars = citizen.locator("[data-testid=stars] label")
    assert stars.count() == 5
    citizen.locator("[data-testid=stars] label[title^='4']").click()
    assert citizen.is_checked("[data-testid=rate-form] input[name=rating][value='4']")
    lit = citizen.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stars] label')].map(l => getComputedStyle(l).color)"
    )
    assert len(set(lit)) == 2 and lit.count(lit[0]) == 1, lit  # DOM order 5..1: only the fifth stays grey
    citizen.fill("[data-testid=rate-form] textarea[name=comment]", "Đèn sáng rồi, cảm ơn khu phố.")
    citizen.click("[data-testid=rate-form] button[type=submit]")
    citizen.wait_for_load_state("networkidle")
    item.refresh_from_db()
    assert (item.status, item.rating, item.rating_comment) == (S.CLOSED, 4, "Đèn sáng rồi, cảm ơn khu phố.")
    assert "4" in citizen.inner_text("[data-testid=rating]")
    assert citizen.locator("[data-testid=rate-form]").count() == 0
    screenshot(citizen, "guide-citizens-rated-phone")
    assert len([message for message in mailoutbox if message.to == [EMAIL]]) == 1

    # 5. Anyone can read the ward's figures: no personal data.
    citizen.goto(live_server.url + reverse("citizens:transparency", args=[ward.code]))
    figures = selectors.transparency(ward, months=6)
    totals = citizen.inner_text("[data-testid=totals]")
    total = figures["total"]
    assert total.received >= 1 and total.satisfaction is not None
    assert str(total.received) in totals and "received" not in totals
    page = citizen.content()
    for secret in (NAME, PHONE_NUMBER, EMAIL, code):
        assert secret not in page
    screenshot(citizen, "guide-citizens-transparency-phone")


def test_an_overdue_complaint_is_escalated_by_the_job_to_the_city_office(demo, live_server, page_factory):
    ward = Organization.objects.get(code="VT-P1")
    city = Organization.objects.get(code="HG-VT")
    received = timezone.now() - dt.timedelta(days=40)
    complaint = services.feedback_create(
        actor=None,
        category=Category.objects.get(code="dat-dai"),
        area=ward,
        title="Khiếu nại bồi thường mở rộng đường 3 Tháng 2",
        description="Gia đình chưa nhận được tiền bồi thường phần đất bị thu hồi.",
        received_at=received,
    )
    # Not accepted within the legal ten days: overdue for weeks.
    assert complaint.status == S.RECEIVED and complaint.deadline_at < timezone.now()

    page = page_factory(DESKTOP)
    sign_in(page, live_server, "thanhuy")
    escalated_box = live_server.url + reverse("citizens:inbox") + "?box=escalated"
    page.goto(escalated_box)
    assert page.locator("[data-testid=inbox-row]", has_text=complaint.code).count() == 0

    call_command("feedback_escalate")
    complaint.refresh_from_db()
    assert (complaint.escalated_to, complaint.status) == (city, S.RECEIVED)
    assert complaint.updates.filter(kind=UpdateKind.ESCALATED, public=False).count() == 1
    call_command("feedback_escalate")  # run again by cron: nothing twice
    assert complaint.updates.filter(kind=UpdateKind.ESCALATED).count() == 1

    page.goto(escalated_box)
    row = page.locator("[data-testid=inbox-row]", has_text=complaint.code)
    assert row.count() == 1
    screenshot(page, "guide-citizens-escalated")
    row.click()
    page.wait_for_load_state("networkidle")
    escalated_to = page.locator("dt", has_text="Đã báo lên").locator("xpath=following-sibling::dd[1]")
    assert city.name in escalated_to.inner_text()
    # The city may act on it: classify and assign it.
    assert page.locator("[data-testid=action-assign]").count() == 1
