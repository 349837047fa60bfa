"""`coso screenshots`: refresh the role guides' screenshots in docs/screenshots from the browser tests.

A plain test run writes its screenshots to build/screenshots (ignored by git); this command runs the browser
tests with COSO_SCREENSHOTS_DIR pointing at docs/screenshots, so the guides change only when asked to.
It needs a source checkout with the test tools (`pip install -e '.[test]'`) and Debian's chromium.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError

from coso.testing.browser import REPOSITORY

BROWSER_TESTS = "tests/browser"


class Command(BaseCommand):
    help = "Refresh docs/screenshots by running the browser tests (needs the test tools and chromium)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print the test command without running it"
        )
        parser.add_argument("--port", type=int, default=8765, help="port of the test server (default 8765)")

    def handle(self, *args, **options):
        tests = REPOSITORY / BROWSER_TESTS
        if not tests.is_dir():
            raise CommandError(f"{tests} not found: run this from a source checkout of Coso")
        target = REPOSITORY / "docs" / "screenshots"
        # One order, one process and one port (addresses show in some pictures): the same run gives the same images.
        command = [
            sys.executable, "-m", "pytest", BROWSER_TESTS, "-q", "-p", "no:randomly", "-p", "no:xdist",
            "--liveserver", f"localhost:{options['port']}",
        ]  # fmt: skip
        env = {**os.environ, "COSO_SCREENSHOTS_DIR": str(target)}
        self.stdout.write(f"COSO_SCREENSHOTS_DIR={target} {' '.join(command)}")
        if options["dry_run"]:
            return
        result = subprocess.run(command, cwd=REPOSITORY, env=env, check=False)  # noqa: S603 -- fixed command
        if result.returncode != 0:
            raise CommandError(
                "the browser tests failed; the screenshots in docs/screenshots may be partly new"
            )
        self.stdout.write(
            f"screenshots refreshed in {target}; review them with `git diff --stat docs/screenshots`"
        )
