"""`coso serve`: the development server when COSO_DEBUG is on, gunicorn (coso.wsgi) when it is off."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from coso.demo.serving import default_workers, serve


class Command(BaseCommand):
    help = (
        "Serve Coso. In debug: Django's development server with static files and auto-reload. Otherwise "
        "(COSO_DEBUG off, e.g. COSO_SECRET_KEY set): collectstatic, then gunicorn coso.wsgi with "
        "2 x cores + 1 workers (COSO_WORKERS or --workers to change), behind a reverse proxy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers", type=int, default=None, help=f"gunicorn workers (default {default_workers()})"
        )
        parser.add_argument("--no-reload", action="store_true", help="development server: do not auto-reload")

    def handle(self, *args, **options):
        serve(
            host=options["host"],
            port=options["port"],
            stdout=self.stdout,
            reload=not options["no_reload"],
            workers=options["workers"],
        )
