"""Close answered feedback the citizen neither rated nor reopened within 14 days (idempotent). Cron: daily."""

from django.core.management.base import BaseCommand

from coso.citizens import services


class Command(BaseCommand):
    help = "Close answered feedback the citizen neither rated nor reopened within 14 days (idempotent). Cron: daily."

    def handle(self, *args, **options):
        count = services.feedback_close_stale()
        self.stdout.write(f"{count}")
