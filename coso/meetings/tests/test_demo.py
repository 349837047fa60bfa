"""The demo has meetings to show: held months with attendance and approved minutes, cells that have not met this
month, flags, the demo cell's planned and published meetings, seasonal topics, an escalation and a rotation plan."""

from __future__ import annotations

import datetime as dt

from coso.demo import city
from coso.demo.loader import load_demo
from coso.meetings import selectors
from coso.meetings.models import (
    Attendance,
    Escalation,
    Meeting,
    MeetingStatus,
    Minutes,
    RotationPlan,
    RotationStatus,
    SeasonalTopic,
)
from coso.orgs.models import Organization


def test_demo_loads_meetings(db):
    load_demo(scale=0.05, today=dt.date(2026, 6, 10))
    assert Meeting.objects.filter(status=MeetingStatus.MINUTES_APPROVED).count() > 10
    assert Attendance.objects.filter(status="PRESENT").exists()
    assert Minutes.objects.filter(status="APPROVED").exists()
    cell = Organization.objects.get(code=city.DEMO_CELL)
    statuses = set(
        Meeting.objects.filter(organization=cell, starts_at__date__gte=dt.date(2026, 6, 1)).values_list(
            "status", flat=True
        )
    )
    assert {MeetingStatus.PLANNED, MeetingStatus.PUBLISHED} <= statuses
    ward = Organization.objects.get(code=city.DEMO_WARD)
    from coso.accounts.permissions import SYSTEM

    rows = selectors.overview(actor=SYSTEM, org=ward, today=dt.date(2026, 6, 10))
    assert any(not r.met for r in rows) and any(r.met for r in rows)
    assert selectors.flagged_members(cell, year=2026)
    assert SeasonalTopic.objects.filter(organization=ward).count() >= 5
    assert Escalation.objects.filter(committee=ward).count() == 1
    plan = RotationPlan.objects.get(organization=ward)
    assert plan.status == RotationStatus.PUBLISHED
    assert any(v.done for v in selectors.rotation_visits(plan))


def test_demo_month_arithmetic_crosses_years():
    from coso.demo.meetings_data import _month_start

    assert _month_start(dt.date(2026, 12, 20), -1) == dt.date(2027, 1, 1)
    assert _month_start(dt.date(2026, 12, 20), -2) == dt.date(2027, 2, 1)
    assert _month_start(dt.date(2026, 2, 3), 5) == dt.date(2025, 9, 1)
    assert _month_start(dt.date(2026, 1, 31), 0) == dt.date(2026, 1, 1)
