"""`coso restore FILE --yes`: replace the database and the media folder with a backup's content."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coso.core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `coso backup` archive: replaces the database and the media folder, then checks row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="confirm that the current data is replaced")

    def handle(self, *args, **options):
        source = Path(options["archive"])
        try:
            manifest = read_manifest(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not options["yes"]:
            raise CommandError(
                f"{source} was made on {manifest['created_at']}; restoring it replaces the whole database and "
                "the media folder. Run again with --yes to do it."
            )
        try:
            report = restore_backup(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if report.mismatches:
            raise CommandError("restored, but it differs from the backup:\n" + "\n".join(report.mismatches))
        self.stdout.write(
            f"restored {source}: {report.tables} tables, {report.rows} rows, {report.media_files} media files, "
            "all as in the backup"
        )
