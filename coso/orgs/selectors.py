"""Reads of the organization tree, always scoped by the actor through accounts.permissions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.policies import policy

from .models import (
    CELL_KINDS,
    PATH_SEPARATOR,
    Committee,
    CommitteeKind,
    Organization,
    OrgKind,
    OrgStatus,
    Position,
    SupervisionAssignment,
)


def organization_list(
    *, actor, root: Organization | None = None, include_inactive: bool = False, q: str = "", kind: str = ""
) -> QuerySet[Organization]:
    qs = Organization.objects.filter(permissions.scope_q(actor, "orgs.view"))
    if root is not None:
        qs = qs.filter(Q(path=root.path) | Q(path__startswith=root.path + PATH_SEPARATOR))
    if not include_inactive:
        qs = qs.filter(status=OrgStatus.ACTIVE)
    if q:
        from coso.core.text import fold

        folded = fold(q)
        qs = qs.filter(Q(name_folded__contains=folded) | Q(code__iexact=q.strip()))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("parent").order_by("path")


def access_organization(actor, key, *, perm: str = "orgs.view") -> Organization:
    """Fetch by primary key or code and authorize: outside scope → 404, too low a role → 403."""
    lookup = {"pk": key} if str(key).isdigit() else {"code": key}
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


def member_counts(orgs: list[Organization]) -> dict[int, dict[str, int]]:
    """Members by status for each organization's whole subtree, in one query whatever the number of nodes.

    The database groups members by (organization path, status); each group is added to every listed
    organization whose path is a prefix of it.
    """
    if not orgs:
        return {}
    Member = apps.get_model("members", "Member")
    roots = _minimal_paths([o.path for o in orgs])
    query = Q()
    for path in roots:
        query |= Q(organization__path=path) | Q(organization__path__startswith=path + PATH_SEPARATOR)
    rows = (
        Member.objects.filter(query)
        .values("organization__path", "status")
        .annotate(n=Count("id"))
        .values_list("organization__path", "status", "n")
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


@dataclass
class TreeNode:
    org: Organization
    counts: dict[str, int] = field(default_factory=dict)
    children: list[TreeNode] = field(default_factory=list)

    @property
    def current(self) -> int:
        return sum(self.counts.get(s, 0) for s in ("PROBATIONARY", "FULL", "EXEMPT"))


def organization_tree(
    *, actor, root: Organization | None = None, max_depth: int | None = None
) -> list[TreeNode]:
    """The visible tree with member counts per node, in a constant number of queries."""
    qs = organization_list(actor=actor, root=root)
    if max_depth is not None:
        base = root.depth if root else 0
        qs = qs.filter(depth__lte=base + max_depth)
    orgs = list(qs)
    counts = member_counts(orgs)
    nodes = {o.pk: TreeNode(o, counts.get(o.pk, {})) for o in orgs}
    roots: list[TreeNode] = []
    for org in orgs:
        node = nodes[org.pk]
        parent = nodes.get(org.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def organization_tree_as_of(*, actor, on: dt.date, root: Organization | None = None) -> list[dict]:
    """The tree as it stood at the end of day `on`, from the recorded history (restructurings are dated)."""
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time.max))
    visible = set(
        organization_list(actor=actor, root=root, include_inactive=True).values_list("pk", flat=True)
    )
    snapshot = [
        o
        for o in Organization.history.as_of(moment)
        if o.pk in visible
        and (o.established_on is None or o.established_on <= on)
        and (o.ended_on is None or o.ended_on > on)
    ]
    by_id = {o.pk: {"org": o, "children": []} for o in snapshot}
    roots = []
    for org in sorted(snapshot, key=lambda o: o.name_sort or o.name):
        node = by_id[org.pk]
        parent = by_id.get(org.parent_id)
        (parent["children"] if parent else roots).append(node)
    return roots


def current_committees(org: Organization, *, on: dt.date | None = None) -> list[Committee]:
    on = on or timezone.localdate()
    return list(
        Committee.objects.filter(organization=org, term__starts_on__lte=on)
        .filter(Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=on))
        .select_related("term")
        .prefetch_related(_positions_prefetch(on))
        .order_by("kind")
    )


def _positions_prefetch(on: dt.date):
    from django.db.models import Prefetch

    return Prefetch(
        "positions",
        queryset=Position.objects.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("member")
        .order_by("title", "member__name_sort"),
        to_attr="current_positions",
    )


def supervision_list(
    *, actor, org: Organization, on: dt.date | None = None
) -> QuerySet[SupervisionAssignment]:
    on = on or timezone.localdate()
    return (
        SupervisionAssignment.objects.filter(organization=org, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("supervisor", "assigned_by")
    )


def unsupervised_list(
    *, actor, root: Organization | None = None, on: dt.date | None = None
) -> QuerySet[Organization]:
    """Active grassroots organizations and cells that no committee member currently leads or attends."""
    on = on or timezone.localdate()
    active = SupervisionAssignment.objects.filter(starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    return (
        organization_list(actor=actor, root=root)
        .filter(kind__in=[OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL, OrgKind.CELL])
        .exclude(pk__in=active.values("organization_id"))
    )


@dataclass
class Warning:
    code: str
    message: str
    source: str


def structure_warnings(org: Organization, *, counts: dict[str, int] | None = None) -> list[Warning]:
    """Structural rules (Charter Art. 21-24), shown as warnings and never blocking historical data."""
    if not org.is_active:
        return []
    warnings: list[Warning] = []
    today = timezone.localdate()
    if counts is None:
        counts = member_counts([org]).get(org.pk, {})
    official = counts.get("FULL", 0) + counts.get("EXEMPT", 0)
    current = official + counts.get("PROBATIONARY", 0)
    if org.kind in CELL_KINDS:
        minimum = policy("cell.min_official_members", today)
        if official < minimum:
            warnings.append(
                Warning(
                    "cell_too_small",
                    _("A cell needs at least %(n)d full members; this one has %(k)d.")
                    % {"n": minimum, "k": official},
                    "Điều lệ Đảng 2011, Điều 21",
                )
            )
        committee_from = policy("cell.committee_min_official_members", today)
        max_size = policy("cell.committee_max_size", today)
        committees = [c for c in current_committees(org) if c.kind == CommitteeKind.CELL_COMMITTEE]
        if committees:
            size = len(committees[0].current_positions)
            if official < committee_from:
                warnings.append(
                    Warning(
                        "cell_committee_too_early",
                        _("A cell elects a cell committee only from %(n)d full members; this one has %(k)d.")
                        % {"n": committee_from, "k": official},
                        "Điều lệ Đảng 2011, Điều 24",
                    )
                )
            if size > max_size:
                warnings.append(
                    Warning(
                        "cell_committee_too_large",
                        _("A cell committee has at most %(n)d members; this one has %(k)d.")
                        % {"n": max_size, "k": size},
                        "QĐ 232-QĐ/TW",
                    )
                )
        elif official >= committee_from:
            warnings.append(
                Warning(
                    "cell_committee_missing",
                    _("With %(k)d full members this cell should elect a cell committee.") % {"k": official},
                    "Điều lệ Đảng 2011, Điều 24",
                )
            )
    threshold = policy("grassroots.committee_min_members", today)
    if org.kind == OrgKind.GRASSROOTS_CELL and current >= threshold:
        warnings.append(
            Warning(
                "grassroots_cell_too_large",
                _(
                    "A grassroots organization with %(n)d or more members should be a grassroots committee with "
                    "cells; this one has %(k)d."
                )
                % {"n": threshold, "k": current},
                "Điều lệ Đảng 2011, Điều 21",
            )
        )
    if org.kind == OrgKind.GRASSROOTS_COMMITTEE:
        if not Organization.objects.filter(parent=org, status=OrgStatus.ACTIVE).exists():
            warnings.append(
                Warning(
                    "committee_without_cells",
                    _("A grassroots committee should have cells under it."),
                    "Điều lệ Đảng 2011, Điều 21",
                )
            )
        elif current and current < threshold:
            warnings.append(
                Warning(
                    "grassroots_committee_small",
                    _("A grassroots committee usually has at least %(n)d members; this one has %(k)d.")
                    % {"n": threshold, "k": current},
                    "Điều lệ Đảng 2011, Điều 21",
                )
            )
    return warnings
