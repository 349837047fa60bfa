"""`coso demo`: migrate, load the demo data (safe to run twice), print the demo accounts, serve Coso."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from coso.accounts.models import Role
from coso.demo.loader import load_demo
from coso.demo.serving import serve


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo data (the Vị Thanh city Party committee: about 1,500 members; "
        "running it again changes nothing), print the demo accounts and serve http://127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="only migrate and load the data")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="fraction of the demo's members to create (tests: 0.05)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="seed of the random choices")

    def handle(self, *args, **options):
        database = settings.DATABASES["default"]
        self.stdout.write(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Migrations applied.")
        result = load_demo(scale=options["scale"], seed=options["seed"])
        if result.created:
            self.stdout.write(f"Demo data loaded in {result.seconds:.1f} s.")
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        self.stdout.write(", ".join(f"{value} {name}" for name, value in result.counts.items()))
        self.stdout.write("")
        self.stdout.write(accounts_table(result.accounts))
        if not options["no_serve"]:
            serve(host=options["host"], port=options["port"], stdout=self.stdout)


def accounts_table(accounts) -> str:
    """The demo accounts as a plain-text table (roles in Vietnamese, the interface's first language)."""
    with translation.override("vi"):
        rows = [("Tài khoản", "Mật khẩu", "Vai trò", "Tổ chức", "Hồ sơ đảng viên")]
        for spec, user in accounts:
            organization = user.grants.filter(role=spec.role, revoked_at__isnull=True).first()
            rows.append(
                (
                    spec.username,
                    spec.password,
                    str(Role(spec.role).label),
                    str(organization.organization) if organization else spec.org_code,
                    user.member.full_name if user.member_id else "",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)
