"""The `coso` command: `coso demo | serve | worker | import | export | generate | token | backup | restore | manage ...`.

Each subcommand is a Django management command; this module only maps names and sets the settings module.
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "demo": ("coso_demo", "migrate, load the demo data and serve http://127.0.0.1:8000"),
    "serve": ("coso_serve", "serve Coso (development server in debug, gunicorn otherwise)"),
    "worker": ("db_worker", "run the background task worker"),
    "import": ("coso_import", "import records, e.g. coso import members FILE --into ORG_CODE [--commit]"),
    "export": ("coso_export", "export records, e.g. coso export members --org ORG_CODE -o members.xlsx"),
    "generate": (
        "coso_generate",
        "generate a reproducible province with its activity: --members N --seed S [--months M] [--members-only|--activity-only]",
    ),
    "token": ("coso_token", "personal API tokens: coso token create|list|revoke USERNAME"),
    "backup": ("coso_backup", "back up the database and the media folder: coso backup -o FILE.tar.gz"),
    "restore": ("coso_restore", "restore a backup (replaces all data): coso restore FILE.tar.gz --yes"),
    "screenshots": ("coso_screenshots", "refresh docs/screenshots from the browser tests (needs '.[test]')"),
    "migrate": ("migrate", "apply database migrations"),
    "manage": (None, "any Django management command, e.g. coso manage createsuperuser"),
}


def usage() -> str:
    lines = ["usage: coso COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<11} {help_text}" for name, (_cmd, help_text) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"coso: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    command = COMMANDS[name][0]
    from django.core.management import execute_from_command_line

    if command is None:
        args = ["coso manage", *rest]
    else:
        args = ["coso " + name, command, *rest]
    try:
        execute_from_command_line(args)
    except SystemExit as exc:  # management commands exit non-zero on failure; keep their code
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
