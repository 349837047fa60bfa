"""The status is derived from the dated events, never typed in."""

from __future__ import annotations

import datetime as dt

import pytest

from coso.members.models import EventKind as K
from coso.members.models import MemberStatus as S
from coso.members.services import derive_status


def seq(*kinds: str) -> list[tuple[str, dt.date]]:
    """Events one month apart, in the given order."""
    return [(kind, dt.date(2010 + i // 12, 1 + i % 12, 1)) for i, kind in enumerate(kinds)]


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ((), S.PROBATIONARY),
        ((K.ADMISSION,), S.PROBATIONARY),
        ((K.ADMISSION, K.RECOGNITION), S.FULL),
        ((K.ADMISSION, K.RECOGNITION, K.EXEMPTION), S.EXEMPT),
        ((K.ADMISSION, K.RECOGNITION, K.EXEMPTION, K.EXEMPTION_END), S.FULL),
        ((K.ADMISSION, K.EXEMPTION, K.EXEMPTION_END), S.PROBATIONARY),
        ((K.ADMISSION, K.EXEMPTION, K.RECOGNITION), S.EXEMPT),
        ((K.ADMISSION, K.EXEMPTION, K.RECOGNITION, K.EXEMPTION_END), S.FULL),
        ((K.ADMISSION, K.RECOGNITION, K.TRANSFER), S.FULL),
        ((K.ADMISSION, K.RECOGNITION, K.TRANSFER_OUT), S.TRANSFERRED_OUT),
        ((K.ADMISSION, K.RECOGNITION, K.TRANSFER_OUT, K.TRANSFER_IN), S.FULL),
        ((K.ADMISSION, K.TRANSFER_OUT, K.TRANSFER_IN), S.PROBATIONARY),
        ((K.ADMISSION, K.RECOGNITION, K.EXEMPTION, K.TRANSFER_OUT, K.TRANSFER_IN), S.EXEMPT),
        ((K.ADMISSION, K.TRANSFER_IN), S.PROBATIONARY),  # transfer in without having left: no change
        ((K.ADMISSION, K.RECOGNITION, K.DISCIPLINE), S.FULL),
        ((K.ADMISSION, K.DISCIPLINE), S.PROBATIONARY),
        ((K.ADMISSION, K.RECOGNITION, K.STRUCK_OFF), S.STRUCK_OFF),
        ((K.ADMISSION, K.STRUCK_OFF), S.STRUCK_OFF),
        ((K.ADMISSION, K.RECOGNITION, K.EXPELLED), S.EXPELLED),
        ((K.ADMISSION, K.RECOGNITION, K.DEATH), S.DECEASED),
        ((K.ADMISSION, K.RECOGNITION, K.EXEMPTION, K.DEATH), S.DECEASED),
        ((K.ADMISSION, K.RECOGNITION, K.DEATH, K.TRANSFER_IN), S.DECEASED),
        ((K.ADMISSION, K.STRUCK_OFF, K.RECOGNITION), S.STRUCK_OFF),
        ((K.ADMISSION, K.EXPELLED, K.EXEMPTION_END), S.EXPELLED),
        ((K.ADMISSION, K.STRUCK_OFF, K.DEATH), S.DECEASED),
        ((K.ADMISSION, K.RECOGNITION, K.STRUCK_OFF, K.ADMISSION), S.PROBATIONARY),  # readmitted
        ((K.ADMISSION, K.RECOGNITION, K.EXEMPTION_END), S.FULL),  # end without exemption: no change
    ],
    ids=lambda value: "-".join(value) if isinstance(value, tuple) else str(value),
)
def test_status_follows_the_events(kinds, expected):
    assert derive_status(seq(*kinds)) == expected


def test_events_are_read_in_date_order_whatever_the_input_order():
    events = [
        (K.DEATH, dt.date(2020, 1, 1)),
        (K.ADMISSION, dt.date(2010, 1, 1)),
        (K.RECOGNITION, dt.date(2011, 1, 1)),
    ]
    assert derive_status(events) == S.DECEASED
    assert derive_status(events[1:]) == S.FULL


def test_same_day_events_follow_the_natural_order():
    day = dt.date(2012, 3, 1)
    assert derive_status([(K.RECOGNITION, day), (K.ADMISSION, day)]) == S.FULL
    assert derive_status(
        [(K.TRANSFER_IN, day), (K.TRANSFER_OUT, day), (K.ADMISSION, dt.date(2010, 1, 1))]
    ) == (S.PROBATIONARY)
