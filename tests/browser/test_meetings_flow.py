"""A cell secretary, on a phone, takes attendance in a few taps and exports the minutes; a member sees the
meeting on their home page; the commune office sees which cells have not met this month."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from docx import Document

from coso.accounts.permissions import SYSTEM
from coso.meetings import services
from coso.meetings.models import Attendance
from coso.testing.browser import DESKTOP, PHONE, log_in, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def published(world):
    today = timezone.localdate()
    meeting = services.meeting_schedule(
        actor=SYSTEM,
        organization=world.cell_a,
        starts_at=timezone.make_aware(dt.datetime.combine(today, dt.time(0, 5))),
        place="Nhà văn hoá khu vực 1",
        chair=world.other_a_record,
        minute_taker=world.member_a_record,
        agenda=["Thông tin thời sự", "Nhiệm vụ tháng tới"],
    )
    services.meeting_publish(actor=SYSTEM, meeting=meeting)
    return meeting


def test_secretary_takes_attendance_on_a_phone_and_exports_the_minutes(
    world, live_server, page_factory, published
):
    page = page_factory(PHONE)
    log_in(page, live_server, "secretary_a")
    assert page.locator("#panel-secretary-month").is_visible()
    screenshot(page, "guide-meetings-secretary-home-phone")

    page.click(f"a[href='/meetings/{published.pk}/']")
    page.wait_for_load_state("networkidle")
    page.click("[data-testid=hold]")
    page.wait_for_load_state("networkidle")
    assert re.search(rf"/meetings/{published.pk}/attendance/", page.url)

    member_row = page.locator(f"#att-{world.member_a_record.pk}")
    member_row.get_by_role("button", name="Có mặt").click()
    page.wait_for_selector(f"#att-{world.member_a_record.pk}[data-status=PRESENT]")
    other_row = page.locator(f"#att-{world.other_a_record.pk}")
    other_row.get_by_role("button", name="Vắng, có lý do").click()
    page.wait_for_selector(f"#att-{world.other_a_record.pk}[data-status=ABSENT_EXCUSED]")
    page.locator(f"#att-{world.other_a_record.pk} input[name=reason]").fill("Đi công tác")
    page.locator(f"#att-{world.other_a_record.pk}").get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("networkidle")
    assert "50,0%" in page.inner_text("[data-testid=rate]")
    screenshot(page, "guide-meetings-attendance-phone")
    row = Attendance.objects.get(meeting=published, member=world.other_a_record)
    assert (row.status, row.reason) == ("ABSENT_EXCUSED", "Đi công tác")

    page.click("[data-testid=to-minutes]")
    page.wait_for_load_state("networkidle")
    page.fill("#opening", "Đồng chí bí thư khai mạc.")
    page.fill("#opinions-0", "Các đồng chí thống nhất.")
    page.fill("#conclusion", "Chi bộ thống nhất nhiệm vụ tháng tới.")
    page.fill("textarea[name=res-0-text]", "Thông qua nghị quyết tháng")
    page.fill("#res-0-for", "1")
    page.click("[data-testid=save-minutes]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "guide-meetings-minutes-phone")

    with page.expect_download() as info:
        page.click("[data-testid=docx]")
    content = open(info.value.path(), "rb").read()
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.tables[0].cell(0, 1).text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "BIÊN BẢN SINH HOẠT CHI BỘ THƯỜNG KỲ" in text
    assert "có mặt: 1; vắng: 1 (có lý do: 1, không lý do: 0)" in text
    assert "Chi bộ thống nhất nhiệm vụ tháng tới." in text
    assert document.tables[1].rows[1].cells[5].text == "Không thông qua"  # 1 of 2 is not more than half

    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=minutes-status]:has-text('Đã duyệt')")
    assert questions and ("khóa" in questions[0].lower() or "khoá" in questions[0].lower())
    assert "Đã duyệt" in page.inner_text("[data-testid=minutes-status]")


def test_member_sees_the_meeting_on_a_phone_and_the_office_sees_cells_not_met(
    world, live_server, page_factory, published
):
    page = page_factory(PHONE)
    log_in(page, live_server, "member_a")
    panel = page.locator("#panel-meetings-upcoming")
    assert "Thông tin thời sự" in panel.inner_text()
    screenshot(page, "guide-meetings-member-home-phone")
    panel.locator("a[href='/meetings/feed/']").click()
    page.wait_for_load_state("networkidle")
    assert ".ics" in page.input_value("[data-testid=feed-url]")
    screenshot(page, "guide-meetings-feed-phone")

    office = page_factory(DESKTOP)
    log_in(office, live_server, "commune_staff")
    office.goto(f"{live_server.url}/meetings/overview/")
    assert office.locator("tr[data-cell=A][data-met='0']").count() == 1
    assert office.locator("tr[data-cell=B][data-met='0']").count() == 1
    screenshot(office, "guide-meetings-overview")
