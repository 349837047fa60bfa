"""The working-day calendar of Vietnam, for deadlines counted in working days or working hours.

Public holidays (including the lunar new year and the observed days) come from the `holidays` library, which
also knows the Saturdays the government turns into make-up working days. Extra days off and extra make-up
working days that the library does not know yet (a government decision announced late, a provincial day off)
are settings, read on every call so tests and operators can change them:

- ``COSO_EXTRA_DAYS_OFF``: a list of ISO dates (``["2027-02-11"]``) that are not working days.
- ``COSO_MAKEUP_WORKING_DAYS``: a list of ISO dates (e.g. a Saturday) that are working days.
- ``COSO_WORKING_HOURS``: a list of ``("HH:MM", "HH:MM")`` periods; default 7:30–11:30 and 13:30–17:00.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone, translation

DEFAULT_WORKING_HOURS = (("07:30", "11:30"), ("13:30", "17:00"))
WEEKEND = (5, 6)  # Saturday, Sunday


# The `holidays` library names Vietnam's holidays in these languages; the UI's language picks one.
HOLIDAY_LANGUAGES = {"vi": "vi", "en": "en_US"}


@lru_cache(maxsize=64)
def _public_holidays(year: int, language: str = "vi") -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=[year], language=language)


def _dates(setting: str) -> frozenset[dt.date]:
    values = getattr(settings, setting, None) or ()
    return frozenset(v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)) for v in values)


def _time(value) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def working_periods() -> list[tuple[dt.time, dt.time]]:
    """The working periods of a working day, in order (configurable with COSO_WORKING_HOURS)."""
    periods = getattr(settings, "COSO_WORKING_HOURS", None) or DEFAULT_WORKING_HOURS
    return sorted((_time(start), _time(end)) for start, end in periods)


def holiday_name(day: dt.date) -> str | None:
    """The name of the public holiday on `day` in the active language (None when it is not one)."""
    active = (translation.get_language() or "vi").split("-")[0]
    return _public_holidays(day.year, HOLIDAY_LANGUAGES.get(active, "vi")).get(day)


def is_working_day(day: dt.date) -> bool:
    if day in _dates("COSO_MAKEUP_WORKING_DAYS"):
        return True
    if day in _dates("COSO_EXTRA_DAYS_OFF"):
        return False
    calendar = _public_holidays(day.year)
    if day in calendar:
        return False
    if day.weekday() in WEEKEND:
        return day in calendar.weekend_workdays
    return True


def next_working_day(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start` (the day of receipt does not count, as in the law's wording).

    With n == 0 the answer is `start` moved to a working day.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    day = start
    remaining = n
    if remaining == 0:
        return next_working_day(day)
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_working_hours(start: dt.datetime, n: float) -> dt.datetime:
    """The moment `n` working hours after `start`, counting only working periods of working days.

    `start` is an aware datetime (a naive one is taken in the current time zone); the result is aware, in the
    current time zone (Asia/Ho_Chi_Minh).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    zone = timezone.get_current_timezone()
    if timezone.is_naive(start):
        start = timezone.make_aware(start, zone)
    local = timezone.localtime(start, zone)
    remaining = dt.timedelta(hours=n)
    day = local.date()
    cursor = local.time()
    periods = working_periods()
    while True:
        if is_working_day(day):
            for begin, end in periods:
                if cursor >= end:
                    continue
                period_start = dt.datetime.combine(day, max(begin, cursor))
                period_end = dt.datetime.combine(day, end)
                available = period_end - period_start
                if remaining <= available:
                    return timezone.make_aware(period_start + remaining, zone)
                remaining -= available
        day += dt.timedelta(days=1)
        cursor = dt.time(0, 0)


def end_of_working_day(day: dt.date) -> dt.datetime:
    """The end of the last working period of `day`, aware (a deadline "by day X" means by its close)."""
    zone = timezone.get_current_timezone()
    return timezone.make_aware(dt.datetime.combine(day, working_periods()[-1][1]), zone)


def add_days(start: dt.date, n: int) -> dt.date:
    """Calendar days (the Law on Complaints counts days, not working days); a last day that is off moves on."""
    return next_working_day(start + dt.timedelta(days=n))
