"""The tree, nested, with member counts rolled up; also as it stood on a date, and searched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from coso.accounts import permissions

from ..models import Organization, OrgStatus
from .organizations import count_summary, member_counts, organization_list, scope_base_depth


@dataclass
class TreeNode:
    org: Organization
    counts: dict[str, int] = field(default_factory=dict)
    children: list[TreeNode] = field(default_factory=list)
    # Whether the node has sub-organizations, also when they were not loaded (lazy expansion).
    has_children: bool = False
    matched: bool = False
    # On a past date only the number of members is known (from their membership periods).
    total_as_of: int | None = None
    # Children not shown yet (the page shows a level's first ones and loads the rest on demand).
    more: int = 0
    next_offset: int = 0

    @property
    def current(self) -> int:
        return sum(self.counts.get(s, 0) for s in ("PROBATIONARY", "FULL", "EXEMPT"))

    @cached_property
    def summary(self) -> dict[str, int]:
        return count_summary(self.counts)

    @property
    def total(self) -> int:
        return self.current if self.total_as_of is None else self.total_as_of

    @property
    def loaded(self) -> bool:
        return bool(self.children) or not self.has_children


def _build_tree(orgs: list[Organization], counts: dict[int, dict[str, int]]) -> list[TreeNode]:
    nodes = {o.pk: TreeNode(o, counts.get(o.pk, {})) for o in orgs}
    roots: list[TreeNode] = []
    for org in orgs:
        node = nodes[org.pk]
        parent = nodes.get(org.parent_id)
        if parent is not None:
            parent.children.append(node)
            parent.has_children = True
        else:
            roots.append(node)
    return roots


def _walk(nodes: list[TreeNode]):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def organization_tree(
    *,
    actor,
    root: Organization | None = None,
    max_depth: int | None = None,
    include_inactive: bool = False,
) -> list[TreeNode]:
    """The visible tree with member counts per node, in a constant number of queries.

    With `max_depth`, levels below it are not loaded (the page expands them on demand); nodes on the last
    loaded level still know whether they have sub-organizations (one more query).
    """
    qs = organization_list(actor=actor, root=root, include_inactive=include_inactive)
    boundary = None
    if max_depth is not None:
        boundary = (root.depth if root else scope_base_depth(actor, "orgs.view")) + max_depth
        qs = qs.filter(depth__lte=boundary)
    orgs = list(qs)
    roots = _build_tree(orgs, member_counts(orgs))
    if boundary is not None:
        edge = {o.pk for o in orgs if o.depth >= boundary}
        if edge:
            below = Organization.objects.filter(parent_id__in=edge)
            if not include_inactive:
                below = below.filter(status=OrgStatus.ACTIVE)
            with_children = set(below.order_by().values_list("parent_id", flat=True).distinct())
            for node in _walk(roots):
                if node.org.pk in with_children:
                    node.has_children = True
    return roots


def organization_search_tree(
    *, actor, q: str, include_inactive: bool = False, limit: int = 200
) -> list[TreeNode]:
    """Organizations whose name (without accents) or code matches, shown inside their visible ancestors."""
    matches = list(organization_list(actor=actor, q=q, include_inactive=include_inactive)[:limit])
    match_paths = {o.path for o in matches}
    wanted = {p for o in matches for p in o.ancestor_paths} - match_paths
    ancestors = (
        list(
            Organization.objects.filter(
                permissions.scope_q(actor, "orgs.view"), path__in=wanted
            ).select_related("parent")
        )
        if wanted
        else []
    )
    orgs = sorted(matches + ancestors, key=lambda o: o.path)
    roots = _build_tree(orgs, member_counts(orgs))
    for node in _walk(roots):
        node.matched = node.org.path in match_paths
    return roots


def member_totals_as_of(org_ids, on: dt.date) -> dict[int, int]:
    """Members directly in each organization on day `on`, from the membership periods (one query)."""
    MembershipPeriod = apps.get_model("members", "MembershipPeriod")
    rows = (
        _periods_on(MembershipPeriod.objects.filter(organization_id__in=list(org_ids)), on)
        .values("organization_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("organization_id", "n")
    )
    return dict(rows)


def _periods_on(qs, on: dt.date):
    return qs.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))


def organization_tree_as_of(
    *,
    actor,
    on: dt.date,
    root: Organization | None = None,
    with_counts: bool = False,
    max_depth: int | None = None,
) -> list[TreeNode]:
    """The tree as it stood at the end of day `on`, from the recorded history (restructurings are dated).

    With `with_counts`, each node carries the members of its subtree on that day (membership periods). With
    `max_depth`, as for the current tree, deeper levels are not loaded but the nodes know they have children.
    """
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time.max))
    visible = organization_list(actor=actor, root=root, include_inactive=True).values("pk")
    snapshot = [
        o
        for o in Organization.history.as_of(moment).filter(id__in=visible)
        if (o.established_on is None or o.established_on <= on) and (o.ended_on is None or o.ended_on > on)
    ]
    snapshot.sort(key=lambda o: o.path)
    # The whole snapshot is read (its shape that day decides what rolls up where), only the top is drawn.
    boundary = None
    if max_depth is not None:
        boundary = (root.depth if root else scope_base_depth(actor, "orgs.view")) + max_depth
    shown = snapshot if boundary is None else [o for o in snapshot if o.depth <= boundary]
    roots = _build_tree(shown, {})
    if boundary is not None:
        edge_parents = {o.parent_id for o in snapshot if o.depth == boundary + 1}
        for node in _walk(roots):
            node.has_children = node.has_children or node.org.pk in edge_parents
    if with_counts:
        direct = member_totals_as_of([o.pk for o in snapshot], on)
        totals = dict(direct)
        # Deepest first, each organization adds its total to its parent's (as the tree stood that day).
        for org in sorted(snapshot, key=lambda o: -o.depth):
            if org.parent_id is not None:
                totals[org.parent_id] = totals.get(org.parent_id, 0) + totals.get(org.pk, 0)
        for node in _walk(roots):
            node.total_as_of = totals.get(node.org.pk, 0)
    return roots
