"""Public operations (no authentication, rate-limited): categories, filing, tracking, rating, reporting again, transparency."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import File, Form
from ninja.files import UploadedFile

from .. import selectors, services
from ..models import Category
from ..views.public import ACTION_GROUP, ACTION_RATE, SUBMIT_GROUP, SUBMIT_RATE
from ._common import _area, _category, _limit, _org, _public, _reporter_item, router
from .schemas import CategoryOut, CodeOut, PublicFeedbackOut, RateIn, ReopenIn, SubmitIn, TransparencyOut


@router.get(
    "/public/categories", auth=None, response=list[CategoryOut], url_name="feedback_public_categories"
)
def public_categories(request):
    return list(Category.objects.filter(active=True, public=True))


@router.post("/public/feedback", auth=None, response={201: CodeOut}, url_name="feedback_public_submit")
def public_submit(request, payload: Form[SubmitIn], files: File[list[UploadedFile]] = None):
    _limit(request, SUBMIT_GROUP, SUBMIT_RATE)
    data = payload.dict()
    item = services.feedback_create(
        actor=None,
        category=_category(data.pop("category"), required=True),
        area=_area(data.pop("area")),
        files=files or [],
        **data,
    )
    return 201, {
        "code": item.code,
        "url": f"/citizens/p/{item.code}/",
        "secret": item.reporter_secret,
        "public_id": item.public_id,
    }


@router.get(
    "/public/feedback/{code}", auth=None, response=PublicFeedbackOut, url_name="feedback_public_detail"
)
def public_detail(request, code: str):
    return _public(selectors.public_feedback_get(code))


@router.post(
    "/public/feedback/{code}/rating", auth=None, response=PublicFeedbackOut, url_name="feedback_public_rate"
)
def public_rate(request, code: str, payload: RateIn):
    _limit(request, ACTION_GROUP, ACTION_RATE)
    item = _reporter_item(code, payload.secret)
    item = services.feedback_rate(feedback=item, rating=payload.rating, comment=payload.comment)
    return _public(item)


@router.post(
    "/public/feedback/{code}/reopen", auth=None, response=PublicFeedbackOut, url_name="feedback_public_reopen"
)
def public_reopen(request, code: str, payload: ReopenIn):
    _limit(request, ACTION_GROUP, ACTION_RATE)
    item = services.feedback_reopen(feedback=_reporter_item(code, payload.secret), text=payload.text)
    return _public(item)


@router.get("/public/transparency/{org_code}", auth=None, response=TransparencyOut, url_name="transparency")
def public_transparency(request, org_code: str):
    commune = get_object_or_404(selectors.communes(), code=org_code)
    figures = selectors.transparency(commune)
    return {
        "organization": _org(commune),
        "since": figures["since"],
        "total": figures["total"].__dict__,
        "by_month": [m.__dict__ for m in figures["by_month"]],
        "by_category": {name: m.__dict__ for name, m in figures["by_category"]},
    }
