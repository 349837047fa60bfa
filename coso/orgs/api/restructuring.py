"""Restructuring: merge, split, move, rename, dissolve (one event each)."""

from __future__ import annotations

from django.http import HttpRequest

from .. import services
from ..models import RestructuringEvent
from ._common import _restructure_target, _restructuring_out, router
from .schemas import DissolveIn, MergeIn, MoveIn, RenameIn, RestructuringOut, SplitIn


def _event(event: RestructuringEvent) -> tuple[int, dict]:
    event = (
        RestructuringEvent.objects.select_related("recorded_by")
        .prefetch_related("sources", "targets")
        .get(pk=event.pk)
    )
    return 201, _restructuring_out(event)


@router.post(
    "/restructure/merge",
    response={201: RestructuringOut},
    url_name="organization_merge",
    summary="Merge organizations",
)
def organization_merge(request: HttpRequest, payload: MergeIn):
    sources = [_restructure_target(request, pk) for pk in payload.sources]
    target = _restructure_target(request, payload.target) if payload.target is not None else None
    event = services.organization_merge(
        actor=request.user,
        sources=sources,
        target=target,
        new_code=payload.new_code.strip(),
        new_name=payload.new_name.strip(),
        committee_from=(
            _restructure_target(request, payload.committee_from)
            if payload.committee_from is not None
            else None
        ),
        effective_on=payload.effective_on,
        decision_number=payload.decision_number,
        note=payload.note,
    )
    return _event(event)


@router.post(
    "/restructure/split",
    response={201: RestructuringOut},
    url_name="organization_split",
    summary="Split an organization",
)
def organization_split(request: HttpRequest, payload: SplitIn):
    source = _restructure_target(request, payload.source)
    event = services.organization_split(
        actor=request.user,
        source=source,
        parts=[part.model_dump() for part in payload.parts],
        takes_over=payload.takes_over,
        effective_on=payload.effective_on,
        decision_number=payload.decision_number,
        note=payload.note,
    )
    return _event(event)


@router.post(
    "/restructure/move",
    response={201: RestructuringOut},
    url_name="organization_move",
    summary="Move an organization under another parent",
)
def organization_move(request: HttpRequest, payload: MoveIn):
    event = services.organization_move(
        actor=request.user,
        org=_restructure_target(request, payload.organization),
        new_parent=_restructure_target(request, payload.new_parent),
        effective_on=payload.effective_on,
        decision_number=payload.decision_number,
        note=payload.note,
    )
    return _event(event)


@router.post(
    "/restructure/rename",
    response={201: RestructuringOut},
    url_name="organization_rename",
    summary="Rename an organization (by decision, dated)",
)
def organization_rename(request: HttpRequest, payload: RenameIn):
    event = services.organization_rename(
        actor=request.user,
        org=_restructure_target(request, payload.organization),
        new_name=payload.new_name,
        effective_on=payload.effective_on,
        decision_number=payload.decision_number,
        note=payload.note,
    )
    return _event(event)


@router.post(
    "/restructure/dissolve",
    response={201: RestructuringOut},
    url_name="organization_dissolve",
    summary="Dissolve an organization",
)
def organization_dissolve(request: HttpRequest, payload: DissolveIn):
    event = services.organization_dissolve(
        actor=request.user,
        org=_restructure_target(request, payload.organization),
        effective_on=payload.effective_on,
        decision_number=payload.decision_number,
        note=payload.note,
    )
    return _event(event)
