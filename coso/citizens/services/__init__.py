"""Writes of the citizens app: intake, the feedback workflow (one service per transition), reception days,
dialogues, routing rules, and the scheduled jobs (escalation, closing stale answers, weekly digest).

One sub-module per sub-area (routing, intake, workflow, reporter, jobs, reception); every public name is
re-exported here, so callers import from `coso.citizens.services` as before.
"""

from __future__ import annotations

from ._common import HANDLERS, OFFICE, TRANSITIONS, S, users_of
from .intake import feedback_create
from .jobs import feedback_close_stale, feedback_digest, feedback_escalate_overdue
from .reception import (
    DIALOGUE_FIELDS,
    RECEPTION_FIELDS,
    category_save,
    dialogue_invite_members,
    dialogue_save,
    heads_of,
    reception_day_save,
    routing_rule_delete,
    routing_rule_save,
)
from .reporter import feedback_rate, feedback_reopen
from .routing import (
    CODE_ALPHABET,
    PUBLIC_CHANNELS,
    acceptance_deadline,
    deadline_for,
    level_of,
    normalize_code,
    receiving_unit_for,
    route,
    tracking_code,
)
from .workflow import (
    evidence_missing,
    feedback_answer,
    feedback_assign,
    feedback_close,
    feedback_extend,
    feedback_note,
    feedback_reassign,
    feedback_reject,
    feedback_start,
    feedback_transfer,
)

__all__ = [
    "CODE_ALPHABET",
    "PUBLIC_CHANNELS",
    "acceptance_deadline",
    "deadline_for",
    "level_of",
    "normalize_code",
    "receiving_unit_for",
    "route",
    "tracking_code",
    "HANDLERS",
    "OFFICE",
    "S",
    "TRANSITIONS",
    "users_of",
    "feedback_create",
    "evidence_missing",
    "feedback_answer",
    "feedback_assign",
    "feedback_close",
    "feedback_extend",
    "feedback_note",
    "feedback_reassign",
    "feedback_reject",
    "feedback_start",
    "feedback_transfer",
    "feedback_rate",
    "feedback_reopen",
    "feedback_close_stale",
    "feedback_digest",
    "feedback_escalate_overdue",
    "DIALOGUE_FIELDS",
    "RECEPTION_FIELDS",
    "category_save",
    "dialogue_invite_members",
    "dialogue_save",
    "heads_of",
    "reception_day_save",
    "routing_rule_delete",
    "routing_rule_save",
]
