"""Member import throughput: N generated rows imported from CSV and from XLSX (check, then write), rows/s and peak memory.

Run on a database with an organization tree to import into, e.g. a small `coso generate` province:

    createdb -h 127.0.0.1 -U postgres coso_imp_try
    export COSO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/coso_imp_try
    .venv/bin/coso migrate && .venv/bin/coso generate --members 2000 --communes 4 --seed 1
    .venv/bin/python bench/imports.py --rows 20000          # --into GEN-1 by default; --formats csv,xlsx

The rows are new members (realistic names, CCCD, dates, cells of --into, drawn by the demo's PeopleMaker so
they pass every rule), written to files the way offices send them. Each file is imported in a fresh process
by `pipeline.import_file`, what `coso import members FILE --into ... --commit` runs, so the peak memory is that
of one import (VmHWM, Django included) and the time is the whole check + write, from reading the file to
the commit (Django's start-up and the printed report left out); CPU seconds are this process's, and the
database backend's read from /proc (a local server only). The rows stay in the
database: use a throwaway database.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import ROOT  # noqa: E402 - sets Django up first

from coso.demo.people import CellProfile, PeopleMaker  # noqa: E402
from coso.members.importing.columns import COLUMNS, DATE  # noqa: E402
from coso.members.importing.exporter import member_values, members_xlsx  # noqa: E402
from coso.members.models import Member  # noqa: E402
from coso.orgs.models import PATH_SEPARATOR, Organization  # noqa: E402


def make_members(into: Organization, rows: int, *, seed: int = 7) -> list[Member]:
    """`rows` new, valid, unsaved members spread over the active cells under `into`."""
    cells = [
        org
        for org in Organization.objects.filter(path__startswith=into.path + PATH_SEPARATOR).order_by("path")
        if org.is_cell and org.is_active
    ] or [into]
    used_ids = set(Member.objects.exclude(national_id=None).values_list("national_id", flat=True))
    used_cards = set(Member.objects.exclude(card_number=None).values_list("card_number", flat=True))
    maker = PeopleMaker(random.Random(seed), today=_today(), used_ids=used_ids, used_cards=used_cards)
    maker._card_counter = 100_000 + len(used_cards)  # clear of the generated province's cards
    profile = CellProfile(kind="village", address="xã Mẫu, tỉnh Mẫu", place="ấp 1")
    members = []
    for index in range(rows):
        cell = cells[index % len(cells)]
        person = maker.person(cell, profile, probationary=index % 25 == 0)
        members.append(Member(organization=cell, **person.data))
    return members


def _today():
    from django.utils import timezone

    return timezone.localdate()


def csv_bytes(members: list[Member]) -> bytes:
    """The members as a CSV (UTF-8 with BOM, ";" as Vietnamese Excel saves it), dates as dd/mm/yyyy."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([column.header for column in COLUMNS])
    for member in members:
        values = member_values(member, list(COLUMNS))
        writer.writerow(
            [
                "" if value is None else value.strftime("%d/%m/%Y") if column.kind == DATE else value
                for column, value in zip(COLUMNS, values, strict=True)
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(members: list[Member]) -> bytes:
    content, _count = members_xlsx(members, columns=list(COLUMNS), personal=lambda member: True)
    return content


def import_once(path: Path, into: str) -> dict:
    """Check and write one file as `coso import members FILE --into ... --commit` does (pipeline.import_file),
    in this process: seconds from reading the file to the commit, CPU seconds, peak memory, counts."""
    from import_phases import backend_cpu, backend_pid

    from coso.accounts.permissions import SYSTEM
    from coso.members.importing.pipeline import import_file

    root = Organization.objects.get(code=into)
    baseline = _peak_mb()
    pid = backend_pid()
    started, cpu, server = time.perf_counter(), time.process_time(), backend_cpu(pid)
    report, result = import_file(path.read_bytes(), path.name, actor=SYSTEM, into=root)
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "server_cpu_seconds": backend_cpu(pid) - server,
        "peak_mb": _peak_mb(),
        "baseline_mb": baseline,
        "result": result,
        "errors": len(report.errors) + len(report.file_errors),
    }


def import_file(path: Path, into: str) -> dict:
    """`import_once` in a fresh process, so the peak memory is that of one import (Django included)."""
    completed = subprocess.run(  # noqa: S603 - this script, this Python
        [sys.executable, __file__, "--one", str(path), "--into", into],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=ROOT,
    )
    if completed.returncode != 0 or not completed.stdout.strip():
        raise RuntimeError(completed.stderr[-2000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run(
    into: str, *, rows: int, formats=("csv", "xlsx"), echo=print, import_one=import_file, seed: int = 7
) -> list[dict]:
    root = Organization.objects.get(code=into)
    results = []
    for offset, kind in enumerate(formats):
        started = time.perf_counter()
        members = make_members(root, rows, seed=seed + offset)
        data = csv_bytes(members) if kind == "csv" else xlsx_bytes(members)
        del members
        made = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"bench-{rows}.{kind}"
            path.write_bytes(data)
            outcome = import_one(path, into)
        result = outcome.get("result") or {}
        row = {
            "format": kind,
            "rows": rows,
            "file_mb": round(len(data) / 2**20, 1),
            "created": result.get("created", 0),
            "errors": outcome["errors"],
            "seconds": round(outcome["seconds"], 2),
            "cpu_seconds": round(outcome["cpu_seconds"], 2),
            "server_cpu_seconds": round(outcome.get("server_cpu_seconds", 0), 2),
            "rows_per_s": round(rows / outcome["seconds"]) if outcome["seconds"] else 0,
            "peak_mb": round(outcome["peak_mb"]),
            "baseline_mb": round(outcome["baseline_mb"]),
        }
        results.append(row)
        echo(
            f"{kind:<4} {rows} rows ({row['file_mb']} MB, made in {made:.1f} s): {row['seconds']} s "
            f"({row['cpu_seconds']} s CPU, database {row['server_cpu_seconds']} s), {row['rows_per_s']} rows/s, peak {row['peak_mb']} MB "
            f"({row['baseline_mb']} MB before), created {row['created']}, errors {row['errors']}"
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--into", default="GEN-1", help="organization code to import into (default GEN-1)")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # the child process: import one file
    args = parser.parse_args()
    from django.db import connection

    if args.one:
        print(json.dumps(import_once(args.one, args.into)))
        return 0

    results = run(args.into, rows=args.rows, formats=args.formats.split(","), seed=args.seed)
    print(f"on {connection.vendor}, {os.cpu_count()} CPUs; parent peak {_peak_mb():.0f} MB")
    return 0 if all(r["errors"] == 0 and r["created"] == r["rows"] for r in results) else 1


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec, so a
    child would start at its parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    raise SystemExit(main())
