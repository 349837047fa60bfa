"""Who reviews a member's learning report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from coso.members.models import Member
from coso.orgs.models import CommitteeKind, Organization, Position, PositionTitle


def reviewer_for(member: Member, *, on: dt.date | None = None) -> tuple[Organization, Member | None]:
    """Whose head reviews the member's learning reports (DOMAIN Part A: the head reads his level's reports).

    A member holding a seat on a committee (executive, standing or cell committee) is reviewed by the head of
    that committee's organization; the head themself by the head of the level above. Everyone else is reviewed
    by the secretary of their cell (the cell's own secretary by the level above). With seats at several levels,
    the highest level reviews.
    """
    return reviewers_for([member], on=on)[member.pk]


def reviewers_for(
    members: Sequence[Member], *, on: dt.date | None = None
) -> dict[int, tuple[Organization, Member | None]]:
    """`reviewer_for` for many members in three queries (the demo and imports assign thousands at once)."""
    on = on or timezone.localdate()
    active = Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    term_active = Q(committee__term__starts_on__lte=on) & (
        Q(committee__term__ends_on__isnull=True) | Q(committee__term__ends_on__gte=on)
    )
    kinds = [CommitteeKind.EXECUTIVE, CommitteeKind.STANDING, CommitteeKind.CELL_COMMITTEE]
    seats: dict[int, list[Position]] = {}
    for seat in (
        Position.objects.filter(
            active, term_active, member__in=[m.pk for m in members], committee__kind__in=kinds
        )
        .select_related("committee__organization__parent")
        .order_by("id")
    ):
        seats.setdefault(seat.member_id, []).append(seat)
    chosen: dict[int, Organization] = {}
    for member in members:
        candidates: list[Organization] = []
        for seat in seats.get(member.pk, []):
            org = seat.committee.organization
            if seat.title == PositionTitle.SECRETARY:
                org = org.parent or org
            candidates.append(org)
        if not candidates:
            candidates.append(member.organization)
        chosen[member.pk] = min(candidates, key=lambda o: (o.depth, o.path))
    heads: dict[int, list[Member]] = {}
    for seat in (
        Position.objects.filter(active, term_active, title=PositionTitle.SECRETARY)
        .filter(committee__kind__in=[CommitteeKind.EXECUTIVE, CommitteeKind.CELL_COMMITTEE])
        .filter(committee__organization__in={org.pk for org in chosen.values()})
        .select_related("member")
        .order_by("id")
    ):
        heads.setdefault(seat.committee.organization_id, []).append(seat.member)
    result = {}
    for member in members:
        organization = chosen[member.pk]
        head = next((h for h in heads.get(organization.pk, []) if h.pk != member.pk), None)
        result[member.pk] = (organization, head)
    return result
