"""Writes of the study app: the library, campaigns, learning reports (one service per transition) and plans.

One sub-module per sub-area (library, campaigns, reviewers, reports, plans, sessions); every public name is
re-exported here, so callers import from `coso.study.services` as before.
"""

from __future__ import annotations

from ._common import REQUIRED_STATUSES
from .campaigns import campaign_close, campaign_launch, campaign_requires, campaign_update
from .library import DOCUMENT_FIELDS, bookmark_toggle, document_create, document_replace, document_update
from .plans import (
    HEAD_TITLES,
    plan_assess,
    plan_heads,
    plan_heads_pending,
    plan_start,
    plan_submit,
    plan_update,
)
from .reports import (
    EDITABLE_REPORT_STATUSES,
    REPORT_TRANSITIONS,
    REPORT_WRITABLE_FIELDS,
    report_return,
    report_review,
    report_start,
    report_submit,
    report_update,
    reports_remind,
)
from .reviewers import reviewer_for, reviewers_for
from .sessions import study_session_publish_absentees, study_session_schedule

__all__ = [
    "REQUIRED_STATUSES",
    "DOCUMENT_FIELDS",
    "bookmark_toggle",
    "document_create",
    "document_replace",
    "document_update",
    "campaign_close",
    "campaign_launch",
    "campaign_requires",
    "campaign_update",
    "reviewer_for",
    "reviewers_for",
    "EDITABLE_REPORT_STATUSES",
    "REPORT_TRANSITIONS",
    "REPORT_WRITABLE_FIELDS",
    "report_return",
    "report_review",
    "report_start",
    "report_submit",
    "report_update",
    "reports_remind",
    "HEAD_TITLES",
    "plan_assess",
    "plan_heads",
    "plan_heads_pending",
    "plan_start",
    "plan_submit",
    "plan_update",
    "study_session_publish_absentees",
    "study_session_schedule",
]
