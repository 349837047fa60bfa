"""Escalations raised by cells to their grassroots committee, and the answers."""

from __future__ import annotations

from django.http import HttpRequest

from .. import selectors, services
from ._common import _org, router
from .schemas import AnswerIn, EscalationIn, EscalationOut


def _escalation_out(e) -> dict:
    return {
        "id": e.pk,
        "meeting": e.meeting_id,
        "organization": _org(e.organization),
        "committee": _org(e.committee),
        "text": e.text,
        "status": e.status,
        "answer": e.answer,
        "answered_at": e.answered_at,
        "version": e.version,
    }


@router.get(
    "/escalations", response=list[EscalationOut], url_name="escalation_list", summary="Issues sent up"
)
def escalation_list(request: HttpRequest, status: str | None = None):
    return [_escalation_out(e) for e in selectors.escalation_list(actor=request.user, status=status)[:200]]


@router.post(
    "/{int:meeting_id}/escalations",
    response={201: EscalationOut},
    url_name="escalation_create",
    summary="Send an issue up to the committee",
)
def escalation_create(request: HttpRequest, meeting_id: int, payload: EscalationIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    return 201, _escalation_out(
        services.escalation_raise(actor=request.user, meeting=meeting, text=payload.text)
    )


@router.post(
    "/escalations/{int:escalation_id}/answer",
    response=EscalationOut,
    url_name="escalation_answer",
    summary="Answer an issue",
)
def escalation_answer(request: HttpRequest, escalation_id: int, payload: AnswerIn):
    escalation = selectors.access_escalation(request.user, escalation_id, perm="meetings.answer_escalation")
    services.escalation_answer(
        actor=request.user, escalation=escalation, answer=payload.answer, expected_version=payload.version
    )
    return _escalation_out(escalation)
