"""Supervision: current assignments, organizations without supervision, coverage, choices."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from coso.accounts import permissions

from ..models import (
    CELL_KINDS,
    GRASSROOTS_KINDS,
    PATH_SEGMENT_WIDTH,
    PATH_SEPARATOR,
    Organization,
    OrgKind,
    Position,
    SupervisionAssignment,
    SupervisionKind,
)
from .organizations import _active_on, organization_list, scope_base_depth


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


def needed_supervision(org: Organization) -> str:
    """A grassroots organization needs a standing-committee member who leads it; a cell, an executive-committee
    member who attends and directs it."""
    return SupervisionKind.LEAD if org.kind in GRASSROOTS_KINDS else SupervisionKind.ATTEND


def supervision_coverage(*, actor, on: dt.date | None = None, under: Organization | None = None) -> dict:
    """Unsupervised organizations and current assignments in scope (or in the subtree `under`), as querysets in
    tree order for the caller to paginate: a province has thousands of each."""
    on = on or timezone.localdate()
    assignments = SupervisionAssignment.objects.filter(
        _active_on(on), permissions.scope_q(actor, "orgs.view", field="organization__path")
    )
    if under is not None:
        assignments = assignments.filter(
            Q(organization__path=under.path) | Q(organization__path__startswith=under.path + PATH_SEPARATOR)
        )
    return {
        "unsupervised": unsupervised_list(actor=actor, root=under, on=on).select_related("parent"),
        "assignments": assignments.select_related(
            "supervisor__organization", "organization", "assigned_by"
        ).order_by("organization__path", "starts_on"),
    }


def group_by_parent(orgs) -> list[dict]:
    """Organizations (in tree order) grouped under their parents, each with the supervision it needs."""
    groups: dict[int | None, dict] = {}
    for org in orgs:
        group = groups.setdefault(org.parent_id, {"parent": org.parent, "items": []})
        group["items"].append({"org": org, "needed": needed_supervision(org)})
    return list(groups.values())


def unsupervised_by_area(*, actor, on: dt.date | None = None) -> list[dict]:
    """How many organizations nobody supervises in each organization of the level below the actor's highest one
    (a province's communes), in one grouped query plus one for their names; cells are not areas."""
    base = scope_base_depth(actor, "orgs.view")
    width = (base + 2) * (PATH_SEGMENT_WIDTH + 1) - 1
    rows = dict(
        unsupervised_list(actor=actor, on=on)
        .filter(depth__gt=base)
        .annotate(area=Substr("path", 1, width))
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
        .values_list("area", "n")
    )
    areas = (
        Organization.objects.filter(path__in=list(rows))
        .exclude(kind__in=CELL_KINDS)
        .only("pk", "name", "path", "kind")
        .order_by("path")
    )
    return [{"org": area, "count": rows[area.path]} for area in areas]


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
