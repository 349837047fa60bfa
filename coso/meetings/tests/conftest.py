"""Meetings test fixtures: a frozen 'now' and a regular meeting of cell A."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from coso.accounts.permissions import SYSTEM
from coso.meetings import services
from coso.meetings.models import MeetingKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 6, 10, 9, 0, tzinfo=TZ)
MEETING_DAY = dt.date(2026, 6, 20)  # meeting_a's day: ten days after NOW, so that its notice is on time


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def meeting_a(world):
    return services.meeting_schedule(
        actor=SYSTEM,
        organization=world.cell_a,
        kind=MeetingKind.REGULAR,
        starts_at=dt.datetime.combine(MEETING_DAY, dt.time(8, 0), tzinfo=TZ),
        place="Nhà văn hoá khu vực 1",
        agenda=["Thông tin thời sự", "Kiểm điểm tháng 6"],
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return settings.MEDIA_ROOT


def complete_minutes(minutes, *, chair=None, minute_taker=None):
    """Fill what approval requires (chair, minute-taker, opening, opinions, conclusion); returns fresh minutes."""
    from coso.meetings.models import Meeting, Minutes

    meeting = minutes.meeting
    member = meeting.organization.members.order_by("id").first()
    Meeting.objects.filter(pk=meeting.pk).update(
        chair=chair or meeting.chair or member, minute_taker=minute_taker or meeting.minute_taker or member
    )
    items = minutes.items or [{"title": "Nội dung"}]
    items = [{**item, "opinions": item.get("opinions") or "Đồng chí A phát biểu."} for item in items]
    Minutes.objects.filter(pk=minutes.pk).update(
        opening=minutes.opening or "Khai mạc, điểm danh, thông qua chương trình.",
        items=items,
        conclusion=minutes.conclusion or "Chi bộ kết luận.",
    )
    return Minutes.objects.select_related("meeting").get(pk=minutes.pk)
