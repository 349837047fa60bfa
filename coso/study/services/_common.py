"""What the study services share: who must study, validation, versions, locks, reach, no HTML."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import stamp
from coso.core.exceptions import ConflictError, RuleViolation
from coso.members.models import Member, MemberStatus

# Members who must study and write a report: current members, exempted ones excepted (DOMAIN §2 exemption).
REQUIRED_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def _fail(field: str, message: str) -> RuleViolation:
    return RuleViolation(message, fields={field: [message]})


def _full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise RuleViolation(fields=exc.message_dict) from exc


def _check_version(instance, expected_version: int | None) -> None:
    if expected_version is not None and instance.version != expected_version:
        raise ConflictError()


def _bump(instance, actor) -> None:
    instance.version += 1
    stamp(instance, actor)


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _authorize_reach(actor, perm: str, path: str) -> None:
    """404 when the organization's publications do not reach the actor, 403 when they may not do `perm` there."""
    from ..selectors import reaches

    if not reaches(actor, path):
        raise Http404
    if not permissions.can(actor, perm, path):
        raise PermissionDenied


def _no_html(value: str, field: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if _TAG.search(text):
        raise _fail(field, _("Write plain text: HTML is not accepted."))
    return text


def _own(actor, member: Member) -> bool:
    return getattr(actor, "member_id", None) is not None and actor.member_id == member.pk
