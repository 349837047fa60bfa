"""JSON API of the organization tree (django-ninja), mounted by coso.api.api under /api/v1/orgs/.

Every route reads through the selectors and writes through the services, so scope is decided by
accounts.permissions: out of scope is 404, visible but not allowed is 403, a stale version is 409.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import field_validator

from coso.accounts import permissions
from coso.core.exceptions import CosoError, RuleViolation
from coso.core.patching import refuse_unwritable, sent_fields

from . import selectors, services
from .forms import DATE_INPUT_FORMATS
from .models import (
    CommitteeKind,
    Organization,
    OrgKind,
    OrgStatus,
    PositionTitle,
    RestructuringEvent,
    SupervisionAssignment,
    SupervisionKind,
)

router = Router()

MAX_PAGE_SIZE = 100


def _parse_date(value):
    """Dates as ISO (yyyy-mm-dd) or as offices write them (dd/mm/yyyy)."""
    if isinstance(value, str):
        for fmt in DATE_INPUT_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    return value


# --- schemas ----------------------------------------------------------------------------------------------------


class Counts(Schema):
    full: int
    probationary: int
    exempt: int
    total: int = Field(description="current members: full, probationary and exempted")


class OrgRef(Schema):
    id: int
    code: str
    name: str


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    parent_id: int | None
    depth: int
    address: str
    residential: bool = Field(description="a commune or ward Party organization, to which residents turn")
    established_on: dt.date | None
    ended_on: dt.date | None
    successor_id: int | None
    version: int
    counts: Counts


class OrgPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[OrgOut]


class TreeNodeOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    status: str
    counts: Counts | None = Field(None, description="null for a past date")
    total_as_of: int | None = Field(None, description="members on the `as_of` date (membership periods)")
    has_children: bool
    children: list[TreeNodeOut]


class WarningOut(Schema):
    code: str
    message: str
    source: str


class MemberRef(Schema):
    id: int
    full_name: str


class PositionOut(Schema):
    id: int
    title: str
    title_label: str
    member: MemberRef
    starts_on: dt.date
    ends_on: dt.date | None


class TermOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date | None


class CommitteeOut(Schema):
    id: int
    kind: str
    kind_label: str
    term: TermOut
    positions: list[PositionOut]


class SupervisionOut(Schema):
    id: int
    supervisor: MemberRef
    organization: OrgRef
    assigned_by: OrgRef
    kind: str
    kind_label: str
    starts_on: dt.date
    ends_on: dt.date | None


class OrgDetailOut(OrgOut):
    ancestors: list[OrgRef]
    warnings: list[WarningOut]
    committees: list[CommitteeOut] = Field(
        description="committees of the current term with current positions"
    )
    supervisors: list[SupervisionOut]
    supervises: list[SupervisionOut]


class RestructuringOut(Schema):
    id: int
    kind: str
    kind_label: str
    effective_on: dt.date
    decision_number: str
    note: str
    sources: list[OrgRef]
    targets: list[OrgRef]
    details: dict
    recorded_by: str | None


class RestructuringPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[RestructuringOut]


class OrgCreateIn(Schema):
    parent: int = Field(description="id of the parent organization")
    code: str
    name: str
    kind: OrgKind
    address: str = ""
    established_on: dt.date | None = None
    residential: bool = False

    parse_dates = field_validator("established_on", mode="before")(_parse_date)


class OrgUpdateIn(Schema):
    version: int = Field(description="the version you read; a stale one is a 409 conflict")
    code: str | None = None
    name: str | None = None
    address: str | None = None
    established_on: dt.date | None = None
    residential: bool | None = None

    parse_dates = field_validator("established_on", mode="before")(_parse_date)


class Dated(Schema):
    effective_on: dt.date
    decision_number: str = ""
    note: str = ""

    parse_dates = field_validator("effective_on", mode="before")(_parse_date)


class MergeIn(Dated):
    sources: list[int] = Field(description="ids of the organizations merged")
    target: int | None = Field(None, description="an existing organization; or give new_code and new_name")
    new_code: str = ""
    new_name: str = ""
    committee_from: int | None = Field(
        None, description="one of the sources whose current committee carries over to the new organization"
    )


class SplitPartIn(Schema):
    code: str
    name: str
    address: str = ""
    member_ids: list[int]


class SplitIn(Dated):
    source: int
    parts: list[SplitPartIn]
    takes_over: int = Field(0, description="index in parts of the organization that takes over open matters")


class MoveIn(Dated):
    organization: int
    new_parent: int


class RenameIn(Dated):
    organization: int
    new_name: str


class DissolveIn(Dated):
    organization: int


class TermIn(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    committees: list[CommitteeKind] = []

    parse_dates = field_validator("starts_on", "ends_on", mode="before")(_parse_date)


class CommitteeIn(Schema):
    kind: CommitteeKind


class PositionIn(Schema):
    member: int
    title: PositionTitle
    starts_on: dt.date

    parse_dates = field_validator("starts_on", mode="before")(_parse_date)


class EndIn(Schema):
    ends_on: dt.date

    parse_dates = field_validator("ends_on", mode="before")(_parse_date)


class SupervisionIn(Schema):
    supervisor: int = Field(description="id of the member who supervises")
    assigned_by: int = Field(description="id of the organization whose committee assigns")
    kind: SupervisionKind | None = Field(None, description="default: what the organization needs")
    starts_on: dt.date

    parse_dates = field_validator("starts_on", mode="before")(_parse_date)


class UnsupervisedOut(Schema):
    organization: OrgRef
    parent: OrgRef | None
    needed: str


# --- helpers ----------------------------------------------------------------------------------------------------


def _ref(org) -> dict | None:
    return None if org is None else {"id": org.pk, "code": org.code, "name": org.name}


def _member(member) -> dict:
    return {"id": member.pk, "full_name": member.full_name}


def _org_out(org: Organization, counts: dict[str, int]) -> dict:
    return {
        "id": org.pk,
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "kind_label": str(org.get_kind_display()),
        "status": org.status,
        "status_label": str(org.get_status_display()),
        "parent_id": org.parent_id,
        "depth": org.depth,
        "address": org.address,
        "residential": org.residential,
        "established_on": org.established_on,
        "ended_on": org.ended_on,
        "successor_id": org.successor_id,
        "version": org.version,
        "counts": selectors.count_summary(counts),
    }


def _supervision_out(a: SupervisionAssignment) -> dict:
    return {
        "id": a.pk,
        "supervisor": _member(a.supervisor),
        "organization": _ref(a.organization),
        "assigned_by": _ref(a.assigned_by),
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
    }


def _restructuring_out(event: RestructuringEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "effective_on": event.effective_on,
        "decision_number": event.decision_number,
        "note": event.note,
        "sources": [_ref(o) for o in event.sources.all()],
        "targets": [_ref(o) for o in event.targets.all()],
        "details": event.details,
        "recorded_by": str(event.recorded_by) if event.recorded_by_id else None,
    }


def _paging(page: int, page_size: int) -> None:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."),
            fields={"page_size" if page >= 1 else "page": [_("The value is out of range.")]},
            code="invalid",
        )


def _detail(request: HttpRequest, org: Organization) -> dict:
    counts = selectors.member_counts([org]).get(org.pk, {})
    data = _org_out(org, counts)
    data["ancestors"] = [_ref(a) for a in selectors.organization_ancestors(org)]
    data["warnings"] = [
        {"code": w.code, "message": w.message, "source": w.source}
        for w in selectors.structure_warnings(org, counts=counts)
    ]
    data["committees"] = [
        {
            "id": c.pk,
            "kind": c.kind,
            "kind_label": str(c.get_kind_display()),
            "term": {
                "id": c.term.pk,
                "name": c.term.name,
                "starts_on": c.term.starts_on,
                "ends_on": c.term.ends_on,
            },
            "positions": [
                {
                    "id": p.pk,
                    "title": p.title,
                    "title_label": p.label,
                    "member": _member(p.member),
                    "starts_on": p.starts_on,
                    "ends_on": p.ends_on,
                }
                for p in c.current_positions
            ],
        }
        for c in selectors.current_committees(org)
    ]
    data["supervisors"] = [
        _supervision_out(a)
        for a in selectors.supervision_list(actor=request.user, org=org).select_related("organization")
    ]
    data["supervises"] = [
        _supervision_out(a) for a in selectors.supervisions_assigned_by(org).select_related("assigned_by")
    ]
    return data


def _tree_out(node: selectors.TreeNode) -> dict:
    return {
        "id": node.org.pk,
        "code": node.org.code,
        "name": node.org.name,
        "kind": node.org.kind,
        "status": node.org.status,
        "counts": None if node.total_as_of is not None else selectors.count_summary(node.counts),
        "total_as_of": node.total_as_of,
        "has_children": node.has_children,
        "children": [_tree_out(child) for child in node.children],
    }


def _access(request: HttpRequest, pk: int, perm: str = "orgs.view") -> Organization:
    return selectors.access_organization(request.user, pk, perm=perm)


def _restructure_target(request: HttpRequest, pk: int) -> Organization:
    return _access(request, pk, "orgs.restructure")


def _member_in_scope(request: HttpRequest, pk: int, *, field: str):
    """A member the caller may see; an unknown or invisible one is a field error, not a leak."""
    from django.apps import apps

    Member = apps.get_model("members", "Member")  # noqa: N806 - a model class
    member = (
        Member.objects.filter(permissions.scope_q(request.user, "members.view", field="organization__path"))
        .select_related("organization")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise RuleViolation(
            _("This member was not found."), fields={field: [_("This member was not found.")]}
        )
    return member


# --- reads ------------------------------------------------------------------------------------------------------


@router.get("/", response=OrgPage, url_name="organization_list", summary="List organizations")
def organization_list(
    request: HttpRequest,
    q: str = "",
    kind: OrgKind | None = None,
    status: str = "",
    parent: int | None = None,
    page: int = 1,
    page_size: int = 25,
):
    """Organizations in the caller's scope, in tree order, with member counts for each one's subtree.

    `q` matches the name without regard to accents, or the exact code; `status` is "" (active), "all", or one
    status (ACTIVE, MERGED, SPLIT, DISSOLVED); `parent` lists the direct children of one organization."""
    _paging(page, page_size)
    if status and status != "all" and status not in OrgStatus.values:
        raise CosoError(
            _("Please correct the errors."), fields={"status": [_("Unknown status.")]}, code="invalid"
        )
    parent_org = _access(request, parent) if parent is not None else None
    qs = selectors.organization_list(
        actor=request.user, q=q, kind=kind or "", status=status, parent=parent_org
    )
    paginator = Paginator(qs, page_size)
    current = paginator.get_page(page)
    orgs = list(current.object_list)
    counts = selectors.member_counts(orgs)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_org_out(o, counts.get(o.pk, {})) for o in orgs],
    }


@router.get("/tree", response=list[TreeNodeOut], url_name="organization_tree", summary="The tree, nested")
def organization_tree(
    request: HttpRequest,
    root: str | None = None,
    as_of: str | None = None,
    include_inactive: bool = False,
    max_depth: int | None = None,
):
    """`root`: id or code of the subtree's root (default: everything you may see); `as_of`: the tree as it stood
    on that date (yyyy-mm-dd or dd/mm/yyyy), with the members recorded in each organization on that day."""
    if not permissions.has_any(request.user, "orgs.view"):
        return []
    root_org = selectors.access_organization(request.user, root) if root else None
    if as_of:
        on = _parse_date(as_of)
        if not isinstance(on, dt.date) or on > timezone.localdate():
            raise CosoError(
                _("Please correct the errors."),
                fields={"as_of": [_("Give a past date as yyyy-mm-dd or dd/mm/yyyy.")]},
                code="invalid",
            )
        nodes = selectors.organization_tree_as_of(actor=request.user, on=on, root=root_org, with_counts=True)
    else:
        nodes = selectors.organization_tree(
            actor=request.user, root=root_org, max_depth=max_depth, include_inactive=include_inactive
        )
    return [_tree_out(node) for node in nodes]


@router.get(
    "/restructurings",
    response=RestructuringPage,
    url_name="restructuring_list",
    summary="Restructurings in your scope",
)
def restructuring_list(
    request: HttpRequest, organization: int | None = None, page: int = 1, page_size: int = 25
):
    _paging(page, page_size)
    org = _access(request, organization) if organization is not None else None
    paginator = Paginator(selectors.restructuring_list(actor=request.user, org=org), page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_restructuring_out(e) for e in current.object_list],
    }


@router.get(
    "/unsupervised",
    response=list[UnsupervisedOut],
    url_name="organization_unsupervised_list",
    summary="Organizations nobody supervises",
)
def organization_unsupervised_list(request: HttpRequest):
    return [
        {"organization": _ref(o), "parent": _ref(o.parent), "needed": selectors.needed_supervision(o)}
        for o in selectors.unsupervised_list(actor=request.user)
    ]


@router.get("/{int:org_id}", response=OrgDetailOut, url_name="organization_detail", summary="An organization")
def organization_detail(request: HttpRequest, org_id: int):
    return _detail(request, _access(request, org_id))


@router.get(
    "/{int:org_id}/subtree",
    response=list[OrgOut],
    url_name="organization_subtree",
    summary="The subtree, flat, in tree order",
)
def organization_subtree(request: HttpRequest, org_id: int, include_inactive: bool = False):
    org = _access(request, org_id)
    orgs = list(selectors.organization_list(actor=request.user, root=org, include_inactive=include_inactive))
    counts = selectors.member_counts(orgs)
    return [_org_out(o, counts.get(o.pk, {})) for o in orgs]


# --- writes -----------------------------------------------------------------------------------------------------


@router.post(
    "/", response={201: OrgDetailOut}, url_name="organization_create", summary="Create an organization"
)
def organization_create(request: HttpRequest, payload: OrgCreateIn):
    parent = _access(request, payload.parent, "orgs.change")
    org = services.organization_create(
        actor=request.user,
        code=payload.code.strip(),
        name=payload.name,
        kind=payload.kind,
        parent=parent,
        address=payload.address,
        established_on=payload.established_on,
        residential=payload.residential,
    )
    return 201, _detail(request, org)


@router.patch(
    "/{int:org_id}", response=OrgDetailOut, url_name="organization_update", summary="Edit an organization"
)
def organization_update(request: HttpRequest, org_id: int, payload: OrgUpdateIn):
    """Send the fields to change (code, name, address, established_on) and the `version` you read.

    A stale version answers 409. Renaming by decision and moving are restructurings (dated, recorded)."""
    org = _access(request, org_id, "orgs.change")
    fields = sent_fields(request, payload)
    # Refused here too: an unknown key must not reach the service as a keyword argument.
    refuse_unwritable(fields, services.ORGANIZATION_EDITABLE_FIELDS)
    for name in ("code", "name", "address"):
        if fields.get(name) is None and name in fields:
            fields[name] = ""
    if fields.get("residential", False) is None:
        del fields["residential"]
    org = services.organization_update(
        actor=request.user, org=org, expected_version=payload.version, **fields
    )
    return _detail(request, org)


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
