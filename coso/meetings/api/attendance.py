"""Attendance of a meeting: the list with its figures, and marking a member."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from coso.members.models import Member

from .. import selectors, services
from ..models import Meeting
from ._common import _member, router
from .schemas import AttendanceIn, AttendanceListOut


def _figures_out(figures) -> dict:
    return {
        "total": figures.total,
        "must_attend": figures.must_attend,
        "probationary": figures.probationary,
        "base": figures.base,
        "vote_base": figures.vote_base,
        "probationary_counted": figures.probationary_counted,
        "rule_source": figures.rule_source,
        "attended": figures.attended,
        "excused": figures.excused,
        "unexcused": figures.unexcused,
        "unrecorded": figures.unrecorded,
        "exempted": figures.exempted,
        "rate": figures.rate,
        "flags": [str(f) for f in figures.flags],
    }


def _attendance_list(meeting: Meeting) -> dict:
    rows = selectors.attendance_rows(meeting)
    return {
        "figures": _figures_out(selectors.meeting_figures(meeting, rows)),
        "rows": [
            {
                "member": _member(r.member),
                "status": r.status,
                "reason": r.reason,
                "exempted": r.exempted,
                "counted": r.counted,
                "is_guest": r.is_guest,
            }
            for r in rows
        ],
    }


@router.get(
    "/{int:meeting_id}/attendance",
    response=AttendanceListOut,
    url_name="meeting_attendance",
    summary="Attendance with the rate and flags",
)
def meeting_attendance(request: HttpRequest, meeting_id: int):
    return _attendance_list(selectors.access_meeting(request.user, meeting_id))


@router.put(
    "/{int:meeting_id}/attendance/{int:member_id}",
    response=AttendanceListOut,
    url_name="meeting_attendance_set",
    summary="Record one member's attendance",
)
def meeting_attendance_set(request: HttpRequest, meeting_id: int, member_id: int, payload: AttendanceIn):
    meeting = selectors.access_meeting(request.user, meeting_id, perm="meetings.manage")
    member = get_object_or_404(Member, pk=member_id)
    services.attendance_record(
        actor=request.user, meeting=meeting, member=member, status=payload.status, reason=payload.reason
    )
    return _attendance_list(meeting)
