"""Reads of the organization tree, always scoped by the actor through accounts.permissions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.policies import policy
from coso.core.text import as_id, fold

from .models import (
    CELL_KINDS,
    GRASSROOTS_KINDS,
    PATH_SEPARATOR,
    TITLE_ORDER,
    Committee,
    CommitteeKind,
    Organization,
    OrgKind,
    OrgStatus,
    Position,
    RestructuringEvent,
    SupervisionAssignment,
    SupervisionKind,
    Term,
)


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

    @property
    def current(self) -> int:
        return sum(self.counts.get(s, 0) for s in ("PROBATIONARY", "FULL", "EXEMPT"))

    @property
    def summary(self) -> dict[str, int]:
        return count_summary(self.counts)

    @property
    def total(self) -> int:
        return self.current if self.total_as_of is None else self.total_as_of

    @property
    def loaded(self) -> bool:
        return bool(self.children) or not self.has_children


def _scope_base_depth(actor) -> int:
    paths = permissions.scope_paths(actor, "orgs.view")
    if not paths:
        return 0
    return min(p.count(PATH_SEPARATOR) for p in paths)


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
        boundary = (root.depth if root else _scope_base_depth(actor)) + max_depth
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
        MembershipPeriod.objects.filter(organization_id__in=list(org_ids), starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .values("organization_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("organization_id", "n")
    )
    return dict(rows)


def organization_tree_as_of(
    *, actor, on: dt.date, root: Organization | None = None, with_counts: bool = False
) -> list[TreeNode]:
    """The tree as it stood at the end of day `on`, from the recorded history (restructurings are dated).

    With `with_counts`, each node carries the members of its subtree on that day (membership periods).
    """
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time.max))
    visible = organization_list(actor=actor, root=root, include_inactive=True).values("pk")
    snapshot = [
        o
        for o in Organization.history.as_of(moment).filter(id__in=visible)
        if (o.established_on is None or o.established_on <= on) and (o.ended_on is None or o.ended_on > on)
    ]
    snapshot.sort(key=lambda o: o.path)
    roots = _build_tree(snapshot, {})
    if with_counts:
        direct = member_totals_as_of([o.pk for o in snapshot], on)

        def roll_up(node: TreeNode) -> int:
            node.total_as_of = direct.get(node.org.pk, 0) + sum(roll_up(child) for child in node.children)
            return node.total_as_of

        for node in roots:
            roll_up(node)
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
        .order_by(TITLE_ORDER, "member__name_sort"),
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
    bulk_counts = None if counts is None else {org.pk: counts}
    return structure_warnings_bulk([org], counts=bulk_counts).get(org.pk, [])


def structure_warnings_bulk(
    orgs: list[Organization], *, counts: dict[int, dict[str, int]] | None = None, on: dt.date | None = None
) -> dict[int, list[Warning]]:
    """`structure_warnings` for many organizations at once, in at most three queries whatever their number."""
    on = on or timezone.localdate()
    active = [o for o in orgs if o.is_active]
    result: dict[int, list[Warning]] = {o.pk: [] for o in orgs}
    if not active:
        return result
    if counts is None:
        counts = member_counts(active)
    cell_ids = [o.pk for o in active if o.kind in CELL_KINDS]
    committee_ids = [o.pk for o in active if o.kind == OrgKind.GRASSROOTS_COMMITTEE]
    # Size of each cell's current cell committee (None: the cell has none).
    committee_sizes: dict[int, int] = {}
    if cell_ids:
        current_position = Q(positions__starts_on__lte=on) & (
            Q(positions__ends_on__isnull=True) | Q(positions__ends_on__gte=on)
        )
        rows = (
            Committee.objects.filter(
                organization_id__in=cell_ids, kind=CommitteeKind.CELL_COMMITTEE, term__starts_on__lte=on
            )
            .filter(Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=on))
            .annotate(n=Count("positions", filter=current_position))
            .values_list("organization_id", "n")
        )
        for org_id, n in rows:
            committee_sizes[org_id] = max(n, committee_sizes.get(org_id, 0))
    with_units: set[int] = set()
    if committee_ids:
        with_units = set(
            Organization.objects.filter(parent_id__in=committee_ids, status=OrgStatus.ACTIVE)
            .order_by()
            .values_list("parent_id", flat=True)
            .distinct()
        )
    minimum = policy("cell.min_official_members", on)
    committee_from = policy("cell.committee_min_official_members", on)
    max_size = policy("cell.committee_max_size", on)
    threshold = policy("grassroots.committee_min_members", on)
    for org in active:
        result[org.pk] = _warnings_for(
            org,
            counts.get(org.pk, {}),
            committee_size=committee_sizes.get(org.pk),
            has_units=org.pk in with_units,
            minimum=minimum,
            committee_from=committee_from,
            max_size=max_size,
            threshold=threshold,
        )
    return result


def _warnings_for(
    org: Organization,
    counts: dict[str, int],
    *,
    committee_size: int | None,
    has_units: bool,
    minimum: int,
    committee_from: int,
    max_size: int,
    threshold: int,
) -> list[Warning]:
    warnings: list[Warning] = []
    official = counts.get("FULL", 0) + counts.get("EXEMPT", 0)
    current = official + counts.get("PROBATIONARY", 0)
    if org.kind in CELL_KINDS:
        if official < minimum:
            warnings.append(
                Warning(
                    "cell_too_small",
                    _("A cell needs at least %(n)d full members; this one has %(k)d.")
                    % {"n": minimum, "k": official},
                    "Điều lệ Đảng 2011, Điều 21",
                )
            )
        if committee_size is not None:
            if official < committee_from:
                warnings.append(
                    Warning(
                        "cell_committee_too_early",
                        _("A cell elects a cell committee only from %(n)d full members; this one has %(k)d.")
                        % {"n": committee_from, "k": official},
                        "Điều lệ Đảng 2011, Điều 24",
                    )
                )
            if committee_size > max_size:
                warnings.append(
                    Warning(
                        "cell_committee_too_large",
                        _("A cell committee has at most %(n)d members; this one has %(k)d.")
                        % {"n": max_size, "k": committee_size},
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
        if not has_units:
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


# --- the organization page ----------------------------------------------------------------------------------


def organization_children(
    *, actor, org: Organization, include_inactive: bool = True
) -> list[tuple[Organization, dict[str, int], list[Warning]]]:
    """Sub-organizations in scope with their counts and warnings (three queries whatever their number)."""
    children = list(organization_list(actor=actor, parent=org, include_inactive=include_inactive))
    counts = member_counts(children)
    warnings = structure_warnings_bulk(children, counts=counts)
    return [(child, count_summary(counts.get(child.pk, {})), warnings[child.pk]) for child in children]


def term_list(org: Organization) -> list[Term]:
    """Every term of the organization, newest first, with its committees and all their positions."""
    from django.db.models import Prefetch

    positions = Position.objects.select_related("member").order_by(
        F("ends_on").asc(nulls_first=True), TITLE_ORDER, "member__name_sort"
    )
    committees = Committee.objects.order_by("kind").prefetch_related(
        Prefetch("positions", queryset=positions)
    )
    return list(
        Term.objects.filter(organization=org)
        .order_by("-starts_on")
        .prefetch_related(Prefetch("committees", queryset=committees))
    )


def current_term(terms: list[Term], *, on: dt.date | None = None) -> Term | None:
    on = on or timezone.localdate()
    for term in terms:
        if term.starts_on <= on and (term.ends_on is None or term.ends_on >= on):
            return term
    return None


def _active_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def supervisions_assigned_by(
    org: Organization, *, on: dt.date | None = None
) -> QuerySet[SupervisionAssignment]:
    """What the organization's committee supervises: its members leading or attending units under it."""
    on = on or timezone.localdate()
    return (
        SupervisionAssignment.objects.filter(_active_on(on), assigned_by=org)
        .select_related("supervisor", "organization")
        .order_by("organization__path", "starts_on")
    )


def restructuring_list(*, actor, org: Organization | None = None) -> QuerySet[RestructuringEvent]:
    """Restructurings touching an organization the actor may see (or touching `org`), newest first."""
    source_links = RestructuringEvent.sources.through
    target_links = RestructuringEvent.targets.through
    if org is not None:
        source_q = source_links.objects.filter(organization_id=org.pk)
        target_q = target_links.objects.filter(organization_id=org.pk)
    else:
        scope = permissions.scope_q(actor, "orgs.view", field="organization__path")
        source_q = source_links.objects.filter(scope)
        target_q = target_links.objects.filter(scope)
    return (
        RestructuringEvent.objects.filter(
            Q(pk__in=source_q.values("restructuringevent_id"))
            | Q(pk__in=target_q.values("restructuringevent_id"))
        )
        .select_related("recorded_by")
        .prefetch_related("sources", "targets")
        .order_by("-effective_on", "-id")
    )


def access_restructuring(actor, pk: int) -> RestructuringEvent:
    event = restructuring_list(actor=actor).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event


def _access_through_org(actor, obj, path: str, perm: str):
    permissions.authorize(actor, perm, path)
    return obj


def access_term(actor, pk: int, *, perm: str = "orgs.view") -> Term:
    term = Term.objects.select_related("organization").filter(pk=pk).first()
    if term is None:
        raise Http404
    return _access_through_org(actor, term, term.organization.path, perm)


def access_committee(actor, pk: int, *, perm: str = "orgs.view") -> Committee:
    committee = Committee.objects.select_related("organization", "term").filter(pk=pk).first()
    if committee is None:
        raise Http404
    return _access_through_org(actor, committee, committee.organization.path, perm)


def access_position(actor, pk: int, *, perm: str = "orgs.view") -> Position:
    position = (
        Position.objects.select_related("committee__organization", "committee__term", "member")
        .filter(pk=pk)
        .first()
    )
    if position is None:
        raise Http404
    return _access_through_org(actor, position, position.committee.organization.path, perm)


def access_supervision(actor, pk: int) -> SupervisionAssignment:
    """Visible through the supervised organization; the service checks the right to change it."""
    assignment = (
        SupervisionAssignment.objects.select_related("organization", "assigned_by", "supervisor")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404
    return _access_through_org(actor, assignment, assignment.organization.path, "orgs.view")


# --- supervision coverage -----------------------------------------------------------------------------------


def needed_supervision(org: Organization) -> str:
    """A grassroots organization needs a standing-committee member who leads it; a cell, an executive-committee
    member who attends and directs it."""
    return SupervisionKind.LEAD if org.kind in GRASSROOTS_KINDS else SupervisionKind.ATTEND


def supervision_coverage(*, actor, on: dt.date | None = None) -> dict:
    """Unsupervised organizations grouped by parent, and the current assignments, in scope (three queries)."""
    on = on or timezone.localdate()
    unsupervised = list(unsupervised_list(actor=actor, on=on))
    groups: dict[int | None, dict] = {}
    for org in unsupervised:
        group = groups.setdefault(org.parent_id, {"parent": org.parent, "items": []})
        group["items"].append({"org": org, "needed": needed_supervision(org)})
    assignments = (
        SupervisionAssignment.objects.filter(
            _active_on(on), permissions.scope_q(actor, "orgs.view", field="organization__path")
        )
        .select_related("supervisor__organization", "organization", "assigned_by")
        .order_by("organization__path", "starts_on")
    )
    return {"unsupervised": unsupervised, "groups": list(groups.values()), "assignments": list(assignments)}


def supervisor_choices(*, actor, on: dt.date | None = None) -> QuerySet[Position]:
    """Current committee seats the actor may assign supervision from (member + the committee's organization)."""
    on = on or timezone.localdate()
    return (
        Position.objects.filter(
            _active_on(on),
            permissions.scope_q(actor, "orgs.change", field="committee__organization__path"),
            member__status__in=("FULL", "EXEMPT", "PROBATIONARY"),
        )
        .filter(Q(committee__term__ends_on__isnull=True) | Q(committee__term__ends_on__gte=on))
        .exclude(committee__organization__kind__in=CELL_KINDS)
        .select_related("member", "committee__organization", "committee__term")
        .order_by("committee__organization__path", "committee__kind", "title", "member__name_sort")
    )


def open_seats(orgs) -> int:
    """Seats still held on the committees of `orgs` (one count query)."""
    return Position.objects.filter(committee__organization__in=list(orgs), ends_on__isnull=True).count()
