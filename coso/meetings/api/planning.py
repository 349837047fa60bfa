"""A cell's year: the calendar of its meetings, and planning the regular ones in one step."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coso.accounts import permissions
from coso.orgs.models import Organization

from .. import selectors, services
from ._common import _access_org, _meeting_out, _org, router
from .schemas import CalendarOut, MeetingOut, PlanYearIn


@router.get("/calendar", response=CalendarOut, url_name="calendar_get", summary="A cell's year")
def calendar_get(request: HttpRequest, org: int, year: int | None = None):
    organization = get_object_or_404(Organization, pk=org)
    permissions.authorize(request.user, "meetings.view", organization.path)
    today = timezone.localdate()
    year = year or today.year
    months, check = selectors.year_calendar(organization, year=year, today=today)
    return {
        "organization": _org(organization),
        "year": year,
        "months": [
            {
                "month": row.month,
                "held": row.held,
                "meetings": [_meeting_out(m) for m in row.meetings],
                "topics": [t.topic for t in row.topics],
            }
            for row in months
        ],
        "months_without_held": check.months_without_held,
        "quarters_without_thematic": check.quarters_without_thematic,
    }


@router.post(
    "/calendar/plan",
    response={201: list[MeetingOut]},
    url_name="calendar_plan",
    summary="Plan the year's regular meetings",
)
def calendar_plan(request: HttpRequest, payload: PlanYearIn):
    org = _access_org(request.user, payload.organization, "meetings.manage")
    created = services.meeting_plan_year(
        actor=request.user,
        organization=org,
        year=payload.year,
        day=payload.day,
        time=payload.time,
        place=payload.place,
        duration_minutes=payload.duration_minutes,
    )
    return 201, [_meeting_out(m) for m in created]
