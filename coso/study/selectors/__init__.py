"""Reads of the study app, always scoped by the actor through accounts.permissions.

Documents and campaigns are published by an organization for its subtree: a user sees those published by an
organization in their scope or above it (a cell member reads the city's campaign). Learning reports are seen by
their author and by the roles that handle members' records.

One sub-module per sub-area (scope, documents, campaigns, reports, todo, plans); every public name is re-exported
here, so callers import from `coso.study.selectors` as before.
"""

from __future__ import annotations

from .campaigns import (
    Progress,
    ProgressRow,
    access_campaign,
    campaign_list,
    campaign_member_rows,
    campaign_progress,
    campaign_sessions,
    progress_level,
    studied_subquery,
)
from .documents import DocumentFilters, access_document, document_chain, document_list, is_bookmarked
from .plans import PlanResult, access_plan, follow_through_results, plan_for, plan_list
from .reports import ReportFilters, access_report, can_review, report_list, reports_due_soon
from .scope import REQUIRED_STATUSES, reach_q, reaches
from .todo import StudyTodo, member_study_todo

__all__ = [
    "REQUIRED_STATUSES",
    "reach_q",
    "reaches",
    "DocumentFilters",
    "access_document",
    "document_chain",
    "document_list",
    "is_bookmarked",
    "Progress",
    "ProgressRow",
    "access_campaign",
    "campaign_list",
    "campaign_member_rows",
    "campaign_progress",
    "progress_level",
    "campaign_sessions",
    "studied_subquery",
    "ReportFilters",
    "access_report",
    "can_review",
    "report_list",
    "reports_due_soon",
    "StudyTodo",
    "member_study_todo",
    "PlanResult",
    "access_plan",
    "follow_through_results",
    "plan_for",
    "plan_list",
]
