"""HTML pages of the study app: the library, campaigns (progress, sessions, exports), learning reports, plans.

One sub-module per sub-area; the views are re-exported here for `coso/study/urls.py`.
"""

from __future__ import annotations

from ._common import PAGE_SIZE
from .campaigns import (
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_export_docx,
    campaign_export_xlsx,
    campaign_list,
    campaign_members,
    session_create,
    session_detail,
    session_publish,
)
from .documents import document_bookmark, document_create, document_detail, document_edit, document_list
from .plans import plan_detail, plan_list, plan_mine
from .reports import report_detail, report_list, report_mine

__all__ = [
    "PAGE_SIZE",
    "document_list",
    "document_detail",
    "document_create",
    "document_edit",
    "document_bookmark",
    "campaign_list",
    "campaign_create",
    "campaign_edit",
    "campaign_detail",
    "campaign_members",
    "campaign_export_xlsx",
    "campaign_export_docx",
    "session_create",
    "session_detail",
    "session_publish",
    "report_mine",
    "report_list",
    "report_detail",
    "plan_list",
    "plan_mine",
    "plan_detail",
]
