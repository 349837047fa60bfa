"""Staff pages: the feedback inbox and item page with its workflow steps, filing for a citizen, the reporter's
contact (logged), reception calendars, dialogues and routing rules.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.accounts.services import access_log_record
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.forms import bootstrap
from coso.core.history import history_entries
from coso.orgs import selectors as org_selectors

from .. import selectors, services
from ..forms import (
    AnswerForm,
    AssignForm,
    DialogueForm,
    ExtendForm,
    InboxFilterForm,
    NoteForm,
    ReasonForm,
    ReassignForm,
    ReceptionDayForm,
    RoutingRuleForm,
    StaffFileForm,
    TransferForm,
)
from ..models import Attachment, Dialogue, DialogueKind, Feedback, RoutingRule
from .public import _file_response

PAGE_SIZE = 25


def _require_any(user, perm: str) -> None:
    if not permissions.has_any(user, perm):
        raise PermissionDenied


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_any(user, "citizens.view")
    form = InboxFilterForm(request.GET or None, actor=user)
    filters = form.filters() if form.is_valid() else {"box": "open"}
    now = timezone.now()
    page = Paginator(selectors.feedback_list(actor=user, filters=filters, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "box": filters["box"],
        "counts": selectors.inbox_counts(actor=user, now=now),
        "now": now,
        "boxes": InboxFilterForm.BOXES,
        "can_file": permissions.has_any(user, "citizens.handle"),
        "can_route": permissions.has_any(user, "citizens.receive"),
    }
    template = "citizens/_inbox_table.html" if request.htmx else "citizens/inbox.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def feedback_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_any(user, "citizens.handle")
    initial = {"channel": request.GET.get("channel", "WALK_IN")}
    form = bootstrap(StaffFileForm(request.POST or None, request.FILES or None, actor=user, initial=initial))
    source = {}
    if request.GET.get("dialogue"):
        source["dialogue"] = selectors.access_dialogue(
            user, request.GET["dialogue"], perm="citizens.record_dialogue"
        )
    if request.GET.get("reception"):
        source["reception_day"] = selectors.access_reception_day(
            user, request.GET["reception"], perm="citizens.record"
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            feedback = services.feedback_create(actor=user, **data, **source)
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("Feedback %(code)s was filed.") % {"code": feedback.code})
            return redirect("citizens:feedback_detail", pk=feedback.pk)
    return render(request, "citizens/feedback_form.html", {"form": form, "source": source})


def _action_forms(feedback: Feedback, actions: dict, *, bound=None) -> dict:
    forms = {
        "assign": lambda data=None: AssignForm(
            data,
            feedback=feedback,
            initial={
                "organization": services.route(category=feedback.category, area=feedback.area)
                if feedback.area
                else None,
                "kind": feedback.kind,
                "category": feedback.category_id,
                "several_units": feedback.several_units,
                "is_complex": feedback.is_complex,
                "especially_complex": feedback.especially_complex,
                "remote_area": feedback.remote_area,
                "complaint_round": feedback.complaint_round,
            },
        ),
        "reassign": lambda data=None: ReassignForm(data, feedback=feedback),
        "answer": lambda data=None, files=None: AnswerForm(data, files),
        "transfer": lambda data=None: TransferForm(data),
        "reject": lambda data=None: ReasonForm(data),
        "extend": lambda data=None: ExtendForm(data),
        "note": lambda data=None: NoteForm(data),
    }
    result = {}
    for name, factory in forms.items():
        if not actions.get(name):
            continue
        result[name] = bound if bound is not None and bound[0] == name else (name, bootstrap(factory()))
    return {name: pair[1] for name, pair in result.items()}


def _detail_context(request, feedback: Feedback, *, bound=None) -> dict:
    user = request.user
    actions = selectors.feedback_actions(user, feedback)
    return {
        "feedback": feedback,
        "actions": actions,
        "forms": _action_forms(feedback, actions, bound=bound),
        "updates": selectors.feedback_updates(feedback, public_only=False),
        "attachments": selectors.feedback_attachments(feedback, public_only=False),
        "can_contact": selectors.can_view_contact(user, feedback),
        "history": history_entries(feedback) if permissions.has_any(user, "citizens.receive") else None,
        "now": timezone.now(),
    }


@login_required
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.access_feedback(request.user, pk)
    return render(request, "citizens/feedback_detail.html", _detail_context(request, feedback))


@login_required
def feedback_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter's name and contact, shown on request and logged each time."""
    user = request.user
    feedback = selectors.access_feedback(user, pk)
    if not selectors.can_view_contact(user, feedback):
        raise PermissionDenied
    access_log_record(
        actor=user,
        action="feedback.view_contact",
        obj=feedback,
        label=feedback.code,
        path=feedback.receiving_org.path,
        request=request,
    )
    return render(request, "citizens/_contact.html", {"feedback": feedback})


ACTIONS = ("assign", "reassign", "start", "answer", "transfer", "reject", "close", "extend", "note")


@login_required
@require_POST
def feedback_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    user = request.user
    feedback = selectors.access_feedback(user, pk)
    form_classes = {
        "assign": lambda: AssignForm(request.POST, feedback=feedback),
        "reassign": lambda: ReassignForm(request.POST, feedback=feedback),
        "answer": lambda: AnswerForm(request.POST, request.FILES),
        "transfer": lambda: TransferForm(request.POST),
        "reject": lambda: ReasonForm(request.POST),
        "extend": lambda: ExtendForm(request.POST),
        "note": lambda: NoteForm(request.POST),
    }
    form = bootstrap(form_classes[action]()) if action in form_classes else None
    if form is not None and not form.is_valid():
        services_call = None
    else:
        data = form.cleaned_data if form is not None else {}
        calls = {
            "assign": lambda: services.feedback_assign(actor=user, feedback=feedback, **data),
            "reassign": lambda: services.feedback_reassign(actor=user, feedback=feedback, **data),
            "start": lambda: services.feedback_start(actor=user, feedback=feedback),
            "answer": lambda: services.feedback_answer(
                actor=user, feedback=feedback, answer=data["answer"], files=data["files"]
            ),
            "transfer": lambda: services.feedback_transfer(actor=user, feedback=feedback, **data),
            "reject": lambda: services.feedback_reject(actor=user, feedback=feedback, **data),
            "close": lambda: services.feedback_close(actor=user, feedback=feedback),
            "extend": lambda: services.feedback_extend(actor=user, feedback=feedback, **data),
            "note": lambda: services.feedback_note(actor=user, feedback=feedback, **data),
        }
        services_call = calls[action]
    if services_call is not None:
        try:
            services_call()
        except RuleViolation as exc:
            if form is None:
                messages.error(request, str(exc.message))
                return redirect("citizens:feedback_detail", pk=feedback.pk)
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("Saved."))
            return redirect("citizens:feedback_detail", pk=feedback.pk)
    feedback = selectors.access_feedback(user, pk)
    context = _detail_context(request, feedback, bound=(action, form))
    context["open_action"] = action
    return render(request, "citizens/feedback_detail.html", context, status=400)


@login_required
def attachment(request: HttpRequest, pk: int, file_pk: int):
    feedback = selectors.access_feedback(request.user, pk)
    return _file_response(get_object_or_404(Attachment, pk=file_pk, feedback=feedback))


# ---------------------------------------------------------------------------------------------------- reception


def _month(request: HttpRequest) -> dt.date:
    value = request.GET.get("month", "")
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return timezone.localdate().replace(day=1)


def _shift(month: dt.date, by: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + by
    return dt.date(index // 12, index % 12 + 1, 1)


@login_required
def reception_overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_any(user, "citizens.view")
    month = _month(request)
    rows = selectors.reception_compliance(actor=user, month=month)
    context = {
        "rows": rows,
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
        "short": sum(1 for r in rows if r.short),
    }
    return render(request, "citizens/reception_overview.html", context)


@login_required
def reception_calendar(request: HttpRequest, org_pk: int) -> HttpResponse:
    user = request.user
    org = org_selectors.access_organization(user, org_pk, perm="citizens.view")
    month = _month(request)
    context = {
        "org": org,
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
        "can_record": permissions.can(user, "citizens.record", org.path),
        **selectors.reception_calendar(org=org, month=month),
    }
    return render(request, "citizens/reception_calendar.html", context)


def _reception_form(request, org, *, instance=None):
    heads = services.heads_of(org)
    if instance is not None and not heads.filter(pk=instance.head_id).exists():
        heads = heads.model.objects.filter(pk__in=[instance.head_id, *heads.values_list("pk", flat=True)])
    initial = {"kind": "REGULAR", "status": "PLANNED", "head": heads.first(), "place": org.address}
    if instance is not None:
        initial = {name: getattr(instance, name) for name in services.RECEPTION_FIELDS}
        initial["head"] = instance.head_id
        initial["version"] = instance.version
    elif request.GET.get("date"):
        initial["date"] = request.GET["date"]
    return bootstrap(ReceptionDayForm(request.POST or None, heads=heads, initial=initial))


def _save_reception(request, org, *, instance=None) -> HttpResponse:
    form = _reception_form(request, org, instance=instance)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            item = services.reception_day_save(
                actor=request.user,
                organization=org,
                data=data,
                instance=instance,
                expected_version=form.cleaned_data.get("version"),
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        except ConflictError as exc:
            conflict = exc.message
        else:
            messages.success(request, _("The reception day was saved."))
            return redirect(
                f"{reverse('citizens:reception_calendar', args=[org.pk])}?month={item.date:%Y-%m}"
            )
    context = {"form": form, "org": org, "item": instance, "conflict": conflict}
    return render(request, "citizens/reception_form.html", context)


@login_required
def reception_new(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = org_selectors.access_organization(request.user, org_pk, perm="citizens.record")
    return _save_reception(request, org)


@login_required
def reception_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_reception_day(request.user, pk, perm="citizens.record")
    return _save_reception(request, item.organization, instance=item)


# ---------------------------------------------------------------------------------------------------- dialogues


@login_required
def dialogue_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_any(user, "citizens.view")
    kind = request.GET.get("kind") if request.GET.get("kind") in DialogueKind.values else ""
    rows = selectors.dialogue_list(actor=user, filters={"kind": kind})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kind": kind,
        "kinds": DialogueKind.choices,
        "can_record": permissions.has_any(user, "citizens.record_dialogue"),
    }
    return render(request, "citizens/dialogue_list.html", context)


@login_required
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = selectors.access_dialogue(user, pk)
    context = {
        "item": item,
        "invited": list(item.invited_members.select_related("organization")),
        "feedback": list(item.feedback.select_related("category", "organization")),
        "can_record": permissions.can(user, "citizens.record_dialogue", item.organization.path),
        "history": history_entries(item),
    }
    return render(request, "citizens/dialogue_detail.html", context)


def _save_dialogue(request, *, instance: Dialogue | None = None) -> HttpResponse:
    user = request.user
    initial = {"status": "PLANNED", "kind": request.GET.get("kind", DialogueKind.CITIZENS)}
    if instance is not None:
        initial = {name: getattr(instance, name) for name in services.DIALOGUE_FIELDS if name != "chaired_by"}
        initial.update(organization=instance.organization_id, version=instance.version)
    form = bootstrap(DialogueForm(request.POST or None, actor=user, initial=initial))
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "organization")}
        try:
            item = services.dialogue_save(
                actor=user,
                organization=instance.organization if instance else form.cleaned_data["organization"],
                data=data,
                instance=instance,
                expected_version=form.cleaned_data.get("version"),
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        except ConflictError as exc:
            conflict = exc.message
        else:
            messages.success(request, _("The dialogue was saved."))
            return redirect("citizens:dialogue_detail", pk=item.pk)
    return render(
        request, "citizens/dialogue_form.html", {"form": form, "item": instance, "conflict": conflict}
    )


@login_required
def dialogue_new(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, "citizens.record_dialogue")
    return _save_dialogue(request)


@login_required
def dialogue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_dialogue(request.user, pk, perm="citizens.record_dialogue")
    return _save_dialogue(request, instance=item)


@login_required
@require_POST
def dialogue_invite(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_dialogue(request.user, pk, perm="citizens.record_dialogue")
    count = services.dialogue_invite_members(actor=request.user, dialogue=item)
    messages.success(request, _("%(n)d members working away were invited.") % {"n": count})
    return redirect("citizens:dialogue_detail", pk=item.pk)


# ---------------------------------------------------------------------------------------------------- routing


@login_required
def routing(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_any(user, "citizens.receive")
    form = bootstrap(RoutingRuleForm(request.POST or None, actor=user))
    if request.method == "POST" and form.is_valid():
        try:
            services.routing_rule_save(actor=user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The routing rule was saved."))
            return redirect("citizens:routing")
    rules = RoutingRule.objects.filter(
        permissions.scope_q(user, "citizens.receive", field="area__path")
    ).select_related("category", "area", "responsible")
    return render(request, "citizens/routing.html", {"form": form, "rules": rules})


@login_required
@require_POST
def routing_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = RoutingRule.objects.select_related("area").filter(pk=pk).first()
    if rule is None:
        raise Http404
    services.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("The routing rule was deleted."))
    return redirect("citizens:routing")
