"""JSON API for member records (django-ninja), mounted by coso.api.api under /api/v1/members/.

The list reads the same query string as the page (search, filters, sort); personal fields are masked where the
caller's role does not need them; every answer with a full personal record is written to the access log.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import field_validator

from coso.accounts import permissions
from coso.accounts.services import access_log_record
from coso.core.exceptions import CosoError, RuleViolation
from coso.core.pagination import KnownCountPaginator
from coso.core.patching import sent_fields
from coso.orgs import selectors as org_selectors

from . import personal, selectors, services
from .forms import DATE_INPUT_FORMATS, MemberFilterForm
from .models import EventKind, Member, MemberEvent, MemberStatus, PeriodKind

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


class OrgRef(Schema):
    id: int
    code: str
    name: str


class MemberOut(Schema):
    id: int
    full_name: str
    gender: str
    date_of_birth: dt.date | None = Field(None, description="null when masked")
    birth_year: int | None
    national_id: str = Field(
        description="empty for roles without personal data; masked (0*******123) in lists unless reveal=1"
    )
    phone: str
    email: str
    current_address: str
    personal_masked: bool
    theory_level: str
    card_number: str
    admitted_on: dt.date
    full_member_on: dt.date | None
    working_away: bool
    status: str
    status_label: str
    organization: OrgRef
    version: int


class MemberPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[MemberOut]


class PeriodOut(Schema):
    organization: OrgRef
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None


class MemberDetailOut(MemberOut):
    ethnicity: str
    religion: str
    hometown: str
    education: str
    professional_qualification: str
    occupation: str
    periods: list[PeriodOut]


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    occurred_on: dt.date
    decision_number: str
    issuing_body: str
    discipline_form: str
    from_organization: OrgRef | None
    to_organization: OrgRef | None
    external_party: str
    note: str
    recorded_by: str | None


class MemberFields(Schema):
    full_name: str | None = None
    gender: str | None = None
    date_of_birth: dt.date | None = None
    ethnicity: str | None = None
    religion: str | None = None
    hometown: str | None = None
    current_address: str | None = None
    national_id: str | None = None
    phone: str | None = None
    email: str | None = None
    education: str | None = None
    professional_qualification: str | None = None
    theory_level: str | None = None
    occupation: str | None = None
    card_number: str | None = None
    admitted_on: dt.date | None = None
    full_member_on: dt.date | None = None
    working_away: bool | None = None

    parse_dates = field_validator("date_of_birth", "admitted_on", "full_member_on", mode="before")(
        _parse_date
    )


class MemberCreateIn(MemberFields):
    organization: int = Field(description="id of the cell the member belongs to")
    full_name: str
    gender: str
    date_of_birth: dt.date
    admitted_on: dt.date


class MemberUpdateIn(MemberFields):
    version: int = Field(description="the version you read; a stale one is a 409 conflict")


class EventIn(Schema):
    kind: str = Field(
        description="RECOGNITION, EXEMPTION, EXEMPTION_END, DISCIPLINE, STRUCK_OFF, EXPELLED, DEATH"
    )
    occurred_on: dt.date
    decision_number: str = ""
    issuing_body: str = ""
    discipline_form: str = ""
    note: str = ""
    # Transfers through this route too: a cell in Coso, or an organization outside it.
    to_organization: int | None = None
    external_party: str = ""
    transfer_kind: str = PeriodKind.PERMANENT

    parse_dates = field_validator("occurred_on", mode="before")(_parse_date)


class TransferIn(Schema):
    occurred_on: dt.date
    to_organization: int | None = Field(None, description="id of the receiving cell in Coso")
    external_party: str = Field("", description="the receiving organization when it is outside Coso")
    kind: str = PeriodKind.PERMANENT
    decision_number: str = ""
    issuing_body: str = ""
    note: str = ""

    parse_dates = field_validator("occurred_on", mode="before")(_parse_date)


def _org(org) -> dict | None:
    if org is None:
        return None
    return {"id": org.pk, "code": org.code, "name": org.name}


def _member_out(member: Member, level, *, masked: bool = False) -> dict:
    row = selectors.member_row(member, level, masked=masked)
    return {
        "id": member.pk,
        "full_name": member.full_name,
        "gender": member.gender,
        "date_of_birth": row["date_of_birth"],
        "birth_year": row["birth_year"],
        "national_id": row["national_id"],
        "phone": row["phone"],
        "email": row["email"],
        "current_address": row["current_address"],
        "personal_masked": not row["personal"] or row["masked"],
        "theory_level": member.theory_level,
        "card_number": row["card_number"],
        "admitted_on": member.admitted_on,
        "full_member_on": member.full_member_on,
        "working_away": member.working_away,
        "status": member.status,
        "status_label": str(member.get_status_display()),
        "organization": _org(member.organization),
        "version": member.version,
    }


def _event_out(event: MemberEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "occurred_on": event.occurred_on,
        "decision_number": event.decision_number,
        "issuing_body": event.issuing_body,
        "discipline_form": event.discipline_form,
        "from_organization": _org(event.from_organization),
        "to_organization": _org(event.to_organization),
        "external_party": event.external_party,
        "note": event.note,
        "recorded_by": str(event.recorded_by) if event.recorded_by_id else None,
    }


def _detail(request: HttpRequest, member: Member) -> dict:
    member = selectors.member_get_full(member)
    level = personal.viewer_level(request.user, member)
    if level >= personal.Level.PERSONAL:
        access_log_record(
            actor=request.user,
            action="member.view",
            obj=member,
            path=member.organization.path,
            request=request,
            detail="api",
        )
    data = _member_out(member, level)
    row = selectors.member_row(member, level)
    for name in ("ethnicity", "religion", "hometown"):
        data[name] = row[name]
    for name in ("education", "professional_qualification", "occupation"):
        data[name] = getattr(member, name)
    data["periods"] = [
        {"organization": _org(p.organization), "kind": p.kind, "starts_on": p.starts_on, "ends_on": p.ends_on}
        for p in member.periods.all()
    ]
    return data


@router.get("/", response=MemberPage, url_name="member_list", summary="List members")
def member_list(request: HttpRequest, page: int = 1, page_size: int = 25, reveal: bool = False):
    """Query parameters as on the page: q, status ("" current, "all", or a status), org, theory_level,
    age_band (lt30, 30-45, 46-60, gt60), working_away (yes/no), sort (name, -name, birth, admitted, -admitted, org).

    National IDs and phones come masked (0*******123); `reveal=1` shows them where the role may see them.
    Every page with personal fields is written to the access log with the ids it shows.
    """
    form = MemberFilterForm(request.GET, actor=request.user)
    if not form.is_valid():
        raise CosoError(_("Please correct the errors."), fields=form.errors, code="invalid")
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."),
            fields={"page_size" if page >= 1 else "page": [_("The value is out of range.")]},
            code="invalid",
        )
    filters = form.filters()
    paginator = KnownCountPaginator(
        selectors.member_list(actor=request.user, filters=filters),
        page_size,
        count=selectors.member_list_count(actor=request.user, filters=filters),
    )
    current = paginator.get_page(page)
    check = personal.level_checker(request.user)
    shown = list(current.object_list)
    levels = [check(m) for m in shown]
    own = getattr(request.user, "member_id", None)  # one's own record is never masked
    personal.log_list(request=request, members=shown, levels=levels, revealed=reveal, channel="api")
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [
            _member_out(m, lv, masked=not reveal and m.pk != own) for m, lv in zip(shown, levels, strict=True)
        ],
    }


@router.get(
    "/{int:member_id}", response=MemberDetailOut, url_name="member_detail", summary="A member's record"
)
def member_detail(request: HttpRequest, member_id: int):
    return _detail(request, selectors.access_member(request.user, member_id))


@router.post("/", response={201: MemberDetailOut}, url_name="member_create", summary="Create a member")
def member_create(request: HttpRequest, payload: MemberCreateIn):
    organization = org_selectors.access_organization(
        request.user, payload.organization, perm="members.change"
    )
    data = payload.model_dump(exclude={"organization"}, exclude_none=True)
    member = services.member_create(actor=request.user, organization=organization, data=data)
    return 201, _detail(request, member)


@router.patch(
    "/{int:member_id}", response=MemberDetailOut, url_name="member_update", summary="Update a member"
)
def member_update(request: HttpRequest, member_id: int, payload: MemberUpdateIn):
    """Send only the fields to change, plus the `version` you read. A stale version answers 409."""
    member = selectors.access_member(request.user, member_id, perm="members.change")
    data = sent_fields(request, payload)
    member = services.member_update(
        actor=request.user, member=member, data=data, expected_version=payload.version
    )
    return _detail(request, member)


def _access_events(request: HttpRequest, member_id: int) -> Member:
    """Events include discipline: they are part of the personal record."""
    member = selectors.access_member(request.user, member_id)
    if not permissions.can_view_member_personal(
        request.user, member_id=member.pk, path=member.organization.path
    ):
        permissions.authorize(request.user, "members.view_personal", member.organization.path)
    return member


@router.get(
    "/{int:member_id}/events",
    response=list[EventOut],
    url_name="member_event_list",
    summary="A member's events",
)
def member_event_list(request: HttpRequest, member_id: int):
    member = _access_events(request, member_id)
    return [_event_out(e) for e in selectors.member_event_list(member)]


def _target(request: HttpRequest, pk: int | None):
    if pk is None:
        return None
    return org_selectors.access_organization(request.user, pk, perm="members.record_event")


def _transfer(request: HttpRequest, member: Member, payload: TransferIn) -> MemberEvent:
    if member.status == MemberStatus.TRANSFERRED_OUT:
        if payload.to_organization is None:
            raise RuleViolation(
                _("Choose the cell that receives the member."),
                fields={"to_organization": [_("Choose the cell that receives the member.")]},
            )
        return services.member_transfer_in(
            actor=request.user,
            member=member,
            organization=_target(request, payload.to_organization),
            occurred_on=payload.occurred_on,
            external_party=payload.external_party,
            decision_number=payload.decision_number,
            issuing_body=payload.issuing_body,
            note=payload.note,
        )
    return services.member_transfer(
        actor=request.user,
        member=member,
        occurred_on=payload.occurred_on,
        to_organization=_target(request, payload.to_organization),
        external_party=payload.external_party,
        kind=payload.kind,
        decision_number=payload.decision_number,
        issuing_body=payload.issuing_body,
        note=payload.note,
    )


def _reload(event: MemberEvent) -> MemberEvent:
    return selectors.member_event_list(event.member).get(pk=event.pk)


@router.post(
    "/{int:member_id}/events",
    response={201: EventOut},
    url_name="member_event_create",
    summary="Record an event (transfers included)",
)
def member_event_create(request: HttpRequest, member_id: int, payload: EventIn):
    member = selectors.access_member(request.user, member_id, perm="members.record_event")
    if payload.kind in (EventKind.TRANSFER, EventKind.TRANSFER_OUT, EventKind.TRANSFER_IN):
        transfer = TransferIn(
            occurred_on=payload.occurred_on,
            to_organization=payload.to_organization,
            external_party=payload.external_party,
            kind=payload.transfer_kind,
            decision_number=payload.decision_number,
            issuing_body=payload.issuing_body,
            note=payload.note,
        )
        event = _transfer(request, member, transfer)
    elif payload.kind in services.SIMPLE_EVENTS:
        event = services.member_record_event(
            actor=request.user,
            member=member,
            kind=payload.kind,
            occurred_on=payload.occurred_on,
            decision_number=payload.decision_number,
            issuing_body=payload.issuing_body,
            discipline_form=payload.discipline_form,
            note=payload.note,
        )
    else:
        raise RuleViolation(_("Unknown event kind."), fields={"kind": [_("Unknown event kind.")]})
    return 201, _event_out(_reload(event))


@router.post(
    "/{int:member_id}/transfer",
    response={201: EventOut},
    url_name="member_transfer",
    summary="Transfer a member (to a cell, out of Coso, or back in)",
)
def member_transfer(request: HttpRequest, member_id: int, payload: TransferIn):
    member = selectors.access_member(request.user, member_id, perm="members.record_event")
    return 201, _event_out(_reload(_transfer(request, member, payload)))
