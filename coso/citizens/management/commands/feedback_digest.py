"""Weekly e-mail digest of citizens' feedback to committee leaders (idempotent per ISO week). Cron: Monday 07:00."""

from django.core.management.base import BaseCommand

from coso.citizens import services


class Command(BaseCommand):
    help = "Weekly e-mail digest of citizens' feedback to committee leaders (idempotent per ISO week). Cron: Monday 07:00."

    def handle(self, *args, **options):
        count = services.feedback_digest()
        self.stdout.write(f"{count}")
