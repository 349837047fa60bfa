"""Supervision assignments: assign and end."""

from __future__ import annotations

from django.http import HttpRequest

from .. import selectors, services
from ._common import _access, _member_in_scope, _supervision_out, router
from .schemas import EndIn, SupervisionIn, SupervisionOut


@router.post(
    "/{int:org_id}/supervisions",
    response={201: SupervisionOut},
    url_name="supervision_assign",
    summary="Assign a committee member to lead or attend the organization",
)
def supervision_assign(request: HttpRequest, org_id: int, payload: SupervisionIn):
    org = _access(request, org_id, "orgs.change")
    assigned_by = _access(request, payload.assigned_by, "orgs.change")
    supervisor = _member_in_scope(request, payload.supervisor, field="supervisor")
    assignment = services.supervision_assign(
        actor=request.user,
        supervisor=supervisor,
        organization=org,
        assigned_by=assigned_by,
        kind=payload.kind or selectors.needed_supervision(org),
        starts_on=payload.starts_on,
    )
    return 201, _supervision_out(assignment)


@router.post(
    "/supervisions/{int:assignment_id}/end",
    response=SupervisionOut,
    url_name="supervision_end",
    summary="End a supervision assignment",
)
def supervision_end(request: HttpRequest, assignment_id: int, payload: EndIn):
    assignment = selectors.access_supervision(request.user, assignment_id)
    assignment = services.supervision_end(actor=request.user, assignment=assignment, ends_on=payload.ends_on)
    return _supervision_out(assignment)
