"""The demo holds a study library, a running city campaign and a new ward campaign the demo accounts act on."""

from __future__ import annotations

import datetime as dt

import pytest

from coso.accounts.models import User
from coso.demo.loader import load_demo
from coso.study import selectors
from coso.study.models import Document, FollowThroughPlan, LearningReport, ReportStatus, StudyCampaign


@pytest.mark.django_db
def test_demo_loads_the_study_data():
    load_demo(scale=0.05, today=dt.date(2026, 9, 20))
    assert Document.objects.filter(number="57-NQ/TW").exists()
    assert Document.objects.get(number="24-QĐ/TW").replaced_by.number == "232-QĐ/TW"
    city_campaign, ward_campaign = StudyCampaign.objects.order_by("organization__depth")
    reports = LearningReport.objects.filter(campaign=city_campaign)
    assert reports.filter(status=ReportStatus.REVIEWED).exists()
    assert reports.filter(late=True).exists()
    admin = User.objects.get(username="admin")
    progress = selectors.campaign_progress(actor=admin, campaign=city_campaign)
    assert progress.total.sessions_held > 0 and progress.total.submitted > 0
    assert progress.total.not_studied < progress.total.required
    # The demo accounts' part: bithu has reports to review, dangvien a report to write and a plan to make.
    bithu = User.objects.get(username="bithu")
    assert selectors.report_list(actor=bithu, filters=selectors.ReportFilters(to_review=True)).exists()
    dangvien = User.objects.get(username="dangvien")
    todo = selectors.member_study_todo(dangvien.member, today=dt.date(2026, 9, 20))
    assert {t.campaign for t in todo} == {city_campaign, ward_campaign}
    assert all(t.report_open for t in todo)
    assert not FollowThroughPlan.objects.filter(member=dangvien.member).exists()
    assert FollowThroughPlan.objects.filter(organization=dangvien.member.organization).exists()
    assert ward_campaign.sessions.get().meeting.status == "PLANNED"
