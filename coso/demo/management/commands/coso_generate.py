"""`coso generate --members N --seed S`: a large reproducible data set for benchmarks."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from coso.demo.activity import ActivityExists
from coso.demo.generate import DEFAULT_AS_OF, DataSetExists, DataSetMissing, generate, generate_activity_only


class Command(BaseCommand):
    help = (
        "Generate a province (organization code GEN-<seed>) of N members under about 40 communes (grassroots "
        "committees) with cells of about 25 members, for benchmarks. The same seed and --as-of give the same "
        "data. Rows are bulk-inserted with their derived columns (folded and sortable names, status), "
        "membership periods and events, but WITHOUT change-history rows (django-simple-history), which "
        "generated data does not need. Unless --members-only, the province also gets a year of activity "
        "before --as-of: cell meetings with attendance and minutes, study campaigns with learning reports, "
        "citizens' feedback with reception days and dialogues, and commitments. --activity-only adds that "
        "activity to a province generated earlier with --members-only (same seed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, help="number of members, e.g. 200000")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--communes", type=int, default=40, help="grassroots committees (default 40)")
        parser.add_argument("--cell-size", type=int, default=25, help="members per cell (default 25)")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=DEFAULT_AS_OF,
            help=f"reference date for ages and histories, YYYY-MM-DD (default {DEFAULT_AS_OF.isoformat()})",
        )
        parser.add_argument("--batch-size", type=int, default=5000, help="rows per INSERT batch")
        parser.add_argument(
            "--months", type=int, default=12, help="months of meetings before --as-of (default 12)"
        )
        only = parser.add_mutually_exclusive_group()
        only.add_argument(
            "--members-only", action="store_true", help="only the tree and the members, no activity"
        )
        only.add_argument(
            "--activity-only",
            action="store_true",
            help="add the activity to the province GEN-<seed> generated earlier with --members-only",
        )

    def handle(self, *args, **options):
        def say(text: str) -> None:
            if options["verbosity"]:
                self.stdout.write(text)

        if not 1 <= options["months"] <= 36:
            raise CommandError("--months must be from 1 to 36")
        if options["activity_only"]:
            try:
                made = generate_activity_only(
                    seed=options["seed"],
                    as_of=options["as_of"],
                    months=options["months"],
                    batch_size=options["batch_size"],
                    progress=say,
                )
            except (DataSetMissing, ActivityExists) as exc:
                raise CommandError(str(exc))
            self.stdout.write(f"Generated the activity in {made.seconds:.1f} s: {_counts(made.counts)}.")
            return
        if options["members"] is None or options["members"] < 1:
            raise CommandError("--members must be at least 1")
        try:
            result = generate(
                members=options["members"],
                seed=options["seed"],
                communes=options["communes"],
                cell_size=options["cell_size"],
                as_of=options["as_of"],
                batch_size=options["batch_size"],
                progress=say,
                activity=not options["members_only"],
                months=options["months"],
            )
        except DataSetExists as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"Generated {result.root.code} ({result.root.name}): {result.communes} communes, {result.cells} "
            f"cells, {result.members} members in {result.seconds:.1f} s."
        )
        if result.activity is not None:
            self.stdout.write(f"Activity: {_counts(result.activity.counts)}.")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{value} {name}" for name, value in counts.items())
