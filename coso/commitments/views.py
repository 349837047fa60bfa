"""HTML pages for hard tasks: the subtree list (htmx filters, export), registering, the task page with its
updates and the buttons of the transitions the user may apply, and the evidence download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.exporters import file_response, rows_to_xlsx
from coso.core.history import history_entries
from coso.orgs import selectors as org_selectors

from . import exports, selectors, services
from .forms import HardTaskFilterForm, HardTaskForm, HardTaskUpdateForm, OrganizationPickForm, TransitionForm
from .models import HardTask, HardTaskStatus

PAGE_SIZE = 25


def _rows(tasks, today):
    return [
        {"task": task, "overdue": task.is_overdue(today), "days": task.days_overdue(today)} for task in tasks
    ]


@login_required
def hard_task_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "commitments.view"):
        raise PermissionDenied
    today = timezone.localdate()
    data = request.GET if request.GET else {"year": str(today.year)}
    form = HardTaskFilterForm(data, actor=user)
    summary = None
    if form.is_valid():
        filters = form.filters()
        tasks = selectors.hard_task_list(actor=user, filters=filters, today=today)
        summary = selectors.hard_task_summary(
            actor=user, today=today, organization=filters.organization, year=filters.year
        )
    else:
        tasks = HardTask.objects.none()
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page.object_list, today),
        "summary": summary,
        "statuses": HardTaskStatus,
        "can_create": permissions.has_any(user, "commitments.manage"),
    }
    template = "commitments/_list_table.html" if request.htmx else "commitments/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def hard_task_export(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "commitments.view"):
        raise PermissionDenied
    form = HardTaskFilterForm(request.GET, actor=user)
    if not form.is_valid():
        messages.error(request, _("Some filters are not valid; correct them to see the list."))
        return redirect("commitments:list")
    today = timezone.localdate()
    tasks = exports.with_last_update(
        selectors.hard_task_list(actor=user, filters=form.filters(), today=today)
    )
    content = rows_to_xlsx(exports.headers(), exports.rows(tasks, today), sheet_title=_("Commitments"))
    return file_response(content, filename=f"cam-ket-{today:%Y%m%d}.xlsx")


@login_required
def hard_task_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    parent = None
    if request.GET.get("parent"):
        parent = selectors.access_hard_task(user, request.GET["parent"])
    if not request.GET.get("org"):
        if not permissions.has_any(user, "commitments.manage"):
            raise PermissionDenied
        # Without JavaScript the picker sends the typed code or name alone: resolve it, then carry on.
        typed = request.GET if request.GET.get("org_text") else None
        pick = OrganizationPickForm(typed, actor=user, within=parent.organization if parent else None)
        if typed is not None and pick.is_valid():
            query = request.GET.copy()
            query.pop("org_text")
            query["org"] = pick.cleaned_data["org"].pk
            return redirect(f"{request.path}?{query.urlencode()}")
        return render(request, "commitments/pick_org.html", {"form": pick, "parent": parent})
    organization = org_selectors.access_organization(user, request.GET["org"], perm="commitments.manage")
    initial = {
        "responsible": selectors.default_responsible(organization),
        "parent": parent.pk if parent else None,
        "weight": 1,
        "due_date": parent.due_date if parent else None,
    }
    form = HardTaskForm(request.POST or None, actor=user, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.hard_task_create(
                actor=user,
                organization=organization,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                target_result=data["target_result"],
                due_date=data["due_date"],
                responsible=data["responsible"],
                parent=data.get("parent"),
                weight=data.get("weight"),
                feedback_items=data.get("feedback_items"),
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(
                request,
                _("The commitment was saved as a draft. Submit it to the upper committee when it is ready."),
            )
            return redirect("commitments:detail", pk=task.pk)
    context = {"form": form, "organization": organization, "task": None, "parent": parent}
    return render(request, "commitments/form.html", context)


@login_required
def hard_task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    task = selectors.access_hard_task(user, pk)
    today = timezone.localdate()
    children = selectors.hard_task_children(task)
    can_manage = selectors.can_manage(user, task)
    ancestors = selectors.hard_task_ancestors(task)
    for item in ancestors:
        # A sub-task can be seen by a cell whose upper committee's task it belongs to is outside its subtree:
        # name that task, link it only where it can be opened.
        item.visible = permissions.can(user, "commitments.view", item.organization.path)
    context = {
        "task": task,
        "parent_visible": bool(ancestors) and ancestors[-1].visible,
        "today": today,
        "overdue": task.is_overdue(today),
        "days_overdue": task.days_overdue(today),
        "ancestors": ancestors,
        "children": _rows(children, today),
        "updates": selectors.hard_task_updates(task),
        "feedback": selectors.hard_task_feedback(task),
        "actions": services.allowed_actions(user, task),
        "can_edit": services.can_edit(user, task),
        "can_update": services.can_add_update(user, task),
        "can_split": can_manage and task.status != HardTaskStatus.VERIFIED,
        "update_form": HardTaskUpdateForm(initial={"date": today}, has_children=bool(children)),
        "transition_form": TransitionForm(),
        "history": history_entries(task) if can_manage or selectors.can_verify(user, task) else None,
    }
    return render(request, "commitments/detail.html", context)


@login_required
def hard_task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    task = selectors.access_hard_task(user, pk, perm="commitments.manage")
    if not services.can_edit(user, task):
        messages.warning(request, _("Only a draft or a returned commitment can be changed."))
        return redirect("commitments:detail", pk=task.pk)
    initial = {name: getattr(task, name) for name in services.EDITABLE_FIELDS}
    initial["version"] = task.version
    initial["feedback_items"] = list(task.feedback_items.values_list("pk", flat=True))
    form = HardTaskForm(
        request.POST or None, actor=user, organization=task.organization, task=task, initial=initial
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in (*services.EDITABLE_FIELDS, "feedback_items")
            if name in form.cleaned_data
        }
        try:
            services.hard_task_edit(
                actor=user, task=task, data=data, expected_version=form.cleaned_data["version"]
            )
        except ConflictError as exc:
            conflict = exc.message
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The commitment was saved."))
            return redirect("commitments:detail", pk=task.pk)
    context = {"form": form, "organization": task.organization, "task": task, "conflict": conflict}
    return render(request, "commitments/form.html", context)


@login_required
def hard_task_update_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    task = selectors.access_hard_task(user, pk, perm="commitments.manage")
    has_children = task.children.exists()
    form = HardTaskUpdateForm(
        request.POST or None,
        request.FILES or None,
        has_children=has_children,
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.hard_task_update_add(
                actor=user,
                task=task,
                date=data["date"],
                text=data["text"],
                progress=data.get("progress"),
                evidence=data.get("evidence"),
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The progress update was recorded."))
            return redirect("commitments:detail", pk=task.pk)
    return render(request, "commitments/update_form.html", {"form": form, "task": task})


@login_required
@require_POST
def hard_task_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    task = selectors.access_hard_task(user, pk)
    if action not in services.TRANSITIONS:
        raise Http404
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        services.hard_task_transition(
            actor=user, task=task, action=action, reason=form.cleaned_data.get("reason") or ""
        )
    except RuleViolation as exc:
        for texts in (exc.fields or {"__all__": [exc.message]}).values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect("commitments:detail", pk=task.pk)


DONE_MESSAGES = {
    "submit": gettext_lazy("The commitment was sent to the upper committee for acceptance."),
    "accept": gettext_lazy("The commitment is accepted and registered."),
    "start": gettext_lazy("Work on the commitment has started."),
    "report_done": gettext_lazy("The task was reported done; the upper committee will verify it."),
    "verify": gettext_lazy("The task is verified as solved for good."),
    "return": gettext_lazy("The commitment was returned with your reason."),
}


@login_required
def hard_task_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    update = selectors.access_update(request.user, pk)
    if not update.evidence:
        raise Http404
    try:
        handle = update.evidence.open("rb")
    except FileNotFoundError:
        raise Http404
    return FileResponse(handle, as_attachment=False, filename=update.evidence_name or update.evidence.name)
