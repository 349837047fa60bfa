"""JSON API of the meetings app (django-ninja), mounted by coso.api.api under /api/v1/meetings/.

Everything is scoped like the pages: a meeting outside the caller's part of the tree is a 404, a write the role
does not allow is a 403, a broken rule a 422 with the field named, a stale version a 409.

`router` and the schemas live in `_common` and `schemas`; the operations in one sub-module per sub-area
(meetings, attendance, minutes, escalations, planning, rotation), re-exported here.
"""

from __future__ import annotations

# isort: off
# The sub-modules add their operations to `router` when imported: in this order, the order of the
# paths in the schema and of the URL patterns tried.
from . import meetings, attendance, minutes, escalations, planning, rotation  # noqa: F401

# isort: on
from ._common import MAX_PAGE_SIZE, PREFIX, router
from .attendance import meeting_attendance, meeting_attendance_set
from .escalations import escalation_answer, escalation_create, escalation_list
from .meetings import (
    meeting_agenda,
    meeting_agenda_set,
    meeting_create,
    meeting_detail,
    meeting_list,
    meeting_publish,
    meeting_update,
)
from .minutes import meeting_minutes, meeting_minutes_approve, meeting_minutes_docx, meeting_minutes_update
from .planning import calendar_get, calendar_plan
from .rotation import rotation_plan_create, rotation_plan_detail, rotation_plan_list, rotation_plan_publish
from .schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AnswerIn,
    AttendanceIn,
    AttendanceListOut,
    AttendanceOut,
    CalendarOut,
    DocumentOut,
    EscalationIn,
    EscalationOut,
    FiguresOut,
    GuestOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingPage,
    MeetingPatch,
    MemberRef,
    MinutesIn,
    MinutesItem,
    MinutesOut,
    MonthOut,
    OrgRef,
    PlanYearIn,
    PublishOut,
    ResolutionIO,
    ResolutionOut,
    RotationPlanDetailOut,
    RotationPlanIn,
    RotationPlanOut,
    VersionIn,
    VisitOut,
)

__all__ = [
    "AgendaItemIn",
    "AgendaItemOut",
    "AnswerIn",
    "AttendanceIn",
    "AttendanceListOut",
    "AttendanceOut",
    "CalendarOut",
    "DocumentOut",
    "EscalationIn",
    "EscalationOut",
    "FiguresOut",
    "GuestOut",
    "MeetingDetailOut",
    "MeetingIn",
    "MeetingOut",
    "MeetingPage",
    "MeetingPatch",
    "MemberRef",
    "MinutesIn",
    "MinutesItem",
    "MinutesOut",
    "MonthOut",
    "OrgRef",
    "PlanYearIn",
    "PublishOut",
    "ResolutionIO",
    "ResolutionOut",
    "RotationPlanDetailOut",
    "RotationPlanIn",
    "RotationPlanOut",
    "VersionIn",
    "VisitOut",
    "MAX_PAGE_SIZE",
    "PREFIX",
    "router",
    "meeting_agenda",
    "meeting_agenda_set",
    "meeting_create",
    "meeting_detail",
    "meeting_list",
    "meeting_publish",
    "meeting_update",
    "meeting_attendance",
    "meeting_attendance_set",
    "meeting_minutes",
    "meeting_minutes_approve",
    "meeting_minutes_docx",
    "meeting_minutes_update",
    "escalation_answer",
    "escalation_create",
    "escalation_list",
    "calendar_get",
    "calendar_plan",
    "rotation_plan_create",
    "rotation_plan_detail",
    "rotation_plan_list",
    "rotation_plan_publish",
]


# The OpenAPI operation ids stay those of the single module this package replaced
# (coso_meetings_api_<function>), so generated clients keep their method names.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.operation_id = _operation.operation_id or (
            f"coso_meetings_api_{_operation.view_func.__name__}"
        )
