"""The citizens router, its errors, rate limits and the output helpers its operations share."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Router

from coso.accounts import permissions
from coso.core.exceptions import CosoError, RuleViolation
from coso.core.text import as_id
from coso.orgs.models import Organization

from .. import proof, selectors
from ..forms import NOT_REPORTER
from ..models import Category, Feedback, FeedbackKind, FeedbackUpdate

PREFIX = "/citizens/"


router = Router(tags=["citizens"])


MAX_PAGE_SIZE = 100


class TooManyRequests(CosoError):
    code = "rate_limited"
    status = 429


class NotTheReporter(CosoError):
    code = "reporter_secret"
    status = 403


def _reporter_item(code: str, secret: str) -> Feedback:
    item = selectors.public_feedback_get(code)
    if not proof.is_reporter(item, secret):
        message = str(NOT_REPORTER)
        raise NotTheReporter(message, fields={"secret": [message]})
    return item


def _require_any(user, perm: str) -> None:
    if not permissions.has_any(user, perm):
        raise PermissionDenied


def _limit(request: HttpRequest, group: str, rate) -> None:
    if is_ratelimited(request, group=group, key="ip", rate=rate, method="POST", increment=True):
        raise TooManyRequests(_("Too many requests. Please try again later."))


def _org(o: Organization | None) -> dict | None:
    return {"id": o.pk, "code": o.code, "name": o.name} if o else None


def _update(u: FeedbackUpdate) -> dict:
    return {
        "at": u.at,
        "kind": u.kind,
        "kind_label": u.get_kind_display(),
        "text": u.text,
        "public": u.public,
    }


def _feedback(item: Feedback, now: dt.datetime) -> dict:
    return {
        "id": item.pk,
        "code": item.code,
        "kind": item.kind,
        "channel": item.channel,
        "status": item.status,
        "status_label": item.get_status_display(),
        "category": item.category.code,
        "title": item.title,
        "description": item.description,
        "address": item.address,
        "area": _org(item.area),
        "receiving_org": _org(item.receiving_org),
        "organization": _org(item.organization),
        "received_at": item.received_at,
        "deadline_at": item.deadline_at,
        "overdue": bool(item.is_open and item.deadline_at and item.deadline_at < now),
        "complaint_round": item.complaint_round if item.kind == FeedbackKind.COMPLAINT else None,
        "is_complex": item.is_complex,
        "especially_complex": item.especially_complex,
        "remote_area": item.remote_area,
        "several_units": item.several_units,
        "extensions": item.extensions,
        "answered_at": item.answered_at,
        "escalated_to": _org(item.escalated_to),
        "rating": item.rating,
        "has_contact": item.has_contact,
        "version": item.version,
    }


def _public(item: Feedback) -> dict:
    public = item.is_public
    return {
        "code": item.code,
        "kind": item.kind,
        "status": item.status,
        "status_label": item.get_status_display(),
        "category": item.category.code,
        "received_at": item.received_at,
        "deadline_at": item.deadline_at,
        "description": item.description if public else None,
        "address": item.address if public else None,
        "answer": item.answer if public else None,
        "rating": item.rating,
        "updates": [_update(u) for u in selectors.feedback_updates(item, public_only=True)],
    }


def _category(code: str | None, field: str = "category", *, required: bool = False) -> Category | None:
    if not code and not required:
        return None
    category = Category.objects.filter(code=code or "", active=True).first()
    if category is None:
        message = _("Choose a category from the list.")
        raise RuleViolation(message, fields={field: [message]})
    return category


def _area(code: str, field: str = "area") -> Organization:
    lookup = {"pk": as_id(code)} if as_id(code) is not None else {"code": code}
    area = Organization.objects.filter(**lookup).first() if code else None
    if area is None:
        message = _("Unknown organization code.")
        raise RuleViolation(message, fields={field: [message]})
    return area
