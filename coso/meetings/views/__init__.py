"""HTML pages of the meetings app: list, planning, notice, attendance on a phone, minutes and their .docx,
escalations, the yearly calendar, seasonal topics, the committee overview, rotation plans and the calendar feed.

One sub-module per sub-area; the views are re-exported here for `coso/meetings/urls.py`.
"""

from __future__ import annotations

from ._common import PAGE_SIZE
from .agenda import agenda_add, agenda_delete, document_add, document_delete, guest_add, guest_delete
from .calendar_feed import feed, feed_settings
from .committee_overview import overview
from .escalations import escalation_add, escalation_answer, escalation_list
from .meetings import (
    meeting_cancel,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_hold,
    meeting_list,
    meeting_publish,
)
from .minutes import MAX_RESOLUTIONS, minutes_approve, minutes_correct, minutes_docx, minutes_edit
from .planning import MAX_YEAR, MIN_YEAR, calendar, plan_year, topic_delete, topic_list
from .roll_call import attendance, attendance_mark, attendance_rest_present
from .rotation import rotation_create, rotation_detail, rotation_list, rotation_publish, rotation_visit_move

__all__ = [
    "PAGE_SIZE",
    "meeting_cancel",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_hold",
    "meeting_list",
    "meeting_publish",
    "agenda_add",
    "agenda_delete",
    "document_add",
    "document_delete",
    "guest_add",
    "guest_delete",
    "attendance",
    "attendance_mark",
    "attendance_rest_present",
    "MAX_RESOLUTIONS",
    "minutes_approve",
    "minutes_correct",
    "minutes_docx",
    "minutes_edit",
    "escalation_add",
    "escalation_answer",
    "escalation_list",
    "MAX_YEAR",
    "MIN_YEAR",
    "calendar",
    "plan_year",
    "topic_delete",
    "topic_list",
    "overview",
    "rotation_create",
    "rotation_detail",
    "rotation_list",
    "rotation_publish",
    "rotation_visit_move",
    "feed",
    "feed_settings",
]
