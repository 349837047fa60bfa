"""`coso serve`: the development server in debug, collectstatic then gunicorn otherwise."""

from __future__ import annotations

import io
import sys

from coso.demo import serving


def test_debug_serves_with_the_development_server(settings, monkeypatch):
    settings.DEBUG = True
    calls = []
    monkeypatch.setattr(serving, "call_command", lambda *args, **kwargs: calls.append((args, kwargs)))
    serving.serve(host="127.0.0.1", port=8123, stdout=io.StringIO())
    assert calls == [(("runserver", "127.0.0.1:8123"), {"use_reloader": False, "use_threading": True})]


def test_production_collects_static_files_then_runs_gunicorn(settings, monkeypatch):
    settings.DEBUG = False
    calls, execs = [], []
    monkeypatch.setattr(serving, "call_command", lambda *args, **kwargs: calls.append(args))
    monkeypatch.setattr(serving.os, "execv", lambda path, argv: execs.append(argv))
    serving.serve(host="0.0.0.0", port=9000, stdout=io.StringIO(), workers=3)  # noqa: S104
    assert calls == [("collectstatic",)]
    argv = execs[0]
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "coso.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "3"


def test_default_workers_follow_the_cores(monkeypatch):
    monkeypatch.delenv("COSO_WORKERS", raising=False)
    monkeypatch.setattr(serving.os, "cpu_count", lambda: 2)
    assert serving.default_workers() == 5
    monkeypatch.setenv("COSO_WORKERS", "4")
    assert serving.default_workers() == 4
