"""Terms, committees and positions of an organization."""

from __future__ import annotations

from django.http import HttpRequest

from .. import selectors, services
from ._common import _access, _member, _member_in_scope, router
from .schemas import CommitteeIn, CommitteeOut, EndIn, PositionIn, PositionOut, TermIn, TermOut


@router.post(
    "/{int:org_id}/terms",
    response={201: TermOut},
    url_name="term_create",
    summary="Record a term (and committees)",
)
def term_create(request: HttpRequest, org_id: int, payload: TermIn):
    org = _access(request, org_id, "orgs.change")
    term = services.term_create(
        actor=request.user,
        org=org,
        name=payload.name,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        committee_kinds=list(payload.committees),
    )
    return 201, {"id": term.pk, "name": term.name, "starts_on": term.starts_on, "ends_on": term.ends_on}


def _committee_out(committee) -> dict:
    term = committee.term
    return {
        "id": committee.pk,
        "kind": committee.kind,
        "kind_label": str(committee.get_kind_display()),
        "term": {"id": term.pk, "name": term.name, "starts_on": term.starts_on, "ends_on": term.ends_on},
        "positions": [],
    }


@router.post(
    "/terms/{int:term_id}/committees",
    response={201: CommitteeOut},
    url_name="committee_create",
    summary="Record a committee of a term",
)
def committee_create(request: HttpRequest, term_id: int, payload: CommitteeIn):
    term = selectors.access_term(request.user, term_id, perm="orgs.change")
    committee = services.committee_create(actor=request.user, term=term, kind=payload.kind)
    return 201, _committee_out(committee)


def _position_out(position) -> dict:
    return {
        "id": position.pk,
        "title": position.title,
        "title_label": position.label,
        "member": _member(position.member),
        "starts_on": position.starts_on,
        "ends_on": position.ends_on,
    }


@router.post(
    "/committees/{int:committee_id}/positions",
    response={201: PositionOut},
    url_name="position_assign",
    summary="Assign a position on a committee",
)
def position_assign(request: HttpRequest, committee_id: int, payload: PositionIn):
    committee = selectors.access_committee(request.user, committee_id, perm="orgs.change")
    member = _member_in_scope(request, payload.member, field="member")
    position = services.position_assign(
        actor=request.user,
        committee=committee,
        member=member,
        title=payload.title,
        starts_on=payload.starts_on,
    )
    return 201, _position_out(position)


@router.post(
    "/positions/{int:position_id}/end",
    response=PositionOut,
    url_name="position_end",
    summary="End a position",
)
def position_end(request: HttpRequest, position_id: int, payload: EndIn):
    position = selectors.access_position(request.user, position_id, perm="orgs.change")
    return _position_out(
        services.position_end(actor=request.user, position=position, ends_on=payload.ends_on)
    )
