"""What the organization page reads: committees and positions, children, terms, restructuring events, access to one record."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coso.accounts import permissions

from ..models import (
    TITLE_ORDER,
    Committee,
    Organization,
    Position,
    RestructuringEvent,
    SupervisionAssignment,
    Term,
)
from .organizations import _active_on, count_summary, member_counts, organization_list
from .structure import Warning, structure_warnings_bulk


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


def organization_children(
    *, actor, org: Organization, include_inactive: bool = True, counts: dict | None = None
) -> list[tuple[Organization, dict[str, int], list[Warning]]]:
    """Sub-organizations in scope with their counts and warnings (three queries whatever their number).

    `counts` receives the organization's own counts too: the page then counts its subtree once."""
    children = list(organization_list(actor=actor, parent=org, include_inactive=include_inactive))
    counts_ = member_counts([org, *children])
    if counts is not None:
        counts.update(counts_)
    counts = counts_
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
