"""`coso backup [-o FILE]`: the database and the media folder in one archive (see coso.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coso.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the database and the media folder into one .tar.gz archive with a manifest of row counts."

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", help="archive to write (default: coso-backup-<date-time>.tar.gz)"
        )

    def handle(self, *args, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = Path(options["output"] or f"coso-backup-{stamp}.tar.gz")
        try:
            manifest = create_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"{target}: {manifest['engine']} database, {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['media'])} media files"
        )
