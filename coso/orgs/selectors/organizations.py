"""Organizations in the actor's scope: list, access, ancestors, subtree, member counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.apps import apps
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from coso.accounts import permissions
from coso.core.text import as_id, fold

from ..models import PATH_SEPARATOR, Organization, OrgStatus


def organization_list(
    *,
    actor,
    root: Organization | None = None,
    include_inactive: bool = False,
    q: str = "",
    kind: str = "",
    status: str = "",
    parent: Organization | None = None,
    perm: str = "orgs.view",
) -> QuerySet[Organization]:
    """Organizations in the actor's scope, in tree order. `status` "" means active only unless
    `include_inactive`; "all" means every status."""
    qs = Organization.objects.filter(permissions.scope_q(actor, perm))
    if root is not None:
        qs = qs.filter(Q(path=root.path) | Q(path__startswith=root.path + PATH_SEPARATOR))
    if status and status != "all":
        qs = qs.filter(status=status)
    elif not include_inactive and status != "all":
        qs = qs.filter(status=OrgStatus.ACTIVE)
    if q:
        folded = fold(q)
        qs = qs.filter(Q(name_folded__contains=folded) | Q(code__iexact=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.select_related("parent").order_by("path")


def access_organization(actor, key, *, perm: str = "orgs.view") -> Organization:
    """Fetch by primary key or code and authorize: outside scope → 404, too low a role → 403."""
    lookup = {"pk": as_id(key)} if as_id(key) is not None else {"code": key}
    try:
        org = Organization.objects.select_related("parent", "successor").get(**lookup)
    except Organization.DoesNotExist:
        raise Http404
    permissions.authorize(actor, perm, org.path)
    return org


def organization_ancestors(org: Organization) -> QuerySet[Organization]:
    """All ancestors, root first, in one indexed query on their paths."""
    return Organization.objects.filter(path__in=org.ancestor_paths).order_by("depth")


def organization_subtree(org: Organization, *, include_self: bool = True) -> QuerySet[Organization]:
    query = Q(path__startswith=org.path + PATH_SEPARATOR)
    if include_self:
        query |= Q(path=org.path)
    return Organization.objects.filter(query)


def scope_base_depth(actor, perm: str) -> int:
    """The depth of the highest organization where the actor holds `perm` (0 for the whole tree)."""
    paths = permissions.scope_paths(actor, perm)
    if not paths:
        return 0
    return min(p.count(PATH_SEPARATOR) for p in paths)


def member_counts(orgs: list[Organization]) -> dict[int, dict[str, int]]:
    """Members by status for each organization's whole subtree, in one query whatever the number of nodes.

    The database adds up the kept counts by status and by the prefix of their organization's path down to the
    deepest listed level (a province and its communes: 40 groups, not one per cell); each group is added to
    every listed organization whose path is a prefix of it.
    """
    if not orgs:
        return {}
    # The per-organization counts that the database keeps (members.MemberCount): a few rows per organization
    # instead of every member record.
    MemberCount = apps.get_model("members", "MemberCount")
    roots = _minimal_paths([o.path for o in orgs])
    query = Q()
    for path in roots:
        query |= Q(organization__path=path) | Q(organization__path__startswith=path + PATH_SEPARATOR)
    width = max(len(o.path) for o in orgs)
    rows = (
        MemberCount.objects.filter(query)
        .exclude(n=0)
        .annotate(prefix=Substr("organization__path", 1, width))
        .order_by()
        .values("prefix", "status")
        .annotate(total=Sum("n"))
        .values_list("prefix", "status", "total")
    )
    by_path = {o.path: o.pk for o in orgs}
    counts: dict[int, dict[str, int]] = {o.pk: defaultdict(int) for o in orgs}
    for path, status, n in rows:
        segments = path.split(PATH_SEPARATOR)
        for i in range(1, len(segments) + 1):
            pk = by_path.get(PATH_SEPARATOR.join(segments[:i]))
            if pk is not None:
                counts[pk][status] += n
    return {pk: dict(c) for pk, c in counts.items()}


def _minimal_paths(paths: list[str]) -> list[str]:
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path == kept or path.startswith(kept + PATH_SEPARATOR) for kept in result):
            result.append(path)
    return result


def count_summary(counts: dict[str, int]) -> dict[str, int]:
    """The figures offices read: full, probationary, exempted, and current members (the three together)."""
    full = counts.get("FULL", 0)
    probationary = counts.get("PROBATIONARY", 0)
    exempt = counts.get("EXEMPT", 0)
    return {
        "full": full,
        "probationary": probationary,
        "exempt": exempt,
        "total": full + probationary + exempt,
    }


def _active_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def active_children_count(orgs) -> int:
    """Active sub-organizations directly under `orgs` (one count query)."""
    return Organization.objects.filter(parent__in=list(orgs), status=OrgStatus.ACTIVE).count()
