"""Escalate feedback overdue by the configured working days to the upper level (idempotent: once per item). Cron: hourly."""

from django.core.management.base import BaseCommand

from coso.citizens import services


class Command(BaseCommand):
    help = "Escalate feedback overdue by the configured working days to the upper level (idempotent: once per item). Cron: hourly."

    def handle(self, *args, **options):
        count = services.feedback_escalate_overdue()
        self.stdout.write(f"{count}")
