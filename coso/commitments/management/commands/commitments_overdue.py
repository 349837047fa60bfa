"""Daily job: tell each overdue commitment's organization and its upper committee (once per task and due date).

Cron: `coso manage commitments_overdue` every morning; running it twice notifies nobody twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from coso.commitments.services import hard_task_remind_overdue


class Command(BaseCommand):
    help = "Notify the organization and the upper committee of each overdue hard task (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, help="the day to check (yyyy-mm-dd)")

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        sent = hard_task_remind_overdue(today=today)
        self.stdout.write(f"commitments_overdue: {sent} notification(s) for {today.isoformat()}")
