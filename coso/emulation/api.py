"""JSON API of emulation (django-ninja), mounted by coso.api.api under /api/v1/emulation/.

Movements with their criteria; the covenants (who signed, who did not); the scorecards of a year with the same
points and totals as the page and the export; scoring (self, upper, result); awards. Lists are paginated and
scoped like the pages; errors are `{"code", "message", "fields"}`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import field_validator

from coso.core.exceptions import CosoError, RuleViolation
from coso.core.forms import DATE_INPUT_FORMATS
from coso.members.selectors import access_member
from coso.orgs import selectors as org_selectors

from . import selectors, services
from .models import Award, Covenant, Movement, MovementTarget, Scorecard

PREFIX = "/emulation/"
router = Router(tags=["emulation"])
MAX_PAGE_SIZE = 100


def _parse_date(value):
    """Dates as on the pages (dd/mm/yyyy) or ISO."""
    if isinstance(value, str):
        for fmt in DATE_INPUT_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    return value


class OrgRef(Schema):
    id: int
    code: str
    name: str


class CriterionOut(Schema):
    id: int
    position: int
    name: str
    weight: int = Field(description="percent; the weights of a movement add up to 100")
    max_score: int


class MovementOut(Schema):
    id: int
    name: str
    organization: OrgRef
    start_year: int
    end_year: int
    target: str
    target_label: str
    description: str
    launched_on: dt.date | None


class MovementDetailOut(MovementOut):
    criteria: list[CriterionOut]
    covenants: dict[str, int] = Field(description="total, signed and unsigned participants in your scope")


class Page(Schema):
    count: int
    page: int
    page_size: int
    pages: int


class MovementPage(Page):
    results: list[MovementOut]


class CriterionIn(Schema):
    name: str
    weight: int
    max_score: int = 10


class MovementIn(Schema):
    organization: int = Field(description="id of the committee launching the movement")
    name: str
    start_year: int
    end_year: int
    target: str = MovementTarget.CELLS
    description: str = ""
    criteria: list[CriterionIn] | None = Field(None, description="default: the four goods, 25% each, of 10")


class CovenantOut(Schema):
    signed_on: dt.date
    signed_by: str
    commitments: str


class ParticipantOut(Schema):
    organization: OrgRef
    covenant: CovenantOut | None


class ParticipantPage(Page):
    results: list[ParticipantOut]


class CovenantIn(Schema):
    organization: int
    signed_on: dt.date
    signed_by: str
    commitments: str = ""

    parse_dates = field_validator("signed_on", mode="before")(_parse_date)


class ScoreRowOut(Schema):
    criterion: int
    self_score: Decimal | None
    self_points: Decimal | None
    upper_score: Decimal | None
    upper_points: Decimal | None


class ScorecardOut(Schema):
    organization: OrgRef
    year: int
    scores: list[ScoreRowOut]
    self_total: Decimal | None = Field(
        description="sum of self_points (weight × score ÷ max_score, 2 decimals)"
    )
    upper_total: Decimal | None = Field(description="sum of upper_points")
    result: str
    result_label: str


class ScorecardPage(Page):
    results: list[ScorecardOut]


class ScoresIn(Schema):
    scores: dict[int, Decimal] = Field(description="criterion id → score from 0 to its max_score")


class ResultIn(Schema):
    result: str = Field(description="ACHIEVED or NOT_ACHIEVED")
    note: str = ""


class AwardOut(Schema):
    id: int
    kind: str
    kind_label: str
    organization: OrgRef
    member: int | None
    member_name: str | None
    movement: int | None
    year: int
    issuer: str
    decision_number: str
    decision_date: dt.date
    reason: str


class AwardPage(Page):
    results: list[AwardOut]


class AwardIn(Schema):
    kind: str
    year: int
    issuer: str
    decision_number: str
    decision_date: dt.date
    organization: int | None = None
    member: int | None = None
    movement: int | None = None
    reason: str = ""

    parse_dates = field_validator("decision_date", mode="before")(_parse_date)


def _paged(qs, page: int, page_size: int, out) -> dict:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."),
            fields={"page_size" if page >= 1 else "page": [_("The value is out of range.")]},
            code="invalid",
        )
    paginator = Paginator(qs, page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": out(list(current.object_list)),
    }


def _org(org) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def _movement_out(movement: Movement) -> dict:
    return {
        "id": movement.pk,
        "name": movement.name,
        "organization": _org(movement.organization),
        "start_year": movement.start_year,
        "end_year": movement.end_year,
        "target": movement.target,
        "target_label": movement.get_target_display(),
        "description": movement.description,
        "launched_on": movement.launched_on,
    }


def _movement_detail(request, movement: Movement) -> dict:
    return {
        **_movement_out(movement),
        "criteria": selectors.criteria_of(movement),
        "covenants": selectors.covenant_counts(actor=request.user, movement=movement),
    }


def _covenant_out(covenant: Covenant | None) -> dict | None:
    if covenant is None:
        return None
    return {
        "signed_on": covenant.signed_on,
        "signed_by": covenant.signed_by,
        "commitments": covenant.commitments,
    }


def _scorecard_out(card: Scorecard, criteria) -> dict:
    points = card.points(criteria)
    return {
        "organization": _org(card.organization),
        "year": card.year,
        "scores": [
            {
                "criterion": row["criterion"].pk,
                **{k: row[k] for k in ScoreRowOut.model_fields if k != "criterion"},
            }
            for row in points["rows"]
        ],
        "self_total": points["self_total"],
        "upper_total": points["upper_total"],
        "result": card.result,
        "result_label": card.get_result_display(),
    }


def _award_out(award: Award) -> dict:
    return {
        "id": award.pk,
        "kind": award.kind,
        "kind_label": award.get_kind_display(),
        "organization": _org(award.organization),
        "member": award.member_id,
        "member_name": award.member.full_name if award.member_id else None,
        "movement": award.movement_id,
        "year": award.year,
        "issuer": award.issuer,
        "decision_number": award.decision_number,
        "decision_date": award.decision_date,
        "reason": award.reason,
    }


def _participant(movement: Movement, org_id: int, request, perm: str):
    organization = org_selectors.access_organization(request.user, org_id, perm=perm)
    if not selectors.applies_to(movement, organization):
        raise CosoError(
            _("The movement does not apply to this organization."),
            fields={"organization": [_("The movement does not apply to this organization.")]},
            code="rule_violation",
        )
    return organization


@router.get("/movements", response=MovementPage, url_name="emulation_movement_list", summary="List movements")
def movement_list(
    request: HttpRequest, q: str = "", year: int | None = None, page: int = 1, page_size: int = 25
):
    qs = selectors.movement_list(actor=request.user, q=q, year=year)
    return _paged(qs, page, page_size, lambda rows: [_movement_out(m) for m in rows])


@router.post(
    "/movements",
    response={201: MovementDetailOut},
    url_name="emulation_movement_create",
    summary="Launch one",
)
def movement_create(request: HttpRequest, payload: MovementIn):
    organization = org_selectors.access_organization(
        request.user, payload.organization, perm="emulation.manage"
    )
    criteria = (
        [item.dict() for item in payload.criteria]
        if payload.criteria is not None
        else services.four_goods_criteria()
    )
    movement = services.movement_create(
        actor=request.user,
        organization=organization,
        name=payload.name,
        start_year=payload.start_year,
        end_year=payload.end_year,
        target=payload.target,
        description=payload.description,
        criteria=criteria,
    )
    return 201, _movement_detail(request, movement)


@router.get(
    "/movements/{int:movement_id}",
    response=MovementDetailOut,
    url_name="emulation_movement_detail",
    summary="A movement",
)
def movement_detail(request: HttpRequest, movement_id: int):
    return _movement_detail(request, selectors.access_movement(request.user, movement_id))


@router.get(
    "/movements/{int:movement_id}/covenants",
    response=ParticipantPage,
    url_name="emulation_covenant_list",
    summary="The organizations of the movement, signed or not",
)
def covenant_list(
    request: HttpRequest,
    movement_id: int,
    signed: bool | None = None,
    q: str = "",
    page: int = 1,
    page_size: int = 25,
):
    movement = selectors.access_movement(request.user, movement_id)
    qs = selectors.participant_list(
        actor=request.user, movement=movement, filters=selectors.ParticipantFilters(q=q, signed=signed)
    )
    return _paged(
        qs,
        page,
        page_size,
        lambda rows: [
            {"organization": _org(o), "covenant": _covenant_out(o.covenant[0] if o.covenant else None)}
            for o in rows
        ],
    )


@router.post(
    "/movements/{int:movement_id}/covenants",
    response={201: ParticipantOut},
    url_name="emulation_covenant_create",
    summary="Record an organization's covenant",
)
def covenant_create(request: HttpRequest, movement_id: int, payload: CovenantIn):
    movement = selectors.access_movement(request.user, movement_id)
    organization = _participant(movement, payload.organization, request, "emulation.self_score")
    covenant = services.covenant_sign(
        actor=request.user,
        movement=movement,
        organization=organization,
        signed_on=payload.signed_on,
        signed_by=payload.signed_by,
        commitments=payload.commitments,
    )
    return 201, {"organization": _org(organization), "covenant": _covenant_out(covenant)}


@router.get(
    "/movements/{int:movement_id}/scorecards",
    response=ScorecardPage,
    url_name="emulation_scorecard_list",
    summary="The scorecards of a year",
)
def scorecard_list(request: HttpRequest, movement_id: int, year: int, page: int = 1, page_size: int = 25):
    movement = selectors.access_movement(request.user, movement_id)
    criteria = selectors.criteria_of(movement)
    qs = selectors.scorecard_list(actor=request.user, movement=movement, year=year)
    return _paged(qs, page, page_size, lambda rows: [_scorecard_out(card, criteria) for card in rows])


def _card(request, movement_id: int, org_id: int, year: int):
    movement = selectors.access_movement(request.user, movement_id)
    organization = _participant(movement, org_id, request, "emulation.view")
    card = selectors.scorecard_find(movement, organization, year)
    return movement, organization, card


@router.post(
    "/movements/{int:movement_id}/scorecards/{int:org_id}/{int:year}/self",
    response=ScorecardOut,
    url_name="emulation_self_score",
    summary="The organization's self-score (submitted to the upper committee)",
)
def self_score(request: HttpRequest, movement_id: int, org_id: int, year: int, payload: ScoresIn):
    movement, organization, _existing_card = _card(request, movement_id, org_id, year)
    card = services.scorecard_self_score(
        actor=request.user, movement=movement, organization=organization, year=year, scores=payload.scores
    )
    return _scorecard_out(
        selectors.scorecard_find(movement, organization, card.year), selectors.criteria_of(movement)
    )


def _existing(card):
    if card is None:
        raise RuleViolation(
            _("The organization has not submitted its self-score yet; the upper committee scores after it."),
            code="invalid_state",
        )
    return card


@router.post(
    "/movements/{int:movement_id}/scorecards/{int:org_id}/{int:year}/upper",
    response=ScorecardOut,
    url_name="emulation_upper_score",
    summary="The upper committee's score",
)
def upper_score(request: HttpRequest, movement_id: int, org_id: int, year: int, payload: ScoresIn):
    movement, organization, card = _card(request, movement_id, org_id, year)
    if card is None and not selectors.can_upper_score(request.user, organization):
        raise _forbidden()
    services.scorecard_upper_score(actor=request.user, scorecard=_existing(card), scores=payload.scores)
    return _scorecard_out(
        selectors.scorecard_find(movement, organization, year), selectors.criteria_of(movement)
    )


@router.post(
    "/movements/{int:movement_id}/scorecards/{int:org_id}/{int:year}/result",
    response=ScorecardOut,
    url_name="emulation_result",
    summary="The upper committee records the recognition for the year",
)
def result(request: HttpRequest, movement_id: int, org_id: int, year: int, payload: ResultIn):
    movement, organization, card = _card(request, movement_id, org_id, year)
    if card is None and not selectors.can_upper_score(request.user, organization):
        raise _forbidden()
    services.scorecard_decide(
        actor=request.user, scorecard=_existing(card), result=payload.result, note=payload.note
    )
    return _scorecard_out(
        selectors.scorecard_find(movement, organization, year), selectors.criteria_of(movement)
    )


def _forbidden() -> PermissionDenied:
    return PermissionDenied()


@router.get("/awards", response=AwardPage, url_name="emulation_award_list", summary="List awards")
def award_list(
    request: HttpRequest,
    q: str = "",
    year: int | None = None,
    kind: str = "",
    page: int = 1,
    page_size: int = 25,
):
    qs = selectors.award_list(actor=request.user, filters=selectors.AwardFilters(q=q, year=year, kind=kind))
    return _paged(qs, page, page_size, lambda rows: [_award_out(a) for a in rows])


@router.post(
    "/awards", response={201: AwardOut}, url_name="emulation_award_create", summary="Record an award"
)
def award_create(request: HttpRequest, payload: AwardIn):
    organization = (
        org_selectors.access_organization(request.user, payload.organization, perm="emulation.manage")
        if payload.organization is not None
        else None
    )
    member = access_member(request.user, payload.member) if payload.member is not None else None
    movement = selectors.access_movement(request.user, payload.movement) if payload.movement else None
    award = services.award_create(
        actor=request.user,
        kind=payload.kind,
        year=payload.year,
        issuer=payload.issuer,
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        organization=organization,
        member=member,
        movement=movement,
        reason=payload.reason,
    )
    return 201, _award_out(Award.objects.select_related("organization", "member").get(pk=award.pk))
