"""bench/imports.py keeps working: on the test tree it generates valid rows, writes them as CSV and XLSX, and
imports every one of them (the figures themselves come from the PostgreSQL runs in bench/README.md)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from coso.members.models import Member

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[1] / "bench" / "imports.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_imports", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_import_benchmark_imports_every_row_it_generates_from_csv_and_xlsx(bench, world):
    before = Member.objects.count()
    lines: list[str] = []
    rows = bench.run(world.province.code, rows=30, import_one=bench.import_once, echo=lines.append)
    assert [(r["format"], r["created"], r["errors"]) for r in rows] == [("csv", 30, 0), ("xlsx", 30, 0)]
    assert all(r["rows_per_s"] > 0 and r["peak_mb"] > 0 for r in rows)
    assert Member.objects.count() == before + 60
    assert len(lines) == 2 and "rows/s" in lines[0]
