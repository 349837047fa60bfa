"""Hard tasks in a real browser on the demo: the city sees every ward's commitments and verifies one; the ward
reports progress with evidence on a phone; the cell secretary finds the cell's share. Screenshots for the guides."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from coso.commitments.models import HardTask, HardTaskStatus
from coso.demo.accounts import account
from coso.demo.loader import load_demo
from coso.testing.browser import DESKTOP, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
S = HardTaskStatus


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        "coso.demo.loader.DEMO_EXTENSIONS", ("coso.demo.citizens_data", "coso.demo.commitments_data")
    )
    return load_demo(scale=0.05)


def sign_in(page, live_server, username: str):
    demo_account = account(username)
    log_in(page, live_server, demo_account.username, demo_account.password)


def test_the_city_follows_every_wards_commitments_and_verifies_one(demo, live_server, page_factory):
    page = page_factory(DESKTOP)
    sign_in(page, live_server, "lanhdao")
    assert page.locator("[data-testid=home-commitments]").count() == 1
    screenshot(page, "guide-commitments-leader-home")

    page.goto(live_server.url + reverse("commitments:list"))
    body = page.inner_text("main")
    assert "Phường I" in body or "phường I" in body
    assert page.locator("[data-testid=task-row]").count() >= 10
    assert page.locator("[data-testid=overdue]").count() >= 1
    screenshot(page, "guide-commitments-city-list")

    page.select_option("select[name=overdue]", "yes")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    overdue = HardTask.objects.filter(HardTask.overdue_q(timezone.localdate())).count()
    assert page.locator("[data-testid=task-row]").count() == overdue

    reported = HardTask.objects.get(status=S.REPORTED_DONE)
    page.goto(live_server.url + reverse("commitments:detail", args=[reported.pk]))
    screenshot(page, "guide-commitments-verify")
    page.fill("#reason-verify", "Đoàn kiểm tra đã xác minh thực tế.")
    questions: list[str] = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        page.click("button[data-action=verify]")
    assert questions == ["Xác nhận việc này đã giải quyết dứt điểm? Không thể hoàn tác."], (
        "verifying asks first"
    )
    assert "Đã giải quyết dứt điểm" in page.inner_text("main")
    reported.refresh_from_db()
    assert reported.status == S.VERIFIED


def test_the_ward_reports_progress_with_evidence_on_a_phone(demo, live_server, page_factory, tmp_path):
    page = page_factory(PHONE)
    sign_in(page, live_server, "phuong1")
    task = HardTask.objects.filter(
        organization__code="VT-P1", status=S.IN_PROGRESS, parent__isnull=True
    ).first()
    page.goto(live_server.url + reverse("commitments:detail", args=[task.pk]))
    assert page.locator("[data-testid=overdue]").count() >= 1
    screenshot(page, "guide-commitments-ward-task-phone")

    page.click("text=Báo cáo tiến độ >> nth=-1")
    page.wait_for_load_state("networkidle")
    page.fill("#id_text", "Đã nạo vét 300 m cống thoát nước.")
    page.fill("#id_progress", "70")
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.set_input_files("#id_evidence", str(evidence))
    screenshot(page, "guide-commitments-report-progress-phone")
    page.click("button[type=submit] >> text=Lưu")
    page.wait_for_load_state("networkidle")
    assert "Đã ghi báo cáo tiến độ." in page.inner_text("body")
    task.refresh_from_db()
    assert task.progress == 70 and task.updates.filter(evidence_name="bien-ban.pdf").exists()


def test_the_cell_secretary_finds_the_cells_share_on_a_phone(demo, live_server, page_factory):
    page = page_factory(PHONE)
    sign_in(page, live_server, "bithu")
    page.goto(live_server.url + reverse("commitments:list"))
    rows = page.locator("[data-testid=task-row]")
    assert rows.count() >= 1
    screenshot(page, "guide-commitments-cell-phone")
