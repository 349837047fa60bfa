"""`coso manage coso_member_counts`: compare the kept member counts with a fresh count, and rebuild them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from coso.members.models import Member, MemberCount


def differences() -> list[tuple[int, str, int, int]]:
    """(organization id, status, kept, counted) wherever the kept count is not the fresh one."""
    counted = {
        (row["organization_id"], row["status"]): row["n"]
        for row in Member.objects.order_by().values("organization_id", "status").annotate(n=Count("id"))
    }
    kept = {(c.organization_id, c.status): c.n for c in MemberCount.objects.all()}
    keys = sorted(set(counted) | set(kept))
    return [(org, status, kept.get((org, status), 0), counted.get((org, status), 0)) for org, status in keys
            if kept.get((org, status), 0) != counted.get((org, status), 0)]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Check the member counts per organization and status that database triggers keep (members.MemberCount) "
        "against a fresh count of the member records; --rebuild recomputes them (e.g. after loading data with "
        "triggers disabled). Exit status 1 when --check finds a difference."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--check", action="store_true", help="report differences (the default)")
        group.add_argument("--rebuild", action="store_true", help="recompute every count")

    def handle(self, *args, **options):
        if options["rebuild"]:
            with transaction.atomic():
                MemberCount.objects.all().delete()
                MemberCount.objects.bulk_create(
                    MemberCount(organization_id=row["organization_id"], status=row["status"], n=row["n"])
                    for row in Member.objects.order_by()
                    .values("organization_id", "status")
                    .annotate(n=Count("id"))
                )
            self.stdout.write(f"Rebuilt {MemberCount.objects.count()} counts.")
            return
        wrong = differences()
        if not wrong:
            self.stdout.write("The member counts are right.")
            return
        for org, status, kept, counted in wrong[:50]:
            self.stdout.write(f"organization {org} {status}: kept {kept}, counted {counted}")
        raise CommandError(f"{len(wrong)} member counts differ; run with --rebuild.")
