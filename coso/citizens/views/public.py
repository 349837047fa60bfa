"""Pages for citizens, without login: the report form, the status page by tracking code (rate, report again),
the commune's transparency page, and public files. Light pages: no JavaScript needed, phone first.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from coso.core.exceptions import RuleViolation
from coso.core.forms import bootstrap
from coso.orgs.models import Organization

from .. import proof, selectors, services
from ..forms import PortalForm, RateForm, ReopenForm, TrackForm
from ..models import Attachment, FeedbackStatus


# Per IP: a citizen files a few items; a script filing hundreds is stopped (django-ratelimit, shared cache).
# Read on every request so an operator (or a test) can change them: COSO_CITIZENS_SUBMIT_RATE, ..._ACTION_RATE.
def SUBMIT_RATE(group, request) -> str:  # noqa: N802
    return getattr(settings, "COSO_CITIZENS_SUBMIT_RATE", "5/h")


def ACTION_RATE(group, request) -> str:  # noqa: N802
    return getattr(settings, "COSO_CITIZENS_ACTION_RATE", "20/h")


# One bucket per client across the three channels (this form, the JSON API and Open311): a group names the bucket.
SUBMIT_GROUP = "citizens.submit"
ACTION_GROUP = "citizens.action"


def rate_limited(request: HttpRequest) -> HttpResponse:
    return render(request, "citizens/public/rate_limited.html", status=429)


def _commune(request: HttpRequest) -> Organization | None:
    code = request.GET.get("commune") or request.POST.get("commune")
    if not code:
        return None
    return selectors.communes().filter(code=code).first()


@ratelimit(group=SUBMIT_GROUP, key="ip", rate=SUBMIT_RATE, method="POST", block=False)
def portal(request: HttpRequest) -> HttpResponse:
    commune = _commune(request)
    if commune is None:
        return render(request, "citizens/public/choose_commune.html", {"communes": selectors.communes()})
    if request.method == "POST" and getattr(request, "limited", False):
        return rate_limited(request)
    form = bootstrap(PortalForm(request.POST or None, request.FILES or None, commune=commune))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback = services.feedback_create(
                actor=None,
                category=data["category"],
                kind=data["kind"],
                area=data["area"],
                title="",
                description=data["description"],
                address=data["address"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                reporter_email=data["reporter_email"],
                consent=data["consent"],
                files=data["files"],
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            request.session[f"citizens.filed.{feedback.code}"] = feedback.reporter_secret
            proof.remember(request.session, feedback)
            return redirect("citizens:track", code=feedback.code)
    return render(request, "citizens/public/portal.html", {"form": form, "commune": commune})


def track_lookup(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = services.normalize_code(form.cleaned_data["code"])
        if not code:
            form.add_error("code", _("A tracking code has 8 letters and digits, e.g. ABCD-2345."))
        elif selectors.public_feedback_exists(code):
            return redirect("citizens:track", code=code)
        else:
            # A mistyped code: the form again, with what was typed, rather than a 404 page.
            form.add_error("code", _("This code was not found. Check it and try again."))
    return render(request, "citizens/public/track_lookup.html", {"form": bootstrap(form)}, status=200)


# A rating of 1 or 2 stars asks first whether to report the problem again instead of closing the item.
LOW_RATING = 2
REOPENABLE = (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)


def _track_context(request, feedback, *, rate_form=None, reopen_form=None, secret="") -> dict:
    public = feedback.is_public
    proven = proof.proven(request.session, feedback)
    return {
        "feedback": feedback,
        "public": public,
        "updates": selectors.feedback_updates(feedback, public_only=True),
        # The citizen's own photos: only to the reporter (the code alone is not enough).
        "attachments": selectors.feedback_attachments(feedback, public_only=True)
        if public and proven
        else [],
        "can_rate": feedback.status in (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
        and feedback.rating is None,
        "can_reopen": feedback.status in REOPENABLE,
        "rate_form": rate_form or bootstrap(RateForm(proven=proven)),
        "reopen_form": reopen_form or bootstrap(ReopenForm(proven=proven)),
        "just_filed": bool(secret),
        "secret": secret,
    }


def track(request: HttpRequest, code: str) -> HttpResponse:
    feedback = selectors.public_feedback_get(code)
    secret = request.session.pop(f"citizens.filed.{feedback.code}", "")
    secret = secret if isinstance(secret, str) else ""
    return render(request, "citizens/public/track.html", _track_context(request, feedback, secret=secret))


@require_POST
@ratelimit(group=ACTION_GROUP, key="ip", rate=ACTION_RATE, method="POST", block=False)
def rate(request: HttpRequest, code: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return rate_limited(request)
    feedback = selectors.public_feedback_get(code)
    form = bootstrap(
        RateForm(request.POST, feedback=feedback, proven=proof.proven(request.session, feedback))
    )
    if form.is_valid():
        proof.remember(request.session, feedback)
        rating = form.cleaned_data["rating"]
        if rating <= LOW_RATING and not form.cleaned_data["low_confirmed"] and feedback.status in REOPENABLE:
            # Rating closes the item: first ask whether the problem is still there and should be looked at again.
            context = _track_context(request, feedback, rate_form=bootstrap(RateForm(proven=True)))
            context["low_rating"] = {"rating": rating, "comment": form.cleaned_data["comment"]}
            context["reopen_form"] = bootstrap(
                ReopenForm(initial={"text": form.cleaned_data["comment"]}, proven=True)
            )
            return render(request, "citizens/public/track.html", context)
        try:
            services.feedback_rate(
                feedback=feedback, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("citizens:track", code=feedback.code)
    status = 403 if "secret" in form.errors else 400
    context = _track_context(request, feedback, rate_form=form)
    return render(request, "citizens/public/track.html", context, status=status)


@require_POST
@ratelimit(group=ACTION_GROUP, key="ip", rate=ACTION_RATE, method="POST", block=False)
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return rate_limited(request)
    feedback = selectors.public_feedback_get(code)
    proven = proof.proven(request.session, feedback)
    form = bootstrap(ReopenForm(request.POST, request.FILES, feedback=feedback, proven=proven))
    if form.is_valid():
        proof.remember(request.session, feedback)
        try:
            services.feedback_reopen(
                feedback=feedback, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("Your new report was sent to the handlers."))
            return redirect("citizens:track", code=feedback.code)
    status = 403 if "secret" in form.errors else 400
    context = _track_context(request, feedback, reopen_form=form)
    return render(request, "citizens/public/track.html", context, status=status)


def public_attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """An answer's evidence is public with the item; the citizen's own files only to the proven reporter."""
    feedback = selectors.public_feedback_get(code)
    if not feedback.is_public:
        raise Http404
    attachment = get_object_or_404(
        Attachment.objects.select_related("update"), pk=pk, feedback=feedback, public=True
    )
    if selectors.is_citizens_file(attachment) and not proof.proven(request.session, feedback):
        raise Http404
    return _file_response(attachment)


def _file_response(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=attachment.kind == "DOCUMENT", filename=attachment.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def transparency_index(request: HttpRequest) -> HttpResponse:
    return render(request, "citizens/public/transparency_index.html", {"communes": selectors.communes()})


def transparency(request: HttpRequest, org_code: str) -> HttpResponse:
    commune = get_object_or_404(selectors.communes(), code=org_code)
    figures = selectors.transparency(commune, months=6)
    return render(request, "citizens/public/transparency.html", {"commune": commune, **figures})


def reception_calendar(request: HttpRequest) -> HttpResponse:
    """Lịch tiếp công dân: who receives citizens, when and where, in the coming weeks."""
    commune = _commune(request)
    days = selectors.public_reception_days(commune=commune)
    context = {"days": days, "commune": commune, "communes": selectors.communes()}
    return render(request, "citizens/public/reception_calendar.html", context)


def dialogues(request: HttpRequest) -> HttpResponse:
    """Announced dialogues and forums with citizens."""
    commune = _commune(request)
    rows = selectors.public_dialogues(commune=commune)
    context = {"dialogues": rows, "commune": commune, "communes": selectors.communes()}
    return render(request, "citizens/public/dialogues.html", context)
