"""Daily job: remind members and guests of tomorrow's published meetings. Safe to run twice (dedupe keys)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from coso.meetings.services import meetings_send_reminders


class Command(BaseCommand):
    help = "Send the day-before reminder of published meetings (run once a day, e.g. at 07:00)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="pretend today is this date (yyyy-mm-dd)"
        )

    def handle(self, *args, today=None, **options):
        sent = meetings_send_reminders(today=today or timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent")
