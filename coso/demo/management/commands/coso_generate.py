"""`coso generate --members N --seed S`: a large reproducible data set for benchmarks."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from coso.demo.generate import DEFAULT_AS_OF, DataSetExists, generate


class Command(BaseCommand):
    help = (
        "Generate a province (organization code GEN-<seed>) of N members under about 40 communes (grassroots "
        "committees) with cells of about 25 members, for benchmarks. The same seed and --as-of give the same "
        "data. Rows are bulk-inserted with their derived columns (folded and sortable names, status), "
        "membership periods and events, but WITHOUT change-history rows (django-simple-history), which "
        "generated data does not need."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, required=True, help="number of members, e.g. 200000")
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

    def handle(self, *args, **options):
        if options["members"] < 1:
            raise CommandError("--members must be at least 1")
        try:
            result = generate(
                members=options["members"],
                seed=options["seed"],
                communes=options["communes"],
                cell_size=options["cell_size"],
                as_of=options["as_of"],
                batch_size=options["batch_size"],
                progress=lambda text: self.stdout.write(text) if options["verbosity"] else None,
            )
        except DataSetExists as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            f"Generated {result.root.code} ({result.root.name}): {result.communes} communes, {result.cells} "
            f"cells, {result.members} members in {result.seconds:.1f} s."
        )
