"""Reads: the list, the nested tree, restructuring events, unsupervised organizations, an organization and its subtree."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import CosoError

from .. import selectors
from ..models import OrgKind, OrgStatus
from ._common import (
    _access,
    _detail,
    _org_out,
    _paging,
    _parse_date,
    _ref,
    _restructuring_out,
    _tree_out,
    router,
)
from .schemas import OrgDetailOut, OrgOut, OrgPage, RestructuringPage, TreeNodeOut, UnsupervisedOut


@router.get("/", response=OrgPage, url_name="organization_list", summary="List organizations")
def organization_list(
    request: HttpRequest,
    q: str = "",
    kind: OrgKind | None = None,
    status: str = "",
    parent: int | None = None,
    page: int = 1,
    page_size: int = 25,
):
    """Organizations in the caller's scope, in tree order, with member counts for each one's subtree.

    `q` matches the name without regard to accents, or the exact code; `status` is "" (active), "all", or one
    status (ACTIVE, MERGED, SPLIT, DISSOLVED); `parent` lists the direct children of one organization."""
    _paging(page, page_size)
    if status and status != "all" and status not in OrgStatus.values:
        raise CosoError(
            _("Please correct the errors."), fields={"status": [_("Unknown status.")]}, code="invalid"
        )
    parent_org = _access(request, parent) if parent is not None else None
    qs = selectors.organization_list(
        actor=request.user, q=q, kind=kind or "", status=status, parent=parent_org
    )
    paginator = Paginator(qs, page_size)
    current = paginator.get_page(page)
    orgs = list(current.object_list)
    counts = selectors.member_counts(orgs)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_org_out(o, counts.get(o.pk, {})) for o in orgs],
    }


@router.get("/tree", response=list[TreeNodeOut], url_name="organization_tree", summary="The tree, nested")
def organization_tree(
    request: HttpRequest,
    root: str | None = None,
    as_of: str | None = None,
    include_inactive: bool = False,
    max_depth: int | None = None,
):
    """`root`: id or code of the subtree's root (default: everything you may see); `as_of`: the tree as it stood
    on that date (yyyy-mm-dd or dd/mm/yyyy), with the members recorded in each organization on that day."""
    if not permissions.has_any(request.user, "orgs.view"):
        return []
    root_org = selectors.access_organization(request.user, root) if root else None
    if as_of:
        on = _parse_date(as_of)
        if not isinstance(on, dt.date) or on > timezone.localdate():
            raise CosoError(
                _("Please correct the errors."),
                fields={"as_of": [_("Give a past date as yyyy-mm-dd or dd/mm/yyyy.")]},
                code="invalid",
            )
        nodes = selectors.organization_tree_as_of(actor=request.user, on=on, root=root_org, with_counts=True)
    else:
        nodes = selectors.organization_tree(
            actor=request.user, root=root_org, max_depth=max_depth, include_inactive=include_inactive
        )
    return [_tree_out(node) for node in nodes]


@router.get(
    "/restructurings",
    response=RestructuringPage,
    url_name="restructuring_list",
    summary="Restructurings in your scope",
)
def restructuring_list(
    request: HttpRequest, organization: int | None = None, page: int = 1, page_size: int = 25
):
    _paging(page, page_size)
    org = _access(request, organization) if organization is not None else None
    paginator = Paginator(selectors.restructuring_list(actor=request.user, org=org), page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_restructuring_out(e) for e in current.object_list],
    }


@router.get(
    "/unsupervised",
    response=list[UnsupervisedOut],
    url_name="organization_unsupervised_list",
    summary="Organizations nobody supervises",
)
def organization_unsupervised_list(request: HttpRequest):
    return [
        {"organization": _ref(o), "parent": _ref(o.parent), "needed": selectors.needed_supervision(o)}
        for o in selectors.unsupervised_list(actor=request.user)
    ]


@router.get("/{int:org_id}", response=OrgDetailOut, url_name="organization_detail", summary="An organization")
def organization_detail(request: HttpRequest, org_id: int):
    return _detail(request, _access(request, org_id))


@router.get(
    "/{int:org_id}/subtree",
    response=list[OrgOut],
    url_name="organization_subtree",
    summary="The subtree, flat, in tree order",
)
def organization_subtree(request: HttpRequest, org_id: int, include_inactive: bool = False):
    org = _access(request, org_id)
    orgs = list(selectors.organization_list(actor=request.user, root=org, include_inactive=include_inactive))
    counts = selectors.member_counts(orgs)
    return [_org_out(o, counts.get(o.pk, {})) for o in orgs]
