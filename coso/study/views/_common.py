"""What the study pages share: the page size, rule errors on forms, reading ids, the user's own member record."""

from __future__ import annotations

from coso.core.exceptions import RuleViolation
from coso.core.forms import add_errors
from coso.members.models import Member

PAGE_SIZE = 25


def _rule_errors(form, exc: RuleViolation) -> None:
    add_errors(form, exc.fields or {"__all__": [exc.message]})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _own_member(user) -> Member | None:
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return None
    return Member.objects.select_related("organization").filter(pk=member_id).first()
