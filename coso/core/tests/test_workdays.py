"""The working-day calendar: weekends, Vietnamese public holidays (Tết 2027), overrides and working hours."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from coso.core import workdays

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_tet_2027_days_are_not_working_days():
    # Tết Đinh Mùi: 04/02/2027 (29 Tết) to 10/02/2027.
    for day in range(4, 11):
        assert not workdays.is_working_day(dt.date(2027, 2, day))
    assert workdays.is_working_day(dt.date(2027, 2, 3))
    assert workdays.is_working_day(dt.date(2027, 2, 11))


def test_weekend_is_not_a_working_day_but_a_makeup_saturday_is():
    assert not workdays.is_working_day(dt.date(2026, 8, 15))  # a plain Saturday
    assert workdays.is_working_day(dt.date(2026, 8, 22))  # made up for 31/08/2026


def test_add_working_days_skips_tet_and_weekends():
    # Received Wednesday 03/02/2027: Tết until Wed 10/02, then Thu 11, Fri 12, Mon 15 ...
    assert workdays.add_working_days(dt.date(2027, 2, 3), 1) == dt.date(2027, 2, 11)
    assert workdays.add_working_days(dt.date(2027, 2, 3), 3) == dt.date(2027, 2, 15)
    assert workdays.add_working_days(dt.date(2027, 2, 1), 10) == dt.date(2027, 2, 22)


def test_add_working_days_over_a_plain_weekend():
    assert workdays.add_working_days(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 9)  # Fri -> Mon
    assert workdays.add_working_days(dt.date(2026, 3, 7), 0) == dt.date(2026, 3, 9)  # Sat -> Mon


def test_working_days_between_counts_only_working_days():
    assert workdays.working_days_between(dt.date(2027, 2, 1), dt.date(2027, 2, 22)) == 10
    assert workdays.working_days_between(dt.date(2026, 3, 9), dt.date(2026, 3, 9)) == 0
    assert workdays.working_days_between(dt.date(2026, 3, 6), dt.date(2026, 3, 8)) == 0


def test_add_working_hours_jumps_lunch_break_and_the_night():
    start = dt.datetime(2026, 3, 9, 10, 30, tzinfo=VN)  # Monday
    assert workdays.add_working_hours(start, 1) == dt.datetime(2026, 3, 9, 11, 30, tzinfo=VN)
    assert workdays.add_working_hours(start, 2) == dt.datetime(2026, 3, 9, 14, 30, tzinfo=VN)
    # 10:30 + 8 h: 1 h morning, 3.5 h afternoon, then 3.5 h next morning -> Tue 11:00.
    assert workdays.add_working_hours(start, 8) == dt.datetime(2026, 3, 10, 11, 0, tzinfo=VN)


def test_add_working_hours_filed_on_the_evening_before_tet():
    start = dt.datetime(2027, 2, 3, 18, 0, tzinfo=VN)  # Wednesday evening, Tết starts Thursday
    assert workdays.add_working_hours(start, 4) == dt.datetime(2027, 2, 11, 11, 30, tzinfo=VN)
    # A working day holds 7.5 hours: 8 hours end half an hour into Friday 12/02.
    assert workdays.add_working_hours(start, 8) == dt.datetime(2027, 2, 12, 8, 0, tzinfo=VN)


def test_working_hours_are_configurable(settings):
    settings.COSO_WORKING_HOURS = [("08:00", "12:00")]
    start = dt.datetime(2026, 3, 9, 11, 0, tzinfo=VN)
    assert workdays.add_working_hours(start, 2) == dt.datetime(2026, 3, 10, 9, 0, tzinfo=VN)


def test_extra_days_off_and_makeup_days_are_configurable(settings):
    settings.COSO_EXTRA_DAYS_OFF = ["2026-03-10"]
    settings.COSO_MAKEUP_WORKING_DAYS = ["2026-03-14"]
    assert not workdays.is_working_day(dt.date(2026, 3, 10))
    assert workdays.is_working_day(dt.date(2026, 3, 14))
    assert workdays.add_working_days(dt.date(2026, 3, 9), 5) == dt.date(2026, 3, 16)


def test_calendar_days_limit_ending_on_a_day_off_moves_to_the_next_working_day():
    # 30 days after 08/01/2027 is Sunday 07/02/2027, inside Tết: the limit moves to Thursday 11/02.
    assert workdays.add_days(dt.date(2027, 1, 8), 30) == dt.date(2027, 2, 11)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        workdays.add_working_days(dt.date(2026, 1, 5), -1)


def test_vietnam_cultural_day_is_a_day_off_named_in_the_language_of_the_page():
    cultural_day = dt.date(2026, 11, 24)  # Ngày Văn hóa Việt Nam, a day off from 2026
    assert not workdays.is_working_day(cultural_day)
    with translation.override("vi"):
        assert workdays.holiday_name(cultural_day) == "Ngày Văn hóa Việt Nam"
        assert workdays.holiday_name(dt.date(2026, 9, 2)) == "Quốc khánh"
    with translation.override("en"):
        assert workdays.holiday_name(cultural_day) == "Vietnam Cultural Day"
    assert workdays.holiday_name(dt.date(2026, 11, 25)) is None


@pytest.mark.django_db
def test_the_reception_calendar_names_holidays_in_vietnamese(client, world):
    client.force_login(world.commune_staff)
    url = reverse("citizens:reception_calendar", args=[world.commune.pk])
    page = client.get(url, {"month": "2026-11"}).content.decode()
    assert "Ngày Văn hóa Việt Nam" in page
    assert "Cultural Day" not in page
