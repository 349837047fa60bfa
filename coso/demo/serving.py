"""Serving Coso: Django's development server in debug, gunicorn (after collectstatic) otherwise."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command


def default_workers() -> int:
    """gunicorn's usual rule (2 × cores + 1), capped: each worker holds a database connection."""
    return int(os.environ.get("COSO_WORKERS") or min(2 * (os.cpu_count() or 1) + 1, 9))


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "coso.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("COSO_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def serve(*, host: str, port: int, stdout, reload: bool = False, workers: int | None = None) -> None:
    if settings.DEBUG:
        address = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        stdout.write(f"Serving http://{address}/ (development server; Ctrl+C stops it).")
        call_command("runserver", address, use_reloader=reload, use_threading=True)
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    argv = gunicorn_argv(host=host, port=port, workers=workers or default_workers())
    stdout.write("Serving with gunicorn: " + " ".join(argv[3:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
    sys.stdout.flush()
    os.execv(argv[0], argv)  # noqa: S606 -- gunicorn replaces this process, so signals reach it directly
