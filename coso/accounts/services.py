"""Writes for accounts: role grants, API tokens and the personal-data access log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation

from . import permissions
from .models import AccessLog, AccessLogItem, ApiToken, Role, RoleGrant, User

if TYPE_CHECKING:
    from coso.members.models import Member


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *,
    actor,
    action: str,
    obj,
    label: str = "",
    path: str = "",
    request=None,
    detail: str = "",
    items=None,
) -> AccessLog:
    """Write one access-log entry: who saw whose personal data, when and from where.

    `obj` is what the entry is about (a record, or the organization a list or an export covers); `items` are
    the records shown, as objects with `pk` and `organization.path` (a list page, an API page, an export). A
    single record is its own item. Two queries whatever the number of records (one for a single record).
    """
    entry = AccessLog.objects.create(
        user=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else str(type(obj).__name__),
        object_id=str(getattr(obj, "pk", obj)),
        object_label=(label or str(obj))[:255],
        organization_path=path,
        ip_address=client_ip(request),
        detail=detail[:255],
        object_count=1 if items is None else len(items),
    )
    if items is None:
        rows = [
            AccessLogItem(
                entry=entry, object_id=entry.object_id, label=entry.object_label, organization_path=path
            )
        ]
    else:
        rows = [
            AccessLogItem(
                entry=entry,
                object_id=str(item.pk),
                label=str(item)[:255],
                organization_path=item.organization.path,
            )
            for item in items
        ]
    AccessLogItem.objects.bulk_create(rows, batch_size=2000)
    return entry


def grant_create(*, actor, user: User, organization, role: str) -> RoleGrant:
    """Give `user` the `role` on `organization` (and so on its whole subtree)."""
    permissions.authorize(actor, "accounts.manage_grants", organization.path)
    if role not in Role.values:
        raise RuleViolation(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    if not user.is_active:
        raise RuleViolation(_("This account is disabled."), fields={"user": [_("This account is disabled.")]})
    with transaction.atomic():
        if RoleGrant.objects.filter(
            user=user, organization=organization, role=role, revoked_at__isnull=True
        ).exists():
            message = _("This user already has this role on this organization.")
            raise RuleViolation(message, fields={"role": [message]}, code="duplicate")
        grant = RoleGrant(
            user=user,
            organization=organization,
            role=role,
            granted_by=actor if getattr(actor, "pk", None) else None,
        )
        grant.full_clean()
        stamp(grant, actor)
        grant.save()
    permissions.forget(user)
    return grant


def grant_revoke(*, actor, grant: RoleGrant) -> RoleGrant:
    """End a grant. The row stays, with the time it was revoked, as history."""
    permissions.authorize(actor, "accounts.manage_grants", grant.organization.path)
    with transaction.atomic():
        locked = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            stamp(locked, actor)
            locked.save(update_fields=["revoked_at", "updated_at"])
        grant.revoked_at = locked.revoked_at
    permissions.forget(grant.user)
    return grant


def user_create(
    *,
    actor,
    username: str,
    password: str,
    member: Member,
    email: str = "",
    role: str = "",
) -> User:
    """An account for the person of a member record, optionally with a first role on the member's organization."""
    path = member.organization.path
    permissions.authorize(actor, "accounts.manage_grants", path)
    errors: dict[str, list[str]] = {}
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(_("This username is already taken."))
    if User.objects.filter(member=member).exists():
        errors.setdefault("member", []).append(_("This member record already has an account."))
    if role and role not in Role.values:
        errors.setdefault("role", []).append(_("Unknown role."))
    user = User(
        username=username,
        email=(email or "").strip(),
        member=member,
        # Vietnamese names read family name first: keep the whole name in one field, as written.
        first_name=member.full_name[:150],
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise RuleViolation(_("Please correct the errors."), fields=errors, code="invalid")
    with transaction.atomic():
        user.set_password(password)
        user.full_clean()
        stamp(user, actor)
        user.save()
        if role:
            grant_create(actor=actor, user=user, organization=member.organization, role=role)
    return user


def token_create(
    *, user: User, name: str = "", days: int | None = None, read_only: bool = False
) -> tuple[ApiToken, str]:
    """Issue a personal API token valid for `days` (at most `COSO_API_TOKEN_DAYS`, one year by default),
    read-only if asked; the raw token is returned once and never stored."""
    name = (name or "").strip()
    if len(name) > 100:
        message = _("Ensure this value has at most 100 characters.")
        raise RuleViolation(message, fields={"name": [message]}, code="invalid")
    longest = settings.COSO_API_TOKEN_DAYS
    if days is not None and not 1 <= days <= longest:
        message = _("A token lives between 1 and %(days)d days.") % {"days": longest}
        raise RuleViolation(message, fields={"days": [message]}, code="invalid")
    return ApiToken.issue(user=user, name=name, days=days, read_only=read_only)


def token_revoke(*, token: ApiToken) -> None:
    """Revoke a token; the API refuses it from now on. Revoking twice keeps the first time."""
    if token.revoked_at is None:
        token.revoke()
