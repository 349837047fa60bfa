"""The demo's inspection data: a plan, one case through to its conclusion with shortcomings and remedies (one
overdue, on the `dangvien` account's home), and a reprimand recorded as a member event."""

from __future__ import annotations

import pytest
from django.utils import timezone

from coso.inspection import selectors
from coso.inspection.models import DisciplineRecord, InspectionCase, InspectionPlan, Remedy, RemedyStatus
from coso.members.models import EventKind


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("coso.demo.loader.DEMO_EXTENSIONS", ("coso.demo.inspection_data",))
    from coso.demo.loader import load_demo

    return load_demo(scale=0.05)


def test_the_demo_runs_a_case_to_remedies_and_discipline(demo, client):
    today = timezone.localdate()
    assert InspectionPlan.objects.filter(organization__code="HG-VT", year=today.year).count() == 1
    case = InspectionCase.objects.get()
    assert case.step == "CONCLUSION" and case.steps.count() == 6 and case.conclusion
    statuses = set(Remedy.objects.values_list("status", flat=True))
    assert {RemedyStatus.IN_PROGRESS, RemedyStatus.REPORTED_DONE} <= statuses
    record = DisciplineRecord.objects.get()
    assert record.member_event.kind == EventKind.DISCIPLINE and record.time_limit_ends_on
    from coso.accounts.models import User

    member_user = User.objects.get(username="dangvien")
    assert selectors.overdue_remedies(member_user.member, today.year).count() == 1
    client.force_login(member_user)
    assert 'data-testid="home-remedies"' in client.get("/").content.decode()
