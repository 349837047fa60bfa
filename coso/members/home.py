"""The members' sections of the home page: the office's figures for its subtree, each cell secretary's cell, the
member's own record; and the probationary members whose full-membership recognition falls due.

Built on the public selectors and models of orgs and members; registered with `coso.core.panels` in
MembersConfig.ready(), so core knows nothing of them. Every figure is computed in a bounded number of queries
whatever the size of the tree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from coso.accounts import permissions
from coso.accounts.models import Role, RoleGrant
from coso.core.panels import Panel
from coso.core.policies import policy
from coso.orgs import selectors as org_selectors
from coso.orgs.models import PATH_SEPARATOR, Organization, OrgStatus, Position, PositionTitle

from .models import Member, MemberStatus
from .rules import add_months

OFFICE_ROLES = frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.INSPECTION, Role.SYSTEM_ADMIN})
# Probationary members whose recognition falls due within this many days are listed.
RECOGNITION_HORIZON_DAYS = 30
LIST_LIMIT = 20


def _minimal(paths) -> list[str]:
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path == kept or path.startswith(kept + PATH_SEPARATOR) for kept in result):
            result.append(path)
    return result


def _subtree_q(paths: list[str] | None, field_name: str = "path") -> Q:
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{field_name: path}) | Q(**{f"{field_name}__startswith": path + PATH_SEPARATOR})
    return query


@dataclass
class DueMember:
    member: Member
    due_on: dt.date
    overdue: bool


@dataclass
class RecognitionDue:
    count: int = 0
    overdue: int = 0
    rows: list[DueMember] = field(default_factory=list)


def recognition_due(*, paths: list[str] | None, today: dt.date, limit: int = LIST_LIMIT) -> RecognitionDue:
    """Probationary members whose 12 months end within the horizon or have already ended (DOMAIN.md §2).

    Recognition dates from the 12-month mark after admission; the cell votes within 30 working days after it.
    Two queries: the count and the first `limit` rows (earliest due first).
    """
    months = policy("probation.months", today)
    horizon = today + dt.timedelta(days=RECOGNITION_HORIZON_DAYS)
    qs = Member.objects.filter(
        _subtree_q(paths, "organization__path"),
        status=MemberStatus.PROBATIONARY,
        admitted_on__lte=add_months(horizon, -months),
    )
    overdue_before = add_months(today, -months)
    figures = qs.aggregate(count=Count("id"), overdue=Count("id", filter=Q(admitted_on__lt=overdue_before)))
    rows = []
    for member in qs.select_related("organization").order_by("admitted_on", "name_sort", "id")[:limit]:
        due = add_months(member.admitted_on, months)
        rows.append(DueMember(member=member, due_on=due, overdue=due < today))
    return RecognitionDue(count=figures["count"], overdue=figures["overdue"], rows=rows)


@dataclass
class OfficeSummary:
    roots: list[Organization]
    counts: dict[str, int]
    summary: dict[str, int]
    warning_count: int
    warned: list[tuple[Organization, list]]
    unsupervised_count: int
    recognition: RecognitionDue


def office_summary(*, actor, today: dt.date | None = None) -> OfficeSummary | None:
    """What an office (committee staff, leader, inspection, administrator) reads first about its subtree."""
    today = today or timezone.localdate()
    if permissions.is_superuser(actor):
        paths = None
    else:
        paths = _minimal(g.path for g in permissions.grants_of(actor) if g.role in OFFICE_ROLES)
        if not paths:
            return None
        if permissions.covers_whole_tree(actor, paths):
            paths = None  # the same organizations, filtered without path comparisons (permissions.scope_q)
    scope = Organization.objects.filter(_subtree_q(paths))
    warnings = org_selectors.structure_warning_summary(scope, on=today, limit=LIST_LIMIT)
    root_paths = (
        paths
        if paths is not None
        else list(scope.filter(parent=None, status=OrgStatus.ACTIVE).values_list("path", flat=True))
    )
    roots = list(Organization.objects.filter(path__in=root_paths, status=OrgStatus.ACTIVE).order_by("path"))
    totals = warnings.counts
    unsupervised = (
        org_selectors.unsupervised_list(actor=actor, on=today).filter(_subtree_q(paths)).count()
        if roots
        else 0
    )
    return OfficeSummary(
        roots=roots,
        counts=totals,
        summary=org_selectors.count_summary(totals),
        warning_count=warnings.count,
        warned=warnings.first,
        unsupervised_count=unsupervised,
        recognition=recognition_due(paths=paths, today=today),
    )


@dataclass
class CellSummary:
    cell: Organization
    summary: dict[str, int]
    counts: dict[str, int]
    recognition: RecognitionDue


def secretary_summaries(*, actor, today: dt.date | None = None) -> list[CellSummary]:
    """For each organization the user is cell secretary of: counts by status and probationary members."""
    today = today or timezone.localdate()
    ids = [g.organization_id for g in permissions.grants_of(actor) if g.role == Role.CELL_SECRETARY]
    if not ids:
        return []
    cells = list(Organization.objects.filter(pk__in=ids).order_by("path"))
    counts = org_selectors.member_counts(cells)
    months = policy("probation.months", today)
    probationary = (
        Member.objects.filter(_subtree_q([c.path for c in cells], "organization__path"))
        .filter(status=MemberStatus.PROBATIONARY)
        .select_related("organization")
        .order_by("admitted_on", "name_sort", "id")
    )
    by_cell: dict[int, RecognitionDue] = {c.pk: RecognitionDue() for c in cells}
    for member in probationary[: LIST_LIMIT * len(cells)]:
        cell = next(
            (
                c
                for c in cells
                if member.organization.path == c.path or member.organization.path.startswith(c.path + ".")
            ),
            None,
        )
        if cell is None:
            continue
        due = add_months(member.admitted_on, months)
        entry = by_cell[cell.pk]
        entry.overdue += due < today
        entry.rows.append(DueMember(member=member, due_on=due, overdue=due < today))
    return [
        CellSummary(
            cell=cell,
            counts=counts.get(cell.pk, {}),
            summary=org_selectors.count_summary(counts.get(cell.pk, {})),
            recognition=RecognitionDue(
                count=counts.get(cell.pk, {}).get(MemberStatus.PROBATIONARY, 0),
                overdue=by_cell[cell.pk].overdue,
                rows=by_cell[cell.pk].rows,
            ),
        )
        for cell in cells
    ]


@dataclass
class MemberSummary:
    member: Member
    recognition_due_on: dt.date | None
    secretaries: list[str]


def member_summary(*, actor, today: dt.date | None = None) -> MemberSummary | None:
    """The user's own record, their cell and its secretary: public data of others only (names)."""
    if not getattr(actor, "member_id", None):
        return None
    today = today or timezone.localdate()
    member = Member.objects.select_related("organization").get(pk=actor.member_id)
    cell = member.organization
    secretaries = [
        position.member.full_name
        for position in Position.objects.filter(
            committee__organization=cell, title=PositionTitle.SECRETARY, starts_on__lte=today
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("member")
        .order_by("starts_on")
    ]
    if not secretaries:
        # No committee recorded yet: the people holding the cell secretary role on the cell.
        secretaries = [
            grant.user.member.full_name if grant.user.member_id else str(grant.user)
            for grant in RoleGrant.objects.filter(
                organization=cell, role=Role.CELL_SECRETARY, revoked_at__isnull=True
            ).select_related("user__member")
        ]
    due = None
    if member.status == MemberStatus.PROBATIONARY:
        due = add_months(member.admitted_on, policy("probation.months", today))
    return MemberSummary(member=member, recognition_due_on=due, secretaries=secretaries)


# After every other app's main panels (their orders stay below 100): the member's record, the cells, the office.
MEMBER_ORDER, CELLS_ORDER, OFFICE_ORDER = 100, 110, 120


def home_panels(request, today):
    user = request.user
    result: list[Panel] = []
    mine = member_summary(actor=user, today=today)
    if mine:
        result.append(Panel(template="members/_home_member.html", context={"mine": mine}, order=MEMBER_ORDER))
    cells = secretary_summaries(actor=user, today=today)
    if cells:
        result.append(Panel(template="members/_home_cells.html", context={"cells": cells}, order=CELLS_ORDER))
    office = office_summary(actor=user, today=today)
    if office:
        result.append(
            Panel(
                template="members/_home_office.html",
                context={"office": office, "horizon": RECOGNITION_HORIZON_DAYS},
                order=OFFICE_ORDER,
            )
        )
    return result
