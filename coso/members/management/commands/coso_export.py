"""`coso export members --org ORG_CODE -o members.xlsx [--status ...] [--q ...]`: the member list as XLSX.

The same columns as the import template, the same filters as the member list page, scoped to the actor
(the system unless `--user`); an export with personal data is written to the access log.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from coso.members.forms import MemberFilterForm
from coso.members.importing.exporter import member_export_xlsx

from .coso_import import resolve_actor, resolve_org


class Command(BaseCommand):
    help = "Export a member list to XLSX (the columns of the import template)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["members"])
        parser.add_argument("--org", metavar="ORG_CODE", help="only this organization and its subtree")
        parser.add_argument(
            "-o", "--output", default="members.xlsx", help="file to write (default members.xlsx)"
        )
        parser.add_argument(
            "--status", default="", help='a member status, "all", or empty for current members'
        )
        parser.add_argument("--q", default="", help="search text, as on the member list")
        parser.add_argument("--theory-level", default="")
        parser.add_argument("--age-band", default="", help="lt30, 30-45, 46-60 or gt60")
        parser.add_argument("--working-away", default="", choices=["", "yes", "no"])
        parser.add_argument("--user", metavar="USERNAME", help="act as this user (default: the system)")

    def handle(self, *args, **options):
        actor = resolve_actor(options["user"])
        data = {
            "q": options["q"],
            "status": options["status"],
            "theory_level": options["theory_level"],
            "age_band": options["age_band"],
            "working_away": options["working_away"],
        }
        if options["org"]:
            data["org"] = str(resolve_org(options["org"]).pk)
        form = MemberFilterForm(data, actor=actor)
        if not form.is_valid():
            problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            raise CommandError(_("Invalid filters: %(problems)s") % {"problems": problems})
        try:
            content, count = member_export_xlsx(actor=actor, filters=form.filters())
        except (Http404, PermissionDenied):
            raise CommandError(_("You may not export members of this organization."))
        output = Path(options["output"])
        output.write_bytes(content)
        self.stdout.write(_("%(count)d members written to %(path)s.") % {"count": count, "path": output})
