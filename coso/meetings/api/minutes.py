"""Minutes of a meeting: read, edit, approve, download as .docx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import CosoError, RuleViolation

from .. import exports, selectors, services
from ._common import router
from .schemas import MinutesIn, MinutesOut, VersionIn


def _minutes_out(minutes) -> dict:
    return {
        "number": minutes.number,
        "status": minutes.status,
        "opening": minutes.opening,
        "items": minutes.items,
        "conclusion": minutes.conclusion,
        "resolutions": [
            {
                "text": r.text,
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "votes_abstain": r.votes_abstain,
                "base": r.base,
                "passed": r.passed,
            }
            for r in minutes.resolutions.all()
        ],
        "approved_at": minutes.approved_at,
        "version": minutes.version,
    }


@router.get(
    "/{int:meeting_id}/minutes", response=MinutesOut, url_name="meeting_minutes", summary="The minutes"
)
def meeting_minutes(request: HttpRequest, meeting_id: int):
    meeting = selectors.access_meeting(request.user, meeting_id)
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        if not permissions.can(request.user, "meetings.manage", meeting.organization.path):
            raise CosoError(_("The minutes have not been written yet."), code="not_found")
        minutes = services.minutes_start(actor=request.user, meeting=meeting)
    return _minutes_out(minutes)


@router.put(
    "/{int:meeting_id}/minutes",
    response=MinutesOut,
    url_name="meeting_minutes_update",
    summary="Save the draft",
)
def meeting_minutes_update(request: HttpRequest, meeting_id: int, payload: MinutesIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    minutes = services.minutes_start(actor=request.user, meeting=meeting)
    # A part sent as null is left as it is, like a part not sent at all.
    data = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    version = data.pop("version")
    resolutions = data.pop("resolutions", None)
    minutes = services.minutes_update(
        actor=request.user, minutes=minutes, data=data, resolutions=resolutions, expected_version=version
    )
    return _minutes_out(selectors.minutes_current(meeting))


@router.post(
    "/{int:meeting_id}/minutes/approve",
    response=MinutesOut,
    url_name="meeting_minutes_approve",
    summary="Approve and lock the minutes",
)
def meeting_minutes_approve(request: HttpRequest, meeting_id: int, payload: VersionIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.approve_minutes")
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        raise RuleViolation(_("The minutes have not been written yet."), code="no_minutes")
    services.minutes_approve(actor=request.user, minutes=minutes, expected_version=payload.version)
    return _minutes_out(selectors.minutes_current(meeting))


@router.get(
    "/{int:meeting_id}/minutes.docx",
    url_name="meeting_minutes_docx",
    summary="The minutes as .docx",
    response={200: None},
)
def meeting_minutes_docx(request: HttpRequest, meeting_id: int):
    meeting = selectors.access_meeting(request.user, meeting_id)
    minutes = selectors.minutes_current(meeting)
    if minutes is None:
        raise CosoError(_("The minutes have not been written yet."), code="not_found")
    response = HttpResponse(
        exports.minutes_docx(meeting, minutes),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.pk}-v{minutes.number}.docx"'
    return response
