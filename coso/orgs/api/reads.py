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
from .schemas import OrgDetailOut, OrgPage, RestructuringPage, TreeNodeOut, UnsupervisedPage

# Levels of the tree given below its root: by default the children only, at most three levels.
TREE_DEPTH = 1
MAX_TREE_DEPTH = 3


def _org_page(qs, page: int, page_size: int) -> dict:
    """One page of organizations with the member counts of each one's subtree (kept counts, one query)."""
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
    return _org_page(qs, page, page_size)


@router.get("/tree", response=list[TreeNodeOut], url_name="organization_tree", summary="The tree, nested")
def organization_tree(
    request: HttpRequest,
    root: str | None = None,
    as_of: str | None = None,
    include_inactive: bool = False,
    max_depth: int = TREE_DEPTH,
):
    """`root`: id or code of the subtree's root (default: the top of what you may see); `as_of`: the tree as it
    stood on that date (yyyy-mm-dd or dd/mm/yyyy), with the members recorded in each organization on that day.

    `max_depth` levels below the root are given (0 to 3, default 1), so that the answer stays small at
    province scale; a node with `has_children` and no `children` is opened by asking again with `root` = its id.
    Counts are always those of each node's whole subtree."""
    if not 0 <= max_depth <= MAX_TREE_DEPTH:
        raise CosoError(
            _("Please correct the errors."),
            fields={"max_depth": [_("The value is out of range.")]},
            code="invalid",
        )
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
        nodes = selectors.organization_tree_as_of(
            actor=request.user, on=on, root=root_org, with_counts=True, max_depth=max_depth
        )
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
    response=UnsupervisedPage,
    url_name="organization_unsupervised_list",
    summary="Organizations nobody supervises",
)
def organization_unsupervised_list(
    request: HttpRequest, under: int | None = None, page: int = 1, page_size: int = 25
):
    """Active grassroots organizations and cells in your scope that no committee member leads or attends, in
    tree order; `under` keeps those of one organization's subtree (e.g. a commune)."""
    _paging(page, page_size)
    root = _access(request, under) if under is not None else None
    paginator = Paginator(
        selectors.unsupervised_list(actor=request.user, root=root).select_related("parent"), page_size
    )
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [
            {"organization": _ref(o), "parent": _ref(o.parent), "needed": selectors.needed_supervision(o)}
            for o in current.object_list
        ],
    }


@router.get("/{int:org_id}", response=OrgDetailOut, url_name="organization_detail", summary="An organization")
def organization_detail(request: HttpRequest, org_id: int):
    return _detail(request, _access(request, org_id))


@router.get(
    "/{int:org_id}/subtree",
    response=OrgPage,
    url_name="organization_subtree",
    summary="The subtree, flat, in tree order",
)
def organization_subtree(
    request: HttpRequest, org_id: int, include_inactive: bool = False, page: int = 1, page_size: int = 100
):
    """The organization and everything under it, a page at a time, in tree order (parents before children)."""
    _paging(page, page_size)
    org = _access(request, org_id)
    qs = selectors.organization_list(actor=request.user, root=org, include_inactive=include_inactive)
    return _org_page(qs, page, page_size)
