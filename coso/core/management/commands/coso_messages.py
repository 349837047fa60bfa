"""Extract translatable strings into each app's catalog (and the project catalog), then compile them.

Translations live per app (coso/<app>/locale/vi) so that apps can be translated independently; the project
catalog (coso/locale/vi) holds the shared templates and settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

PACKAGE_DIR = Path(__file__).resolve().parents[3]


def catalog_dirs() -> list[tuple[Path, list[str]]]:
    """(directory to run makemessages in, patterns to ignore there) for every catalog of the project."""
    apps = sorted(p.parent for p in PACKAGE_DIR.glob("*/apps.py"))
    result: list[tuple[Path, list[str]]] = [(app, ["tests/*", "migrations/*"]) for app in apps]
    ignore = [f"{app.name}/*" for app in apps] + ["testing/*", "static/*", "demo/*"]
    result.append((PACKAGE_DIR, ignore))
    return result


class Command(BaseCommand):
    help = "Run makemessages (vi) for every app catalog and the project catalog, then compilemessages."

    def add_arguments(self, parser):
        parser.add_argument("--no-compile", action="store_true")
        parser.add_argument("--only", help="one app directory name, or 'project'")

    def handle(self, *args, **options):
        here = os.getcwd()
        try:
            for directory, ignore in catalog_dirs():
                name = "project" if directory == PACKAGE_DIR else directory.name
                if options["only"] and options["only"] != name:
                    continue
                (directory / "locale").mkdir(exist_ok=True)
                os.chdir(directory)
                call_command(
                    "makemessages", locale=["vi"], no_obsolete=True, ignore_patterns=ignore, verbosity=0
                )
                if not options["no_compile"]:
                    call_command("compilemessages", locale=["vi"], verbosity=0)
                self.stdout.write(f"{name}: {directory / 'locale'}")
        finally:
            os.chdir(here)
