"""Pages per second that `coso serve` gives with its default workers (issue 10 §6).

Starts `coso serve` (production settings: gunicorn, its default number of workers) on a free loopback port
against the configured database, logs a benchmark user in by a session made here, checks that the page answers
200 with the member list (not a redirect to the log-in page), then runs a bounded load generator against it:
`wrk` (Debian package wrk) with a fixed number of connections for a fixed time. Prints the requests per second,
the latency percentiles and any non-2xx answers; the JSON report goes to bench/results/.

    COSO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/coso_bench_h3 .venv/bin/python bench/throughput.py

The load generator shares the machine's cores with the server, as on loopback it must; figures are for this
2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import ROOT  # noqa: E402 - sets Django up first
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from pages import bench_users  # noqa: E402

from coso.orgs.models import Organization  # noqa: E402

WRK = re.compile(r"Requests/sec:\s+([\d.]+)")
LATENCY = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_for(user) -> str:
    """A session for `user`, as the log-in would make, in the configured store: the database, or Redis when
    COSO_REDIS_URL is set (the operator guide's recommended set-up; the server inherits the environment)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def wait_for(url: str, cookie: str, seconds: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - http://127.0.0.1
            opener = urllib.request.build_opener(NoRedirect)
            with opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def to_ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="the seed given to coso generate")
    parser.add_argument("--user", default="bench_province", choices=["bench_province", "bench_commune"])
    parser.add_argument("--path", default="/members/")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: coso serve's)")
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    root = Organization.objects.get(code=f"GEN-{args.seed}")
    user = bench_users(root)[args.user]
    cookie = f"sessionid={session_for(user)}"
    port = free_port()
    env = {
        **os.environ,
        "COSO_DEBUG": "0",
        "COSO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "COSO_SSL_REDIRECT": "0",
        "COSO_DATA_DIR": tempfile.mkdtemp(prefix="coso-throughput-"),
    }
    command = [
        str(Path(sys.executable).with_name("coso")),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    # The server's log goes to a file: a pipe nobody reads while wrk runs would fill and stall the workers.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(  # noqa: S603 - our own command
        command, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}{args.path}"
    status = 0
    try:
        status, body = wait_for(url, cookie)
        if status != 200 or 'id="member-table"' not in body:
            print(f"{url} answered {status} without the member list; is the user logged in?", file=sys.stderr)
            return 1
        for _ in range(2):  # warm every worker (templates, connections)
            subprocess.run(  # noqa: S603
                [wrk, "-t2", f"-c{args.connections}", "-d3s", "-H", f"Cookie: {cookie}", url],
                check=True,
                capture_output=True,
            )
        run = subprocess.run(  # noqa: S603
            [
                wrk,
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--latency",
                "-H",
                f"Cookie: {cookie}",
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if status != 200:
            log.seek(0)
            print(log.read().decode()[-3000:], file=sys.stderr)
    output = run.stdout
    rate = float(WRK.search(output).group(1))
    latency = {f"p{p}": round(to_ms(v, u), 1) for p, v, u in LATENCY.findall(output)}
    errors = int(NON_2XX.search(output).group(1)) if NON_2XX.search(output) else 0
    workers = args.workers or int(os.environ.get("COSO_WORKERS") or min(2 * (os.cpu_count() or 1) + 1, 9))
    report = {
        "url": args.path,
        "user": args.user,
        "workers": workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "requests_per_second": rate,
        "latency_ms": latency,
        "non_2xx": errors,
    }
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / f"throughput-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
