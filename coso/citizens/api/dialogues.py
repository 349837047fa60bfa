"""Dialogues with citizens: listing and planning them."""

from __future__ import annotations

from coso.orgs import selectors as org_selectors

from .. import selectors, services
from ..models import Dialogue
from ._common import _org, _require_any, router
from .schemas import DialogueIn, DialogueOut


def _dialogue(d: Dialogue) -> dict:
    return {
        "id": d.pk,
        "organization": _org(d.organization),
        "kind": d.kind,
        "topic": d.topic,
        "date": d.date,
        "status": d.status,
        "participants_count": d.participants_count,
        "questions": d.questions,
        "answers": d.answers,
        "follow_ups": d.follow_ups,
        "version": d.version,
    }


@router.get("/dialogues", response=list[DialogueOut], url_name="dialogue_list")
def dialogue_list(request, kind: str = ""):
    _require_any(request.auth, "citizens.view")
    rows = selectors.dialogue_list(actor=request.auth, filters={"kind": kind})
    return [_dialogue(d) for d in rows[:500]]


@router.post("/dialogues", response={201: DialogueOut}, url_name="dialogue_create")
def dialogue_create(request, payload: DialogueIn):
    user = request.auth
    org = org_selectors.access_organization(user, payload.organization, perm="citizens.record_dialogue")
    data = payload.dict()
    data.pop("organization")
    item = services.dialogue_save(actor=user, organization=org, data=data)
    return 201, _dialogue(item)
