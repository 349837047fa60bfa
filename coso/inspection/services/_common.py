"""What the inspection services share: the acting user and the error of invalid fields."""

from __future__ import annotations

from django.utils.translation import gettext as _

from coso.core.exceptions import RuleViolation

from ..models import (
    RemedyStatus,
)

S = RemedyStatus
REPORT, VERIFY = "report", "verify"


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _invalid(fields: dict) -> RuleViolation:
    return RuleViolation(_("Please correct the errors."), fields=fields)
