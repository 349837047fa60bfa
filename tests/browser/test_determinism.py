"""Two refreshes of the guides' screenshots give the same pictures: in every browser test the clock stands at
FIXED_NOW and the codes come from a seeded generator (the autouse fixtures of this folder's conftest)."""

from __future__ import annotations

import random
import secrets

from django.utils import timezone

from coso.citizens.services import tracking_code
from coso.testing.browser import FIXED_NOW


def test_the_clock_stands_at_the_fixed_moment():
    assert timezone.now() == FIXED_NOW
    assert timezone.localdate().isoformat() == "2026-11-20"


def test_codes_come_from_the_seeded_generator(monkeypatch):
    assert isinstance(secrets.choice.__self__, random.Random), "the conftest replaced secrets' generator"
    runs = []
    for _ in range(2):
        monkeypatch.setattr(secrets, "choice", random.Random(2026).choice)
        runs.append([tracking_code() for _ in range(3)])
    assert runs[0] == runs[1] and len(set(runs[0])) == 3, runs
