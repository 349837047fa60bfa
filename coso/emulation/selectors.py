"""Reads of emulation movements, covenants, scorecards and awards, always scoped by the actor.

A movement is seen by everyone in the launching committee's subtree (it reaches down) and above it; covenants,
scorecards and awards by those who see their organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from coso.accounts import permissions
from coso.core.text import fold
from coso.orgs.models import CELL_KINDS, PATH_SEPARATOR, Organization, OrgKind
from coso.study.selectors.scope import reach_q, reaches

from .models import Award, Covenant, Criterion, Movement, MovementTarget, Scorecard

VIEW = "emulation.view"
TARGET_KINDS = {
    MovementTarget.CELLS: CELL_KINDS,
    MovementTarget.GRASSROOTS_COMMITTEES: (OrgKind.GRASSROOTS_COMMITTEE,),
}


def _subtree_q(path: str, field: str = "path") -> Q:
    return Q(**{field: path}) | Q(**{f"{field}__startswith": path + PATH_SEPARATOR})


def movement_list(*, actor, q: str = "", year: int | None = None) -> QuerySet[Movement]:
    qs = Movement.objects.filter(reach_q(actor, perm=VIEW))
    if year:
        qs = qs.filter(start_year__lte=year, end_year__gte=year)
    if q:
        for word in fold(q).split():
            qs = qs.filter(Q(name__icontains=word) | Q(organization__name_folded__contains=word))
    return (
        qs.select_related("organization")
        .annotate(covenant_count=Count("covenants", distinct=True))
        .order_by("-start_year", "name", "id")
    )


def access_movement(actor, pk, *, perm: str = VIEW) -> Movement:
    """Outside the reach of the actor → 404; without `perm` on the launching committee → 403."""
    try:
        movement = Movement.objects.select_related("organization").get(pk=pk)
    except (Movement.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not reaches(actor, movement.organization.path, perm=VIEW):
        raise Http404
    if perm != VIEW and not permissions.can(actor, perm, movement.organization.path):
        raise PermissionDenied
    return movement


def criteria_of(movement: Movement) -> list[Criterion]:
    return list(movement.criteria.order_by("position", "id"))


def participants(movement: Movement) -> QuerySet[Organization]:
    """The organizations the movement applies to: active ones of its kind below the launching committee."""
    return Organization.objects.filter(
        path__startswith=movement.organization.path + PATH_SEPARATOR,
        kind__in=TARGET_KINDS[movement.target],
        status="ACTIVE",
    )


def applies_to(movement: Movement, organization: Organization) -> bool:
    return organization.kind in TARGET_KINDS[movement.target] and organization.path.startswith(
        movement.organization.path + PATH_SEPARATOR
    )


@dataclass
class ParticipantFilters:
    q: str = ""
    signed: bool | None = None
    organization: Organization | None = None


def participant_list(*, actor, movement: Movement, filters: ParticipantFilters) -> QuerySet[Organization]:
    """The participants in the actor's scope with their covenant (if any): signed or not, searchable."""
    covenants = Covenant.objects.filter(movement=movement, organization=OuterRef("pk"))
    qs = (
        participants(movement)
        .filter(permissions.scope_q(actor, VIEW))
        .annotate(signed=Exists(covenants))
        .prefetch_related(
            Prefetch(
                "emulation_covenants", queryset=Covenant.objects.filter(movement=movement), to_attr="covenant"
            )
        )
    )
    if filters.organization is not None:
        qs = qs.filter(_subtree_q(filters.organization.path))
    if filters.signed is not None:
        qs = qs.filter(signed=filters.signed)
    if filters.q:
        for word in fold(filters.q).split():
            qs = qs.filter(Q(name_folded__contains=word) | Q(code__iexact=word))
    return qs.select_related("parent").order_by("path")


def covenant_counts(*, actor, movement: Movement) -> dict:
    qs = participants(movement).filter(permissions.scope_q(actor, VIEW))
    signed = Covenant.objects.filter(movement=movement, organization__in=qs).count()
    total = qs.count()
    return {"total": total, "signed": signed, "unsigned": total - signed}


def scorecard_list(*, actor, movement: Movement, year: int) -> QuerySet[Scorecard]:
    return (
        Scorecard.objects.filter(movement=movement, year=year)
        .filter(permissions.scope_q(actor, VIEW, field="organization__path"))
        .select_related("organization")
        .prefetch_related("scores")
        .order_by("organization__path")
    )


def scorecard_find(movement: Movement, organization: Organization, year: int) -> Scorecard | None:
    return (
        Scorecard.objects.filter(movement=movement, organization=organization, year=year)
        .select_related("self_submitted_by", "upper_scored_by")
        .prefetch_related("scores")
        .first()
    )


def can_upper_score(actor, organization: Organization) -> bool:
    """Only the upper committee scores: the score permission on the parent organization, never on its own."""
    parent_path = (
        organization.path.rsplit(PATH_SEPARATOR, 1)[0] if PATH_SEPARATOR in organization.path else None
    )
    if parent_path is None:
        return permissions.is_superuser(actor)
    return permissions.can(actor, "emulation.score", parent_path)


@dataclass
class AwardFilters:
    q: str = ""
    year: int | None = None
    kind: str = ""
    organization: Organization | None = None


def award_list(*, actor, filters: AwardFilters | None = None) -> QuerySet[Award]:
    filters = filters or AwardFilters()
    qs = Award.objects.filter(permissions.scope_q(actor, VIEW, field="organization__path"))
    if filters.organization is not None:
        qs = qs.filter(_subtree_q(filters.organization.path, "organization__path"))
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        for word in fold(filters.q).split():
            qs = qs.filter(
                Q(organization__name_folded__contains=word)
                | Q(member__name_folded__contains=word)
                | Q(decision_number__icontains=word)
            )
    return qs.select_related("organization", "member", "movement").order_by("-year", "-decision_date", "-id")


def member_awards(member) -> list[Award]:
    return list(
        Award.objects.filter(member=member).select_related("organization").order_by("-year", "-decision_date")
    )


def organization_awards(organization: Organization, *, limit: int | None = None) -> list[Award]:
    qs = Award.objects.filter(organization=organization, member__isnull=True).order_by(
        "-year", "-decision_date"
    )
    return list(qs[:limit] if limit else qs)


def emulation_results(*, year: int, organization: Organization | None = None, member=None) -> dict:
    """The emulation results of one year as evidence for the year-end review (coso.reviews): the awards of the
    organization or member, and for an organization its scorecards (upper total and recognition result).

    Not scoped: the caller (a review the actor may already see) decides who reads it."""
    awards = Award.objects.filter(year=year).select_related("movement")
    if member is not None:
        awards = awards.filter(member=member)
    elif organization is not None:
        awards = awards.filter(organization=organization, member__isnull=True)
    result = {
        "year": year,
        "awards": [
            {
                "kind": a.kind,
                "label": a.get_kind_display(),
                "decision_number": a.decision_number,
                "decision_date": a.decision_date,
                "issuer": a.issuer,
            }
            for a in awards
        ],  # fmt: skip
        "scores": [],
    }
    if organization is not None and member is None:
        cards = (
            Scorecard.objects.filter(organization=organization, year=year)
            .select_related("movement")
            .prefetch_related("scores", "movement__criteria")
        )
        for card in cards:
            points = card.points(sorted(card.movement.criteria.all(), key=lambda c: (c.position, c.pk)))
            result["scores"].append(
                {"movement": card.movement.name, "self_total": points["self_total"],
                 "upper_total": points["upper_total"], "result": card.result,
                 "result_label": card.get_result_display()}
            )  # fmt: skip
    return result
