"""bench/pages.py keeps working as the product grows: on a small tree it finds each user's menu pages and the
API's list routes, and every one of them answers (the figures themselves come from the province-scale run)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[1] / "bench" / "pages.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_pages", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_page_benchmark_measures_every_menu_page_and_list_route(bench, world):
    rows = bench.run(world.province, reps=1, warmup=0, echo=lambda line: None)
    by_user = {
        user: {row["url"] for row in rows if row["user"] == user} for user in {r["user"] for r in rows}
    }
    assert set(by_user) == {"bench_province", "bench_commune", "bench_secretary"}
    assert {"/", "/members/", "/orgs/"} <= by_user["bench_province"]
    assert "/api/v1/members/" in by_user["bench_commune"]
    refused = [(r["user"], r["url"], r["status"]) for r in rows if r["status"] >= 400]
    # A menu never leads to a refusal; an API route a role may not use answers 403, nothing else, except the
    # confidential inspection cases and discipline records, which do not exist for other roles (404).
    confidential = (
        "/api/v1/inspection/cases/",
        "/api/v1/inspection/plans/",
        "/api/v1/inspection/discipline/",
    )
    assert all(
        url.startswith("/api/") and (status == 403 or (status == 404 and url.startswith(confidential)))
        for _user, url, status in refused
    ), refused
    empty = [(r["url"], r["status"], r["bytes"]) for r in rows if not (r["bytes"] > 0 or r["status"] == 302)]
    assert not empty, empty
    table = bench.markdown(rows)
    assert table.count("\n") == len(rows) + 1 and "`/members/`" in table
