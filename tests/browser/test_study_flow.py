"""Study on a phone, in a real browser on the demo: a member writes and submits a learning report, the cell
secretary reviews it; the city leader reads the campaign's progress. Screenshots for the role guides."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.demo.accounts import account
from coso.demo.loader import load_demo
from coso.study.models import Grade, LearningReport, ReportStatus, StudyCampaign
from coso.testing.browser import DESKTOP, PHONE, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("coso.demo.loader.DEMO_EXTENSIONS", ("coso.demo.study_data",))
    return load_demo(scale=0.05)


def sign_in(page, live_server, username: str):
    demo_account = account(username)
    log_in(page, live_server, demo_account.username, demo_account.password)


def _dangvien_member():
    """`dangvien` is a plain member of the demo cell, so by the rule her reports go to the cell secretary."""
    from coso.accounts.models import User
    from coso.study.services import reviewers_for

    member = (
        User.objects.select_related("member__organization").get(username=account("dangvien").username).member
    )
    organization, reviewer = reviewers_for([member])[member.pk]
    assert organization.code == "VT-P1-KV1" and reviewer is not None
    return member


def test_a_member_submits_a_report_on_a_phone_and_the_secretary_reviews_it(demo, live_server, page_factory):
    campaign = StudyCampaign.objects.get(organization__code="VT-P1")
    home = page_factory(PHONE)
    sign_in(home, live_server, "dangvien")
    assert home.locator("[data-testid=home-study]").count() == 1
    screenshot(home, "guide-study-member-home-phone")

    member = _dangvien_member()
    page = home
    page.locator("[data-testid=home-study] [data-testid=write-report]").last.click()
    page.wait_for_load_state("networkidle")
    assert campaign.title in page.inner_text("main")
    page.fill("textarea[name=body]", "Điều tâm đắc nhất: sinh hoạt chi bộ phải có nội dung thiết thực, tài liệu gửi "
                                     "trước. Tôi sẽ đọc tài liệu trước mỗi buổi sinh hoạt và phát biểu ý kiến.")  # fmt: skip
    screenshot(page, "guide-study-member-write-report-phone")
    page.click("[data-testid=submit-report]")
    page.wait_for_load_state("networkidle")
    assert "Đã nộp" in page.inner_text("main")
    report = LearningReport.objects.get(campaign=campaign, member=member)
    assert report.status == ReportStatus.SUBMITTED and not report.late
    screenshot(page, "guide-study-member-report-submitted-phone")

    secretary = page_factory(PHONE)
    sign_in(secretary, live_server, "bithu")
    to_review = secretary.locator("[data-testid=home-reports-to-review]")
    assert member.full_name in to_review.inner_text()
    screenshot(secretary, "guide-study-secretary-home-phone")
    secretary.goto(live_server.url + reverse("study:report_detail", args=[report.pk]))
    secretary.check("input[name=grade][value=GOOD]")
    secretary.fill("textarea[name=comment]", "Bài viết có liên hệ thực tế, đạt yêu cầu.")
    screenshot(secretary, "guide-study-secretary-review-phone")
    secretary.click("button[name=review]")
    secretary.wait_for_load_state("networkidle")
    assert "Đã chấm" in secretary.inner_text("main")
    report.refresh_from_db()
    assert (report.status, report.grade) == (ReportStatus.REVIEWED, Grade.GOOD)


def test_the_city_reads_the_campaign_progress(demo, live_server, page_factory):
    campaign = StudyCampaign.objects.get(organization__code="HG-VT")
    page = page_factory(DESKTOP)
    sign_in(page, live_server, "lanhdao")
    assert page.locator("[data-testid=home-campaigns]").count() == 1
    page.goto(live_server.url + reverse("study:campaign_detail", args=[campaign.pk]))
    assert page.locator("[data-testid=progress] tbody tr").count() > 3
    screenshot(page, "guide-study-leader-campaign")
    page.goto(live_server.url + reverse("study:document_list"))
    page.fill("input[name=q]", "dieu le dang")
    page.wait_for_timeout(800)
    assert "232-QĐ/TW" in page.inner_text("#document-table")
    screenshot(page, "guide-study-library-search")


def test_a_member_starts_fills_and_submits_her_plan_on_a_phone(demo, live_server, page_factory):
    from coso.study.models import FollowThroughPlan, PlanStatus

    member = _dangvien_member()
    page = page_factory(PHONE)
    sign_in(page, live_server, "dangvien")
    page.goto(live_server.url + reverse("study:plan_mine"))
    page.click("[data-testid=start-plan]")
    page.wait_for_load_state("networkidle")
    assert "ManagementForm" not in page.content()
    page.fill("textarea[name=c-0-text]", "Thực hành tiết kiệm, chống lãng phí trong gia đình và nơi làm việc")
    page.fill("input[name=c-0-target]", "Giảm 10% tiền điện so với năm trước")
    page.fill("input[name=c-0-deadline]", "2026-12-31")  # a date input takes ISO
    page.click("[data-testid=submit-plan]")
    page.wait_for_load_state("networkidle")
    plan = FollowThroughPlan.objects.get(member=member)
    assert plan.status == PlanStatus.SUBMITTED, page.inner_text("main")
    assert [c.text for c in plan.commitments.all()] == [
        "Thực hành tiết kiệm, chống lãng phí trong gia đình và nơi làm việc"
    ]
    assert "Giảm 10% tiền điện so với năm trước" in page.inner_text("main")
