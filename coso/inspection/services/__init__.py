"""Writes of the inspection app: shortcomings and remedies, plans, case steps, discipline records.

Remedies follow the hard tasks' shape (coso.core.tracking): the owner or the organization's office reports dated
progress with evidence and reports the remedy done; the inspection committee or the upper level (inspection.verify
on the parent organization) verifies it or returns it with a reason.

Discipline has effect on the member's status only through member events (members.services.member_record_event):
a reprimand, warning or dismissal records a DISCIPLINE event; an expulsion an EXPELLED event that ends the
membership. Nothing is deleted.
"""

from .cases import case_add_finding, case_create, case_record_step, plan_create
from .discipline import (
    MEMBER_OFFICIAL_FORMS,
    MEMBER_PROBATIONARY_FORMS,
    ORGANIZATION_FORMS,
    TIME_LIMIT_YEARS,
    allowed_forms,
    discipline_record,
    time_limit_end,
)
from .remedies import (
    INVALID_STATE,
    NOTIFY_TITLES,
    TRANSITIONS,
    UPDATABLE,
    allowed_actions,
    can_add_update,
    remedy_create,
    remedy_transition,
    remedy_update_add,
    shortcoming_create,
    shortcoming_with_remedy_create,
)

__all__ = [
    "INVALID_STATE",
    "MEMBER_OFFICIAL_FORMS",
    "MEMBER_PROBATIONARY_FORMS",
    "NOTIFY_TITLES",
    "ORGANIZATION_FORMS",
    "TIME_LIMIT_YEARS",
    "TRANSITIONS",
    "UPDATABLE",
    "allowed_actions",
    "allowed_forms",
    "can_add_update",
    "case_add_finding",
    "case_create",
    "case_record_step",
    "discipline_record",
    "plan_create",
    "remedy_create",
    "remedy_transition",
    "remedy_update_add",
    "shortcoming_create",
    "shortcoming_with_remedy_create",
    "time_limit_end",
]
