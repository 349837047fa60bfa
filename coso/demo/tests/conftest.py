"""Fixtures for the demo tests: the demo loaded once per test at a small scale (about 130 members)."""

from __future__ import annotations

import pytest

from coso.demo.loader import load_demo

SMALL = 0.05


@pytest.fixture
def small_demo(db):
    return load_demo(scale=SMALL)
