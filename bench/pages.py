"""Server time and size of every menu page and every list API route, for three kinds of user (issue 10 §2).

Run against a database filled by `coso generate` (see bench/README.md):

    COSO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/coso_bench_h3 .venv/bin/python bench/pages.py

Users (created once, grants only): `bench_province` (system administrator of the generated province),
`bench_commune` (committee staff of its first commune) and `bench_secretary` (cell secretary of that commune's
first cell). For each user the pages are the ones its own menu and home page link to (found by reading the
page, so a new menu entry is measured without editing this file), and the API routes are every GET route of
/api/v1 without a path parameter. Each URL: warm-up requests, then --reps timed requests through Django's whole
stack in-process (median, p95), the number of SQL queries and the response size. Targets: 300 ms p95 and
300 KB for every page and list. The JSON report goes to bench/results/; `--markdown` prints the table for
bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import PLAIN_STATIC, ROOT, percentile  # noqa: E402 - sets Django up first
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from coso.accounts.models import Role, RoleGrant, User  # noqa: E402
from coso.orgs.models import Organization, OrgKind, OrgStatus  # noqa: E402

TARGET_MS = 300
TARGET_KB = 300
# Links that are not pages to time: log-out, language switch, files, the API docs, the admin.
SKIP = re.compile(r"^/(static|media|i18n|admin|api)/|logout|/export|\.(ics|xlsx|docx|csv|pdf)$")
HREF = re.compile(r'href="(/[^"#]*)"')


def bench_users(root: Organization) -> dict[str, User]:
    commune = Organization.objects.filter(parent=root, status=OrgStatus.ACTIVE).order_by("path").first()
    cell = (
        Organization.objects.filter(
            path__startswith=commune.path + ".", kind=OrgKind.CELL, status=OrgStatus.ACTIVE
        )
        .order_by("path")
        .first()
    )
    users = {}
    for username, role, org in (
        ("bench_province", Role.SYSTEM_ADMIN, root),
        ("bench_commune", Role.COMMITTEE_STAFF, commune),
        ("bench_secretary", Role.CELL_SECRETARY, cell),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": username})
        RoleGrant.objects.get_or_create(user=user, organization=org, role=role, revoked_at=None)
        users[username] = user
    return users


def menu_pages(client: Client) -> list[str]:
    """The home page and every same-site page its menu and panels link to (no query strings: first pages)."""
    html = client.get("/").content.decode()
    paths = ["/"]
    for href in HREF.findall(html):
        path = href.split("?")[0]
        if path not in paths and not SKIP.search(path):
            paths.append(path)
    return paths


def cycle_pages(root: Organization) -> list[str]:
    """The generated province's review cycle, its reviews (200,000 members rated in one cycle) and summary:
    reached from the cycle list, one link below the menu."""
    from coso.reviews.models import ReviewCycle

    cycle = ReviewCycle.objects.filter(organization=root).order_by("-year", "-id").first()
    if cycle is None:
        return []
    return [
        f"/reviews/{cycle.pk}/",
        f"/reviews/{cycle.pk}/summary/",
        f"/reviews/{cycle.pk}/?status=DECIDED&page=2",
    ]


def api_lists() -> list[str]:
    from coso.api.api import api

    schema = api.get_openapi_schema()
    prefix = "/api/v1"

    def is_list(path: str, operations: dict) -> bool:
        get = operations.get("get")
        required = [p for p in (get or {}).get("parameters", []) if p.get("required")]
        return bool(get) and not required and "{" not in path and "docs" not in path and "openapi" not in path

    return sorted(
        prefix + path if not path.startswith(prefix) else path
        for path, operations in schema["paths"].items()
        if is_list(path, operations)
    )


def measure(client: Client, url: str, *, warmup: int, reps: int) -> dict:
    for _ in range(warmup):
        client.get(url)
    times, status, size = [], 0, 0
    for _ in range(reps):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        status, size = response.status_code, len(response.content)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    p95 = percentile(times, 0.95)
    return {
        "url": url,
        "status": status,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "queries": len(captured.captured_queries),
        "bytes": size,
        "kb": round(size / 1024, 1),
        "over_target": p95 > TARGET_MS or size > TARGET_KB * 1024,
    }


def run(root: Organization, *, reps: int = 7, warmup: int = 2, only: str = "", echo=print) -> list[dict]:
    rows = []
    with override_settings(STORAGES=PLAIN_STATIC):
        for username, user in bench_users(root).items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            pages = menu_pages(client) + cycle_pages(root)
            cycle_api = [
                url.replace("/reviews/", "/api/v1/reviews/cycles/", 1) + "reviews"
                for url in cycle_pages(root)[:1]
            ]
            for kind, urls in (("page", pages), ("api", api_lists() + cycle_api)):
                for url in urls:
                    if only and only not in url:
                        continue
                    row = {"user": username, "kind": kind, **measure(client, url, warmup=warmup, reps=reps)}
                    rows.append(row)
                    flag = "  OVER TARGET" if row["over_target"] else ""
                    echo(
                        f"{username:<16} {kind:<4} {url:<42} {row['status']} median {row['median_ms']:>7.1f} ms  "
                        f"p95 {row['p95_ms']:>7.1f} ms  {row['queries']:>3} queries {row['kb']:>7.1f} KB{flag}"
                    )
    return rows


def markdown(rows: list[dict]) -> str:
    lines = [
        "| user | kind | URL | status | median ms | p95 ms | queries | KB |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(rows, key=lambda r: (-r["p95_ms"], r["user"])):
        mark = " **over**" if row["over_target"] else ""
        lines.append(
            f"| {row['user']} | {row['kind']} | `{row['url']}` | {row['status']} | {row['median_ms']} | "
            f"{row['p95_ms']}{mark} | {row['queries']} | {row['kb']} |"
        )
    return "\n".join(lines)


def main() -> int:
    from coso.demo.generate import root_code

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="the seed given to coso generate")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--only", default="", help="only URLs containing this text")
    parser.add_argument("--markdown", action="store_true", help="print the table for bench/README.md")
    args = parser.parse_args()
    root = Organization.objects.get(code=root_code(args.seed))
    rows = run(
        root, reps=args.reps, warmup=args.warmup, only=args.only, echo=lambda line: print(line, flush=True)
    )
    members = __import__("coso.members.models", fromlist=["Member"]).Member.objects.count()
    report = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "members": members,
        "organizations": Organization.objects.count(),
        "reps": args.reps,
        "results": rows,
    }
    out = ROOT / "bench" / "results" / f"pages-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    over = [row for row in rows if row["over_target"]]
    print(f"\n{members} members on {connection.vendor}; {len(over)} of {len(rows)} URLs over target; {out}")
    if args.markdown:
        print("\n" + markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
