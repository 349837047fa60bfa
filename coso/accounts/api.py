"""JSON API for accounts: who am I (`/me`) and role grants (`/grants/`), mounted by coso.api.api."""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from coso.core.exceptions import CosoError
from coso.orgs.selectors import access_organization

from . import permissions, selectors, services
from .models import Role, RoleGrant

router = Router()

MAX_PAGE_SIZE = 200


class OrgRef(Schema):
    id: int
    code: str
    name: str


class GrantOut(Schema):
    id: int
    user_id: int
    username: str
    role: str
    role_label: str
    organization: OrgRef
    granted_by: str | None
    created_at: datetime
    revoked_at: datetime | None


class GrantPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[GrantOut]


class GrantIn(Schema):
    user: int
    organization: int | str
    role: Role


class MemberRef(Schema):
    id: int
    full_name: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    language: str
    is_superuser: bool
    member: MemberRef | None
    roles: list[str]
    grants: list[GrantOut]
    permissions: list[str]


def _grant_out(grant: RoleGrant) -> dict:
    return {
        "id": grant.pk,
        "user_id": grant.user_id,
        "username": grant.user.username,
        "role": grant.role,
        "role_label": str(grant.get_role_display()),
        "organization": {
            "id": grant.organization.pk,
            "code": grant.organization.code,
            "name": grant.organization.name,
        },
        "granted_by": grant.granted_by.username if grant.granted_by_id else None,
        "created_at": grant.created_at,
        "revoked_at": grant.revoked_at,
    }


@router.get("me", response=MeOut, url_name="me", summary="Who am I: my account, roles and permissions")
def me(request: HttpRequest):
    user = request.user
    grants = list(
        RoleGrant.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("user", "organization", "granted_by")
        .order_by("organization__path", "role")
    )
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.get_full_name(),
        "language": user.language,
        "is_superuser": user.is_superuser,
        "member": {"id": user.member.pk, "full_name": user.member.full_name} if user.member_id else None,
        "roles": sorted({grant.role for grant in grants}),
        "grants": [_grant_out(grant) for grant in grants],
        "permissions": sorted(code for code in permissions.PERMISSIONS if permissions.has_any(user, code)),
    }


def _require(user, perm: str) -> None:
    if not permissions.has_any(user, perm):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied


@router.get("grants/", response=GrantPage, url_name="grant_list", summary="List role grants in my scope")
def grant_list(
    request: HttpRequest,
    user: int | None = None,
    include_revoked: bool = False,
    page: int = 1,
    page_size: int = 50,
):
    _require(request.user, "accounts.view_grants")
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."),
            fields={"page_size" if page >= 1 else "page": [_("The value is out of range.")]},
            code="invalid",
        )
    qs = selectors.grant_list(actor=request.user, include_revoked=include_revoked)
    if user is not None:
        qs = qs.filter(user_id=user)
    paginator = Paginator(qs, page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_grant_out(grant) for grant in current.object_list],
    }


@router.post("grants/", response={201: GrantOut}, url_name="grant_create", summary="Grant a role")
def grant_create(request: HttpRequest, payload: GrantIn):
    organization = access_organization(request.user, payload.organization, perm="accounts.manage_grants")
    user = selectors.access_user(request.user, payload.user, perm="accounts.manage_grants")
    grant = services.grant_create(actor=request.user, user=user, organization=organization, role=payload.role)
    return 201, _grant_out(selectors.grant_list(actor=request.user, include_revoked=True).get(pk=grant.pk))


@router.post(
    "grants/{int:grant_id}/revoke", response=GrantOut, url_name="grant_revoke", summary="Revoke a role grant"
)
def grant_revoke(request: HttpRequest, grant_id: int):
    grant = selectors.access_grant(request.user, grant_id, perm="accounts.manage_grants")
    services.grant_revoke(actor=request.user, grant=grant)
    return _grant_out(selectors.grant_list(actor=request.user, include_revoked=True).get(pk=grant.pk))
