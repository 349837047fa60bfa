"""The per-cell and per-rule caches of a check: conversions remembered per column, dated rules per period."""

from __future__ import annotations

import bisect
import datetime as dt
import functools

from coso.core.policies import POLICIES, policy

from ...models import Member
from ..columns import CellError, convert

# Columns whose values are (nearly) all different: not worth remembering their conversions.
_UNIQUE_FIELDS = frozenset({"full_name", "national_id", "card_number", "phone", "email", "current_address"})


@functools.cache
def _max_lengths() -> dict[str, int]:
    return {f.name: f.max_length for f in Member._meta.concrete_fields if getattr(f, "max_length", None)}


def _convert(column, value) -> tuple:
    """(stored value, warnings, None) or (None, (), reason) for one non-blank cell."""
    notes: list[str] = []
    try:
        return convert(column, value, notes), tuple(notes), None
    except CellError as exc:
        return None, (), str(exc)


class _Rules:
    """`policy(key, on)` remembered for one import: its answer changes only on the dates a rule took effect,
    so each key is looked up once per period instead of once per row (three lookups a row)."""

    def __init__(self):
        self.dates: dict[str, list[dt.date]] = {}
        self.answers: dict[tuple, object] = {}

    def __call__(self, key: str, on: dt.date | None = None):
        if on is None:
            return policy(key, on)
        dates = self.dates.get(key)
        if dates is None:
            dates = self.dates[key] = sorted({p.effective_from for p in POLICIES if p.key == key})
        slot = (key, bisect.bisect_right(dates, on))
        answer = self.answers.get(slot, _MISSING)
        if answer is _MISSING:
            answer = self.answers[slot] = policy(key, on)
        return answer


_MISSING = object()


class _Outcome:
    """A cached conversion with warnings or an error (the cache holds plain values bare)."""

    __slots__ = ("outcome",)

    def __init__(self, outcome: tuple):
        self.outcome = outcome


# A blank cell in a read row (None is a cell that could not be read).
_BLANK = object()
