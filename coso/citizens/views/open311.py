"""Open311 GeoReport v2 (public): other applications list the categories, read public items and file new ones.

https://wiki.open311.org/GeoReport_v2 — JSON only. `service_request_id` is the item's public id, which grants
nothing: the tracking code and the reporter's secret are given only to whoever files the item (in the answer to
the POST). Items are filed with the same validation and rate limit as the portal; `api_key` is accepted and
ignored (optional here).
"""

from __future__ import annotations

import datetime as dt
import decimal

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from coso.core.exceptions import RuleViolation
from coso.orgs.models import Organization

from .. import selectors, services
from ..models import Category, Channel, Feedback, FeedbackStatus
from .public import SUBMIT_GROUP, SUBMIT_RATE

MAX_RESULTS = 200
CLOSED = (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED, FeedbackStatus.TRANSFERRED, FeedbackStatus.REJECTED)


def _error(status: int, code: str, description) -> JsonResponse:
    return JsonResponse([{"code": code, "description": str(description)}], status=status, safe=False)


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_json(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


def request_json(item: Feedback) -> dict:
    status = "closed" if item.status in CLOSED else "open"
    return {
        "service_request_id": item.public_id,
        "status": status,
        "status_notes": item.get_status_display(),
        "service_name": item.category.name,
        "service_code": item.category.code,
        "description": item.description,
        "agency_responsible": item.organization.name if item.organization else "",
        "service_notice": "",
        "requested_datetime": _iso(item.received_at),
        "updated_datetime": _iso(item.updated_at),
        "expected_datetime": _iso(item.deadline_at),
        "address": item.address,
        "address_id": item.area.code if item.area else "",
        "zipcode": "",
        "lat": float(item.latitude) if item.latitude is not None else None,
        "long": float(item.longitude) if item.longitude is not None else None,
        "media_url": "",
    }


@require_GET
def services_json(request: HttpRequest) -> JsonResponse:
    rows = [service_json(c) for c in Category.objects.filter(active=True, public=True)]
    return JsonResponse(rows, safe=False)


def _parse_date(value: str | None, name: str) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        try:
            parsed = dt.datetime.combine(dt.date.fromisoformat(value), dt.time.min)
        except ValueError as exc:
            raise RuleViolation(_("%(name)s is not a date.") % {"name": name}) from exc
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@csrf_exempt
@require_http_methods(["GET", "POST"])
@ratelimit(group=SUBMIT_GROUP, key="ip", rate=SUBMIT_RATE, method="POST", block=False)
def requests_json(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _create(request)
    items = selectors.public_feedback_list()
    try:
        start = _parse_date(request.GET.get("start_date"), "start_date")
        end = _parse_date(request.GET.get("end_date"), "end_date")
    except RuleViolation as exc:
        return _error(400, "400", exc.message)
    if not start and not end:
        start = timezone.now() - dt.timedelta(days=90)  # the spec's default window
    if start:
        items = items.filter(received_at__gte=start)
    if end:
        items = items.filter(received_at__lte=end)
    codes = [c for c in (request.GET.get("service_code") or "").split(",") if c]
    if codes:
        items = items.filter(category__code__in=codes)
    status = request.GET.get("status")
    if status == "open":
        items = items.exclude(status__in=CLOSED)
    elif status == "closed":
        items = items.filter(status__in=CLOSED)
    rows = [request_json(item) for item in items.order_by("-received_at", "-id")[:MAX_RESULTS]]
    return JsonResponse(rows, safe=False)


def _create(request: HttpRequest) -> JsonResponse:
    if getattr(request, "limited", False):
        return _error(429, "429", _("Too many requests. Please try again later."))
    data = request.POST
    category = Category.objects.filter(code=data.get("service_code", ""), active=True, public=True).first()
    if category is None:
        return _error(400, "service_code", _("Unknown service_code."))
    area_code = data.get("address_id") or data.get("commune") or ""
    area = Organization.objects.filter(code=area_code).first() if area_code else None
    if area is None:
        return _error(400, "address_id", _("address_id must be the code of a commune or residential area."))
    coords = {}
    for name, field in (("lat", "latitude"), ("long", "longitude")):
        if data.get(name):
            try:
                coords[field] = decimal.Decimal(data[name]).quantize(decimal.Decimal("0.000001"))
            except decimal.InvalidOperation:
                return _error(400, name, _("%(name)s is not a number.") % {"name": name})
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p).strip()
    try:
        item = services.feedback_create(
            actor=None,
            category=category,
            area=area,
            channel=Channel.API,
            title="",
            description=data.get("description", ""),
            address=data.get("address_string", ""),
            reporter_name=name,
            reporter_phone=data.get("phone", ""),
            reporter_email=data.get("email", ""),
            consent=data.get("consent", "").lower() in ("1", "true", "yes", "on"),
            files=request.FILES.getlist("media"),
            **coords,
        )
    except RuleViolation as exc:
        field = next(iter(exc.fields), exc.code)
        return _error(400, field, exc.message)
    # Only the filer learns the tracking code and the secret (to pass on to the citizen), never a list reader.
    row = {
        "service_request_id": item.public_id,
        "service_notice": "",
        "account_id": None,
        "tracking_code": item.code,
        "reporter_secret": item.reporter_secret,
    }
    return JsonResponse([row], status=201, safe=False)


@require_GET
def request_json_detail(request: HttpRequest, code: str) -> JsonResponse:
    item = selectors.public_feedback_by_public_id(code)
    if item is None or not item.is_public:
        return _error(404, "404", _("No public request with this id."))
    return JsonResponse([request_json(item)], safe=False)
