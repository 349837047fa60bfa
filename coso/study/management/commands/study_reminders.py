"""Daily job: remind members whose learning report is due within a few days and not submitted yet.

Idempotent: each member is reminded once per campaign (notification dedupe key), so running it twice, or every
day until the due date, sends one reminder. Cron: `coso manage study_reminders` once a day, e.g. at 07:00.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from coso.study.services import reports_remind


class Command(BaseCommand):
    help = "Remind members of learning reports due soon (once per member and campaign)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="remind this many days before the due date")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (for tests)"
        )

    def handle(self, *args, days: int, today: dt.date | None, **options):
        sent = reports_remind(today=today or timezone.localdate(), days_before=days)
        self.stdout.write(f"{sent} reminder(s) sent")
