"""JSON API routes of the citizens app (django-ninja), mounted by coso.api.api under PREFIX.

Public operations (no authentication, rate-limited like the portal): categories, filing, reading an item by its
tracking code, rating, reporting again, the transparency figures. Staff operations are scoped by the caller.
The Open311 GeoReport v2 endpoints are plain views under /citizens/open311/v2/ (see views/open311.py).

`router` and the schemas live in `_common` and `schemas`; the operations in one sub-module per sub-area
(public, staff, reception, dialogues, routing), re-exported here.
"""

from __future__ import annotations

# isort: off
# The sub-modules add their operations to `router` when imported: in this order, the order of the
# paths in the schema and of the URL patterns tried.
from . import public, staff, reception, dialogues, routing  # noqa: F401

# isort: on
from ._common import MAX_PAGE_SIZE, PREFIX, NotTheReporter, TooManyRequests, router
from .dialogues import dialogue_create, dialogue_list
from .public import (
    public_categories,
    public_detail,
    public_rate,
    public_reopen,
    public_submit,
    public_transparency,
)
from .reception import reception_compliance, reception_day_create, reception_day_list
from .routing import routing_rule_create, routing_rule_list
from .schemas import (
    ActionIn,
    CategoryOut,
    CodeOut,
    ComplianceOut,
    ContactOut,
    DialogueIn,
    DialogueOut,
    FeedbackDetailOut,
    FeedbackOut,
    FeedbackPage,
    FeedbackUpdateOut,
    MonthFiguresOut,
    OrgRef,
    PublicFeedbackOut,
    RateIn,
    ReceptionIn,
    ReceptionOut,
    ReopenIn,
    RoutingIn,
    RoutingOut,
    StaffFileIn,
    SubmitIn,
    TransparencyOut,
)
from .staff import ACTIONS, feedback_act, feedback_contact, feedback_create, feedback_detail, feedback_list

__all__ = [
    "MAX_PAGE_SIZE",
    "NotTheReporter",
    "PREFIX",
    "TooManyRequests",
    "router",
    "ActionIn",
    "CategoryOut",
    "CodeOut",
    "ComplianceOut",
    "ContactOut",
    "DialogueIn",
    "DialogueOut",
    "FeedbackDetailOut",
    "FeedbackOut",
    "FeedbackPage",
    "FeedbackUpdateOut",
    "MonthFiguresOut",
    "OrgRef",
    "PublicFeedbackOut",
    "RateIn",
    "ReceptionIn",
    "ReceptionOut",
    "ReopenIn",
    "RoutingIn",
    "RoutingOut",
    "StaffFileIn",
    "SubmitIn",
    "TransparencyOut",
    "public_categories",
    "public_detail",
    "public_rate",
    "public_reopen",
    "public_submit",
    "public_transparency",
    "ACTIONS",
    "feedback_act",
    "feedback_contact",
    "feedback_create",
    "feedback_detail",
    "feedback_list",
    "reception_compliance",
    "reception_day_create",
    "reception_day_list",
    "dialogue_create",
    "dialogue_list",
    "routing_rule_create",
    "routing_rule_list",
]


# The OpenAPI operation ids stay those of the single module this package replaced
# (coso_citizens_api_<function>), so generated clients keep their method names.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.operation_id = _operation.operation_id or (
            f"coso_citizens_api_{_operation.view_func.__name__}"
        )
