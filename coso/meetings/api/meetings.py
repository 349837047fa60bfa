"""Meetings: list, plan, read, re-plan, send the notice, the agenda."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import CosoError
from coso.core.patching import sent_fields
from coso.orgs.models import Organization

from .. import selectors, services
from ._common import MAX_PAGE_SIZE, _access_org, _cell_member, _detail_out, _meeting_out, _member, router
from .schemas import (
    AgendaItemIn,
    AgendaItemOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingPage,
    MeetingPatch,
    PublishOut,
    VersionIn,
)


@router.get("/", response=MeetingPage, url_name="meeting_list", summary="List meetings")
def meeting_list(
    request: HttpRequest,
    org: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    page: int = 1,
    page_size: int = 25,
):
    """Meetings in the caller's scope, newest first; `org` limits to an organization's subtree."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."), fields={"page_size": [_("The value is out of range.")]}
        )
    organization = None
    if org is not None:
        organization = get_object_or_404(Organization, pk=org)
        permissions.authorize(request.user, "meetings.view", organization.path)
    qs = selectors.meeting_list(
        actor=request.user,
        organization=organization,
        kind=kind,
        status=status,
        starts_from=start,
        starts_to=end,
    )
    paginator = Paginator(qs, page_size)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "page_size": page_size,
        "pages": paginator.num_pages,
        "results": [_meeting_out(m) for m in current.object_list],
    }


@router.post("/", response={201: MeetingDetailOut}, url_name="meeting_create", summary="Plan a meeting")
def meeting_create(request: HttpRequest, payload: MeetingIn):
    org = _access_org(request.user, payload.organization, "meetings.manage")
    meeting = services.meeting_schedule(
        actor=request.user,
        organization=org,
        kind=payload.kind,
        starts_at=payload.starts_at,
        title=payload.title,
        topic=payload.topic,
        duration_minutes=payload.duration_minutes,
        place=payload.place,
        chair=_cell_member(None, payload.chair, "chair"),
        minute_taker=_cell_member(None, payload.minute_taker, "minute_taker"),
        combined_thematic=payload.combined_thematic,
        agenda=payload.agenda,
    )
    return 201, _detail_out(request, meeting)


@router.get("/{int:meeting_id}", response=MeetingDetailOut, url_name="meeting_detail", summary="A meeting")
def meeting_detail(request: HttpRequest, meeting_id: int):
    return _detail_out(request, selectors.access_meeting(request.user, meeting_id))


@router.patch("/{int:meeting_id}", response=MeetingDetailOut, url_name="meeting_update", summary="Re-plan")
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    data = sent_fields(request, payload)
    version = payload.version
    for field in ("chair", "minute_taker"):
        if field in data:
            data[field] = _cell_member(meeting, data[field], field)
    services.meeting_update(actor=request.user, meeting=meeting, data=data, expected_version=version)
    return _detail_out(request, meeting)


@router.post(
    "/{int:meeting_id}/publish", response=PublishOut, url_name="meeting_publish", summary="Send the notice"
)
def meeting_publish(request: HttpRequest, meeting_id: int, payload: VersionIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    warnings = services.meeting_publish(actor=request.user, meeting=meeting, expected_version=payload.version)
    return {"meeting": _meeting_out(meeting), "warnings": [str(w) for w in warnings]}


@router.get(
    "/{int:meeting_id}/agenda", response=list[AgendaItemOut], url_name="meeting_agenda", summary="The agenda"
)
def meeting_agenda(request: HttpRequest, meeting_id: int):
    meeting = selectors.access_meeting(request.user, meeting_id)
    return [
        {
            "order": i.order,
            "title": i.title,
            "presenter": _member(i.presenter),
            "duration_minutes": i.duration_minutes,
        }
        for i in meeting.agenda_items.select_related("presenter")
    ]


@router.put(
    "/{int:meeting_id}/agenda",
    response=list[AgendaItemOut],
    url_name="meeting_agenda_set",
    summary="Replace the agenda",
)
def meeting_agenda_set(request: HttpRequest, meeting_id: int, payload: list[AgendaItemIn]):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    items = [
        {
            "title": item.title,
            "presenter": _cell_member(meeting, item.presenter, "presenter"),
            "duration_minutes": item.duration_minutes,
        }
        for item in payload
    ]
    services.agenda_set(actor=request.user, meeting=meeting, items=items)
    return meeting_agenda(request, meeting_id)
