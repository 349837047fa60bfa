"""`coso import members FILE --into ORG_CODE [--commit] [--json] [--user USERNAME]`.

A dry run by default: the whole file is checked and the report printed; `--commit` writes it (in one
transaction, nothing at all if any row is bad). Exits with 1 when the file or any row is bad.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.accounts.models import User
from coso.core.exceptions import CosoError
from coso.members.importing.pipeline import import_file
from coso.members.importing.plan import plan_import
from coso.orgs.models import Organization

# Files with more rows than this show a progress line on stderr.
PROGRESS_ROWS = 1000
BAR_WIDTH = 24
# The text report names this many new members; errors, warnings and updates are always listed in full.
LIST_CREATES = 50


def resolve_actor(username: str | None):
    if not username:
        return permissions.SYSTEM
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(_("No active user named %(name)s.") % {"name": username})


def resolve_org(code: str) -> Organization:
    try:
        return Organization.objects.get(code=code)
    except Organization.DoesNotExist:
        raise CommandError(_("No organization has the code %(code)s.") % {"code": code})


class Command(BaseCommand):
    help = "Import member records from an XLSX or CSV file (a dry run unless --commit)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["members"])
        parser.add_argument("file")
        parser.add_argument("--into", required=True, metavar="ORG_CODE", help="organization to import into")
        parser.add_argument("--commit", action="store_true", help="write the records (default: dry run)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--user", metavar="USERNAME", help="act as this user (default: the system)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        actor = resolve_actor(options["user"])
        into = resolve_org(options["into"])
        data = path.read_bytes()
        if len(data) > settings.COSO_IMPORT_MAX_BYTES:
            raise CommandError(
                _("The file is larger than %(size)d MB.") % {"size": settings.COSO_IMPORT_MAX_BYTES // 2**20}
            )
        progress = self._progress if data.count(b"\n") > PROGRESS_ROWS or len(data) > 2**20 else None
        result = None
        error = None
        try:
            if options["commit"]:
                # Checked whole, then kept only if no row is bad (on PostgreSQL written while checked).
                report, result = import_file(
                    data,
                    path.name,
                    actor=actor,
                    into=into,
                    checking=progress,
                    writing=progress and self._writing,
                )
            else:
                report = plan_import(data, path.name, actor=actor, into=into, progress=progress)
        except (Http404, PermissionDenied):
            raise CommandError(_("You may not import into %(org)s.") % {"org": into.name})
        except CosoError as exc:
            report, error = None, str(exc.message)
        if progress and self.stderr.isatty():
            self.stderr.write("")
        if report is None:
            # A conflict found while writing: check the file again for the report of what it holds now.
            report = plan_import(data, path.name, actor=actor, into=into)
        if options["json"]:
            payload = report.as_dict() | {"committed": result is not None, "result": result, "error": error}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        else:
            self._print(report.as_dict(), result, error, commit=options["commit"])
        if not report.ok or error:
            sys.exit(1)

    def _progress(self, done: int, total: int) -> None:
        self._bar(
            "check", _("Checking: %(done)d / %(total)d rows") % {"done": done, "total": total}, done, total
        )

    def _writing(self, done: int, total: int) -> None:
        self._bar(
            "write", _("Writing: %(done)d / %(total)d records") % {"done": done, "total": total}, done, total
        )

    def _bar(self, phase: str, text: str, done: int, total: int) -> None:
        """A bar redrawn in place on a terminal; in a log (not a terminal) one line per tenth of the way."""
        share = done / total if total else 1.0
        filled = int(BAR_WIDTH * share)
        line = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {int(100 * share):3d}% {text}"
        if self.stderr.isatty():
            self.stderr.write("\r" + line, ending="")
            self.stderr.flush()
            return
        step = (phase, int(10 * share))
        if step != getattr(self, "_last_step", None):
            self._last_step = step
            self.stderr.write(line)

    def _print(self, report: dict, result, error, *, commit: bool) -> None:
        out = self.stdout.write
        counts = report["counts"]
        out(
            _(
                "%(rows)d rows: %(creates)d new, %(updates)d updates, %(unchanged)d unchanged, "
                "%(bad_rows)d with errors, %(warnings)d warnings."
            )
            % counts
        )
        for message in report["file_errors"]:
            out(_("File error: %(message)s") % {"message": message})
        if report["unknown_columns"]:
            out(
                _("Unknown columns (left out): %(columns)s")
                % {"columns": ", ".join(report["unknown_columns"])}
            )
        for title, issues in ((_("Errors:"), report["errors"]), (_("Warnings:"), report["warnings"])):
            if issues:
                out(title)
                for issue in issues:
                    out("  " + _("row %(row)d · %(column)s · “%(value)s”: %(reason)s") % issue)
        if report["updates"]:
            out(_("Updates:"))
            for plan in report["updates"]:
                changes = "; ".join(
                    f"{c['column']}: {c['old'] or '—'} → {c['new'] or '—'}" for c in plan["changes"]
                )
                out(
                    "  "
                    + _("row %(row)d · %(name)s: %(changes)s")
                    % {**plan, "name": plan["full_name"], "changes": changes}
                )
        if report["creates"]:
            out(_("New members:"))
            for plan in report["creates"][:LIST_CREATES]:
                out(
                    "  "
                    + _("row %(row)d · %(name)s (%(cell)s)")
                    % {"row": plan["row"], "name": plan["full_name"], "cell": plan["organization"]}
                )
            more = len(report["creates"]) - LIST_CREATES
            if more > 0:
                out("  " + _("… and %(n)d more (--json lists them all).") % {"n": more})
        if error:
            out(_("Nothing was imported: %(error)s") % {"error": error})
        elif result is not None:
            out(_("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.") % result)
        elif not report["ok"]:
            out(_("Nothing was imported: correct the errors and run the command again."))
        elif not commit:
            out(_("Dry run: nothing was written. Add --commit to import."))
