"""Server time of the member list's first page (HTML /members/ and API /api/v1/members/) on a generated data set.

Run against a database filled by `coso generate --members 200000 --seed 1` (see bench/README.md):

    COSO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/coso_bench_h3 .venv/bin/python bench/member_list.py

Requests go through Django's full stack in-process (middleware, view, template or JSON), so the time is the
server's time without the network. Settings are production-like (debug off). For each scenario: warm-up
requests, then --reps timed requests (median, p95), the number of SQL queries, the slowest query and its
EXPLAIN ANALYZE. Results are written to bench/results/member_list-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
from coso.demo.generate import root_code  # noqa: E402
from coso.orgs.models import Organization  # noqa: E402


def bench_users(seed: int) -> dict[str, User]:
    """A province administrator and the staff of one commune, created once (grants, no password needed)."""
    root = Organization.objects.get(code=root_code(seed))
    commune = Organization.objects.filter(parent=root).order_by("path").first()
    users = {}
    for username, role, org in (
        ("bench_province", Role.SYSTEM_ADMIN, root),
        ("bench_commune", Role.COMMITTEE_STAFF, commune),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": username})
        RoleGrant.objects.get_or_create(user=user, organization=org, role=role, revoked_at=None)
        users[username] = user
    return users


def scenarios(seed: int) -> list[tuple[str, str]]:
    root = Organization.objects.get(code=root_code(seed))
    commune = Organization.objects.filter(parent=root).order_by("path").first()
    cell = Organization.objects.filter(parent=commune).order_by("path").first()
    filters = "status=FULL&theory_level=INTERMEDIATE&age_band=30-45"
    return [
        ("first page", ""),
        ("search 'nguyen thi hoa'", "q=nguyen+thi+hoa"),
        ("filter status+theory+age", filters),
        ("filter one cell", f"org={cell.pk}"),
        ("last name sort, page 40", "sort=-name&page=40"),
    ]


def explain(sql: str) -> str:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())


def measure(client: Client, url: str, *, warmup: int, reps: int) -> dict:
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    slowest = max(queries, default=(0.0, ""))
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "min_ms": round(min(times), 1),
        "queries": len(queries),
        "sql_ms": round(sum(t for t, _sql in queries), 1),
        "slowest_query_ms": round(slowest[0], 1),
        "slowest_query": slowest[1],
        "explain": explain(slowest[1]) if slowest[1].lstrip().upper().startswith("SELECT") else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="the seed given to coso generate")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--only", default="", help="run scenarios whose name contains this text")
    parser.add_argument("--explain", action="store_true", help="print the EXPLAIN of each slowest query")
    args = parser.parse_args()

    users = bench_users(args.seed)
    results = []
    with override_settings(STORAGES=PLAIN_STATIC):
        for username, user in users.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            for name, query in scenarios(args.seed):
                if args.only and args.only not in name:
                    continue
                for kind, path in (("html", "/members/"), ("api", "/api/v1/members/")):
                    url = path + ("?" + query if query else "")
                    row = measure(client, url, warmup=args.warmup, reps=args.reps)
                    row.update({"user": username, "scenario": name, "kind": kind})
                    results.append(row)
                    print(
                        f"{username:<15} {kind:<4} {name:<26} median {row['median_ms']:>7.1f} ms  "
                        f"p95 {row['p95_ms']:>7.1f} ms  {row['queries']:>2} queries ({row['sql_ms']:.1f} ms SQL, "
                        f"slowest {row['slowest_query_ms']:.1f} ms)",
                        flush=True,
                    )
                    if args.explain:
                        print(row["slowest_query"], "\n", row["explain"], "\n", flush=True)
    members = __import__("coso.members.models", fromlist=["Member"]).Member.objects.count()
    report = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "server_version": getattr(connection, "pg_version", None),
        "members": members,
        "cpus": os.cpu_count(),
        "reps": args.reps,
        "results": results,
    }
    out = ROOT / "bench" / "results" / f"member_list-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(f"\n{members} members on {connection.vendor}; results in {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
