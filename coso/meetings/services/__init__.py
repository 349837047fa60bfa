"""Writes of the meetings app. Every function checks the actor's permission through accounts.permissions, runs in
one transaction and sends notices after commit.

The study app schedules its study sessions with `meeting_schedule(kind=MeetingKind.STUDY, ...)`.

One sub-module per sub-area (meetings, agenda, attendance, minutes, escalations, topics, rotation, reminders);
every public name is re-exported here, so callers import from `coso.meetings.services` as before.
"""

from __future__ import annotations

from .agenda import (
    agenda_item_add,
    agenda_item_delete,
    agenda_set,
    document_add,
    document_remove,
    guest_add,
    guest_remove,
)
from .attendance import attendance_prepare, attendance_record, attendance_rest_present
from .escalations import escalation_answer, escalation_raise
from .meetings import (
    MEETING_FIELDS,
    meeting_cancel,
    meeting_mark_held,
    meeting_plan_year,
    meeting_publish,
    meeting_recipients,
    meeting_schedule,
    meeting_update,
    meeting_warnings,
)
from .minutes import minutes_approve, minutes_correct, minutes_missing, minutes_start, minutes_update
from .reminders import calendar_token_get, calendar_token_regenerate, meetings_send_reminders
from .rotation import (
    Proposal,
    Slot,
    rotation_plan_create,
    rotation_plan_publish,
    rotation_propose,
    rotation_slots,
    rotation_visit_move,
)
from .topics import seasonal_topic_delete, seasonal_topic_save

__all__ = [
    "MEETING_FIELDS",
    "meeting_cancel",
    "meeting_mark_held",
    "meeting_plan_year",
    "meeting_publish",
    "meeting_recipients",
    "meeting_schedule",
    "meeting_update",
    "meeting_warnings",
    "agenda_item_add",
    "agenda_item_delete",
    "agenda_set",
    "document_add",
    "document_remove",
    "guest_add",
    "guest_remove",
    "attendance_prepare",
    "attendance_record",
    "attendance_rest_present",
    "minutes_approve",
    "minutes_correct",
    "minutes_missing",
    "minutes_start",
    "minutes_update",
    "escalation_answer",
    "escalation_raise",
    "seasonal_topic_delete",
    "seasonal_topic_save",
    "Proposal",
    "Slot",
    "rotation_plan_create",
    "rotation_plan_publish",
    "rotation_propose",
    "rotation_slots",
    "rotation_visit_move",
    "calendar_token_get",
    "calendar_token_regenerate",
    "meetings_send_reminders",
]
