"""Supervision: current assignments, organizations without supervision, coverage, choices."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from coso.accounts import permissions

from ..models import (
    CELL_KINDS,
    GRASSROOTS_KINDS,
    Organization,
    OrgKind,
    Position,
    SupervisionAssignment,
    SupervisionKind,
)
from .organizations import _active_on, organization_list


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
