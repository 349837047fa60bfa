"""Staff operations on feedback: list, file, read, the reporter's contact, the workflow actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from ninja import File, Form
from ninja.files import UploadedFile

from coso.accounts.services import access_log_record
from coso.core.exceptions import CosoError, RuleViolation
from coso.orgs import selectors as org_selectors

from .. import selectors, services
from ._common import MAX_PAGE_SIZE, _area, _category, _feedback, _require_any, _update, router
from .schemas import ActionIn, ContactOut, FeedbackDetailOut, FeedbackOut, FeedbackPage, StaffFileIn


@router.get("/feedback", response=FeedbackPage, url_name="feedback_list")
def feedback_list(
    request,
    box: str = "open",
    status: str = "",
    kind: str = "",
    category: str = "",
    org: str = "",
    q: str = "",
    page: int = 1,
    page_size: int = 25,
):
    user = request.auth
    _require_any(user, "citizens.view")
    filters = {"box": box, "status": status, "kind": kind, "q": q}
    if category:
        try:
            filters["category"] = _category(category)
        except RuleViolation as exc:  # a filter that cannot be read is bad input (400), not a broken rule
            raise CosoError(exc.message, fields=exc.fields, code="invalid") from exc
    if org:
        filters["org"] = org_selectors.access_organization(user, org, perm="citizens.view")
    now = timezone.now()
    paginator = Paginator(
        selectors.feedback_list(actor=user, filters=filters, now=now), max(1, min(page_size, MAX_PAGE_SIZE))
    )
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [_feedback(item, now) for item in current.object_list],
    }


@router.post("/feedback", response={201: FeedbackOut}, url_name="feedback_create")
def feedback_create(request, payload: StaffFileIn):
    user = request.auth
    data = payload.dict()
    source = {}
    if data.pop("dialogue"):
        source["dialogue"] = selectors.access_dialogue(
            user, payload.dialogue, perm="citizens.record_dialogue"
        )
    if data.pop("reception_day"):
        source["reception_day"] = selectors.access_reception_day(
            user, payload.reception_day, perm="citizens.record"
        )
    item = services.feedback_create(
        actor=user,
        category=_category(data.pop("category"), required=True),
        area=_area(data.pop("area")),
        **data,
        **source,
    )
    return 201, _feedback(item, timezone.now())


@router.get("/feedback/{pk}", response=FeedbackDetailOut, url_name="feedback_detail")
def feedback_detail(request, pk: int):
    item = selectors.access_feedback(request.auth, pk)
    data = _feedback(item, timezone.now())
    data["answer"] = item.answer
    data["updates"] = [_update(u) for u in selectors.feedback_updates(item, public_only=False)]
    return data


@router.get("/feedback/{pk}/contact", response=ContactOut, url_name="feedback_contact")
def feedback_contact(request, pk: int):
    user = request.auth
    item = selectors.access_feedback(user, pk)
    if not selectors.can_view_contact(user, item):
        raise PermissionDenied
    access_log_record(
        actor=user,
        action="feedback.view_contact",
        obj=item,
        label=item.code,
        path=item.receiving_org.path,
        request=request,
        detail="api",
    )
    return item


ACTIONS = ("assign", "reassign", "start", "answer", "transfer", "reject", "close", "extend", "note")


@router.post("/feedback/{pk}/{action}", response=FeedbackDetailOut, url_name="feedback_act")
def feedback_act(
    request, pk: int, action: str, payload: Form[ActionIn], files: File[list[UploadedFile]] = None
):
    """One workflow step: assign, reassign, start, answer (with evidence files), transfer, reject, close, extend,
    note. Multipart form so that an answer can carry its photos."""
    if action not in ACTIONS:
        raise Http404
    user = request.auth
    item = selectors.access_feedback(user, pk)
    data = payload.dict()
    org = _area(data["organization"], "organization") if data.get("organization") else None
    calls = {
        "assign": lambda: services.feedback_assign(
            actor=user,
            feedback=item,
            organization=org or _area("", "organization"),
            kind=data.get("kind"),
            category=_category(data.get("category")),
            several_units=data.get("several_units"),
            is_complex=data.get("is_complex"),
            especially_complex=data.get("especially_complex"),
            remote_area=data.get("remote_area"),
            complaint_round=data.get("complaint_round"),
        ),
        "reassign": lambda: services.feedback_reassign(
            actor=user, feedback=item, organization=org or _area("", "organization"), reason=data["reason"]
        ),
        "start": lambda: services.feedback_start(actor=user, feedback=item),
        "answer": lambda: services.feedback_answer(
            actor=user, feedback=item, answer=data["answer"], files=files or []
        ),
        "transfer": lambda: services.feedback_transfer(
            actor=user, feedback=item, authority=data["authority"], reason=data["reason"]
        ),
        "reject": lambda: services.feedback_reject(actor=user, feedback=item, reason=data["reason"]),
        "close": lambda: services.feedback_close(actor=user, feedback=item),
        "extend": lambda: services.feedback_extend(
            actor=user,
            feedback=item,
            reason=data["reason"],
            especially_complex=bool(data.get("especially_complex")),
        ),
        "note": lambda: services.feedback_note(
            actor=user, feedback=item, text=data["text"], public=data["public"]
        ),
    }
    calls[action]()
    return feedback_detail(request, pk)
