"""A meeting's default title is stored data: in the site's language, whatever language is active."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from coso.accounts.permissions import SYSTEM
from coso.meetings import services
from coso.meetings.models import MeetingKind

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize("active", ["en", None])
def test_the_default_title_is_vietnamese_even_when_another_language_or_none_is_active(world, active):
    starts_at = dt.datetime(2026, 11, 12, 19, 30, tzinfo=TZ)
    with translation.override(active):  # None: translations off, as in a management command
        meeting = services.meeting_schedule(
            actor=SYSTEM, organization=world.cell_a, kind=MeetingKind.REGULAR, starts_at=starts_at
        )
    assert meeting.title == "Sinh hoạt thường kỳ tháng 11/2026"
