"""`coso token create|list|revoke USERNAME`: personal API tokens from the command line."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from coso.accounts import selectors, services
from coso.accounts.models import ApiToken, User
from coso.core.exceptions import RuleViolation


class Command(BaseCommand):
    help = "Personal API tokens: create (prints the token once), list, or revoke TOKEN_ID."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("username")
        parser.add_argument(
            "token_id", nargs="?", help="for revoke: the token's id or its hint, e.g. coso_AbC12 (see list)"
        )
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="for create: how long it works (default COSO_API_TOKEN_DAYS, 365)",
        )
        parser.add_argument("--read-only", action="store_true", help="for create: a token that can only read")

    def handle(
        self, *args, action: str, username: str, token_id: int | None, name: str, days, read_only, **options
    ):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"no user named {username!r}")
        if action == "create":
            try:
                token, raw = services.token_create(user=user, name=name, days=days, read_only=read_only)
            except RuleViolation as error:
                raise CommandError(str(error.message))
            mode = "read-only" if token.read_only else "read and write"
            self.stderr.write(
                f"Token {token.pk} for {user.username} ({mode}, expires {token.expires_at:%d/%m/%Y}). "
                "Keep it secret; it is shown only once:"
            )
            self.stdout.write(raw)
        elif action == "list":
            for token in selectors.token_list(user=user):
                if token.revoked_at:
                    state = f"revoked {token.revoked_at:%d/%m/%Y %H:%M}"
                elif token.is_expired:
                    state = f"expired {token.expires_at:%d/%m/%Y}"
                else:
                    state = f"active until {token.expires_at:%d/%m/%Y}"
                mode = "read-only" if token.read_only else "read-write"
                used = f"{token.last_used_at:%d/%m/%Y %H:%M}" if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.pk}\t{token.hint}…\t{token.name or '-'}\t{mode}\t{state}\tlast used {used}"
                )
        else:
            if token_id is None:
                raise CommandError("give the id of the token to revoke (see: coso token list USERNAME)")
            token = _find_token(user, token_id)
            services.token_revoke(token=token)
            self.stdout.write(f"Token {token.pk} revoked.")


def _find_token(user, key: str) -> ApiToken:
    """A token of `user` by id, or by its hint (the first characters shown by `list`)."""
    key = key.strip().rstrip("…")
    if key.isdigit():
        token = ApiToken.objects.filter(pk=int(key), user=user).first()
        if token is not None:
            return token
    matches = list(ApiToken.objects.filter(user=user, hint__startswith=key)[:2]) if len(key) >= 6 else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CommandError(f"{key!r} matches several tokens of {user.username}; give the id (see list)")
    raise CommandError(f"{user.username} has no token {key}")
