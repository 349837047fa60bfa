"""Member import, phase by phase: client CPU, the PostgreSQL backend's CPU (from /proc) and wall time of the
read + bulk loads, the check, the write (COPY) and the commit, one after the other in one process.

    .venv/bin/python bench/import_phases.py --make 20000 --out /tmp/imp      # once: writes bench-20000.csv/.xlsx
    createdb -h 127.0.0.1 -U postgres -T coso_imp_base coso_imp_run1
    COSO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/coso_imp_run1 \\
        .venv/bin/python bench/import_phases.py /tmp/imp/bench-20000.csv

`--pipeline` runs `pipeline.import_file` instead (check and write overlapped, as `coso import` does) and
reports its totals. The rows stay in the database: use a throwaway copy per run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _django  # noqa: E402,F401 - sets Django up first
from django.db import connection, transaction  # noqa: E402

from coso.orgs.models import Organization  # noqa: E402

_TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int | None) -> float:
    """The database backend's user + system CPU seconds (a local server only)."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Phases:
    def __init__(self, pid):
        self.pid, self.rows = pid, []

    def run(self, name, function):
        wall, cpu, server = time.perf_counter(), time.process_time(), backend_cpu(self.pid)
        result = function()
        self.rows.append(
            {
                "phase": name,
                "wall": round(time.perf_counter() - wall, 2),
                "client": round(time.process_time() - cpu, 2),
                "server": round(backend_cpu(self.pid) - server, 2),
            }
        )
        return result


def phases(path: Path, into: str) -> dict:
    from coso.accounts.permissions import SYSTEM
    from coso.members.importing.plan import CREATE, prepare
    from coso.members.importing.writer import write_creates

    root = Organization.objects.get(code=into)
    steps = Phases(backend_pid())
    data = path.read_bytes()
    planner, rows = steps.run("read + prepare", lambda: prepare(data, path.name, actor=SYSTEM, into=root))

    def check():
        for _done, _plans in planner.check_rows(rows, every=2000, release=True):
            pass
        planner.finish()
        return planner.report.of(CREATE)

    creates = steps.run("check", check)
    assert planner.report.ok, planner.report.errors[:3]
    transaction.set_autocommit(False)
    steps.run("write", lambda: write_creates(creates, actor=SYSTEM))
    steps.run("commit", connection.commit)
    transaction.set_autocommit(True)
    return {"phases": steps.rows, "created": len(creates), "peak_mb": round(peak_mb())}


def pipeline(path: Path, into: str) -> dict:
    from coso.accounts.permissions import SYSTEM
    from coso.members.importing.pipeline import import_file

    root = Organization.objects.get(code=into)
    pid = backend_pid()
    data = path.read_bytes()
    wall, cpu, server = time.perf_counter(), time.process_time(), backend_cpu(pid)
    report, result = import_file(data, path.name, actor=SYSTEM, into=root)
    seconds = time.perf_counter() - wall
    return {
        "seconds": round(seconds, 2),
        "rows_per_s": round(report.total / seconds),
        "client": round(time.process_time() - cpu, 2),
        "server": round(backend_cpu(pid) - server, 2),
        "peak_mb": round(peak_mb()),
        "result": result,
    }


def make(rows: int, out: Path) -> None:
    from imports import csv_bytes, make_members, xlsx_bytes

    root = Organization.objects.get(code="GEN-1")
    out.mkdir(parents=True, exist_ok=True)
    members = make_members(root, rows)
    (out / f"bench-{rows}.csv").write_bytes(csv_bytes(members))
    (out / f"bench-{rows}.xlsx").write_bytes(xlsx_bytes(members))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, nargs="?")
    parser.add_argument("--into", default="GEN-1")
    parser.add_argument("--pipeline", action="store_true")
    parser.add_argument("--make", type=int)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    if args.make:
        make(args.make, args.out)
        return 0
    outcome = (pipeline if args.pipeline else phases)(args.file, args.into)
    outcome["load"] = os.getloadavg()[0]
    print(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
