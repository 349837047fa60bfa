"""Reads for accounts: users and their grants, personal API tokens and the access log, scoped by the actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coso.core.history import ACTIONS, Change, HistoryEntry
from coso.core.text import as_id

from . import permissions
from .models import AccessLog, AccessLogItem, ApiToken, Role, RoleGrant, User


def _grants_in_scope(actor, perm: str = "accounts.view_grants") -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(permissions.scope_q(actor, perm, field="organization__path"))


def _user_scope_q(actor, perm: str) -> Q:
    """Users with a grant (even revoked) on an organization where the actor holds `perm`, or whose member
    record is there. A superuser sees every account, those without any grant too."""
    if permissions.scope_paths(actor, perm) is None:
        return Q()
    return Q(Exists(_grants_in_scope(actor, perm).filter(user=OuterRef("pk")))) | Q(
        permissions.scope_q(actor, perm, field="member__organization__path"), member__isnull=False
    )


def _scoped_grants_prefetch(actor, *, include_revoked: bool) -> Prefetch:
    grants = _grants_in_scope(actor)
    if not include_revoked:
        grants = grants.filter(revoked_at__isnull=True)
    return Prefetch(
        "grants",
        queryset=grants.select_related("organization").order_by("revoked_at", "organization__path", "role"),
        to_attr="scoped_grants",
    )


def user_list(*, actor, q: str = "") -> QuerySet[User]:
    """Users who work or are members in the actor's part of the tree, each with the active grants found there.

    Grants outside the actor's scope are neither listed nor used to find users: an office sees who works in its
    subtree, not what else those people may do elsewhere. Two queries, whatever the number of users.
    """
    qs = User.objects.filter(_user_scope_q(actor, "accounts.view_grants"))
    if q:
        text = q.strip()
        qs = qs.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
    return (
        qs.select_related("member", "member__organization")
        .prefetch_related(_scoped_grants_prefetch(actor, include_revoked=False))
        .order_by("username")
    )


def access_user(actor, pk, *, perm: str = "accounts.view_grants") -> User:
    """A user account: outside what the actor sees → 404; seen but without `perm` there → 403.

    The returned user carries `scoped_grants`: their grants in the actor's scope, revoked ones included.
    """
    base = User.objects.filter(pk=as_id(pk)) if as_id(pk) is not None else User.objects.none()
    if not base.filter(_user_scope_q(actor, "orgs.view")).exists():
        raise Http404
    if not base.filter(_user_scope_q(actor, perm)).exists():
        raise PermissionDenied
    return (
        base.select_related("member", "member__organization")
        .prefetch_related(_scoped_grants_prefetch(actor, include_revoked=True))
        .get()
    )


def grant_list(*, actor, user: User | None = None, include_revoked: bool = False) -> QuerySet[RoleGrant]:
    """Grants on organizations in the actor's scope, newest first."""
    qs = _grants_in_scope(actor)
    if user is not None:
        qs = qs.filter(user=user)
    if not include_revoked:
        qs = qs.filter(revoked_at__isnull=True)
    return qs.select_related("user", "organization", "granted_by").order_by("-created_at", "-id")


def access_grant(actor, pk, *, perm: str = "accounts.view_grants") -> RoleGrant:
    """One grant: outside the actor's scope → 404, visible without `perm` → 403."""
    try:
        grant = RoleGrant.objects.select_related("user", "organization").get(pk=pk)
    except (RoleGrant.DoesNotExist, ValueError, TypeError):
        raise Http404
    permissions.authorize(actor, "accounts.view_grants", grant.organization.path)
    permissions.authorize(actor, perm, grant.organization.path)
    return grant


def is_locked_out(user: User) -> bool:
    """Whether failed log-ins have locked this account (django-axes), from any client address, and the
    cool-off has not passed. Its API tokens stop working meanwhile: someone is guessing its password."""
    cool_off = get_cool_off()
    attempts = AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.exists()


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, active first."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def access_token(actor, pk) -> ApiToken:
    """Only the owner sees a token; anyone else gets 404."""
    try:
        return ApiToken.objects.get(pk=pk, user_id=getattr(actor, "pk", None))
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404


@dataclass
class AccessLogFilters:
    user: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    record: str = ""


def access_log_list(*, actor, filters: AccessLogFilters | None = None) -> QuerySet[AccessLog]:
    """Access-log entries that showed records in the actor's scope, newest first.

    An entry is in scope when one of the records it showed is (a list or an export covers many records, each
    kept as an item with its organization). "Record" filters on whose data was shown (a name or an id), "user"
    on who looked. One query for the page, plus the count.
    """
    filters = filters or AccessLogFilters()
    paths = permissions.scope_paths(actor, "accounts.view_access_log")
    qs = AccessLog.objects.all()
    if paths is not None:
        scope = permissions.scope_q(actor, "accounts.view_access_log", field="organization_path")
        items = AccessLogItem.objects.filter(
            permissions.scope_q(actor, "accounts.view_access_log", field="organization_path"),
            entry=OuterRef("pk"),
        )
        qs = qs.filter(scope | Q(Exists(items)))
    if filters.user:
        text = filters.user.strip()
        qs = qs.filter(
            Q(user__username__icontains=text)
            | Q(user__first_name__icontains=text)
            | Q(user__last_name__icontains=text)
        )
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz))
    if filters.date_to:
        qs = qs.filter(
            at__lt=dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        )
    if filters.record:
        text = filters.record.strip()
        whose = Q(object_id=text) if text.isdigit() else Q(label__icontains=text)
        qs = qs.filter(
            Q(object_label__icontains=text)
            | Q(object_id=text)
            | Q(Exists(AccessLogItem.objects.filter(whose, entry=OuterRef("pk"))))
        )
    return qs.select_related("user").order_by("-at", "-id")


def grant_history(*, actor, user: User, limit: int = 50) -> list[HistoryEntry]:
    """The change history of a user's grants in the actor's scope: who gave or revoked which role, when.

    One query for all grants (with the organization and the author), so the page stays bounded.
    """
    records = list(
        RoleGrant.history.filter(user_id=user.pk)
        .filter(permissions.scope_q(actor, "accounts.view_grants", field="organization__path"))
        .select_related("history_user", "organization")
        .order_by("history_date", "history_id")
    )
    role_label = RoleGrant._meta.get_field("role").verbose_name
    org_label = RoleGrant._meta.get_field("organization").verbose_name
    revoked_label = RoleGrant._meta.get_field("revoked_at").verbose_name
    previous: dict[int, object] = {}
    entries: list[HistoryEntry] = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        entry = HistoryEntry(
            at=record.history_date,
            user=record.history_user,
            action=str(ACTIONS.get(record.history_type, record.history_type)),
            reason=record.history_change_reason or "",
        )
        if record.history_type == "+" or before is None:
            entry.changes = [
                Change("role", role_label, "—", Role(record.role).label),
                Change("organization", org_label, "—", record.organization.name),
            ]
        elif before.revoked_at != record.revoked_at:
            entry.changes = [
                Change(
                    "revoked_at",
                    revoked_label,
                    _local(before.revoked_at),
                    f"{_local(record.revoked_at)} ({Role(record.role).label} · {record.organization.name})",
                )
            ]
        else:
            continue
        entries.append(entry)
    entries.reverse()
    return entries[:limit]


def _local(value) -> str:
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
