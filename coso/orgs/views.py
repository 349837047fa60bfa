"""HTML pages of the organization tree: the tree, an organization's page and its edit forms, restructuring,
and supervision coverage. Views validate and call the services; the selectors decide what the actor sees."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core import panels
from coso.core.exceptions import ConflictError, CosoError
from coso.core.history import history_entries

from . import selectors, services, signals
from .forms import (
    RESTRUCTURE_FORMS,
    ChildForm,
    CommitteeForm,
    EndForm,
    OrganizationForm,
    PositionForm,
    SplitSourceForm,
    SupervisionForm,
    TermForm,
    TreeFilterForm,
)
from .models import Organization, RestructuringKind
from .preview import restructuring_preview

# Levels loaded with the page below the actor's highest organization; deeper levels load when opened.
TREE_DEPTH = 1
# Children shown at once under a node: a commune has up to a few hundred cells; the rest load on demand.
TREE_PAGE = 50
RESTRUCTURINGS_PAGE_SIZE = 20
SUPERVISION_PAGE_SIZE = 50


def _errors_to_form(form, exc: Exception) -> None:
    """A service's refusal lands next to the field it names, in the user's language."""
    if isinstance(exc, ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    else:
        fields = exc.fields or {"__all__": [exc.message]}
    form.add_rule_errors(fields)


# --- the tree ---------------------------------------------------------------------------------------------------


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "orgs.view"):
        raise PermissionDenied
    form = TreeFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    inactive = bool(data.get("inactive"))
    as_of, q = data.get("as_of"), (data.get("q") or "").strip()
    if request.GET.get("node"):
        # Lazy expansion: the children of one node, with their counts (on the chosen date, if any).
        org = selectors.access_organization(user, request.GET["node"])
        if as_of:
            roots = selectors.organization_tree_as_of(
                actor=user, on=as_of, root=org, with_counts=True, max_depth=1
            )
        else:
            roots = selectors.organization_tree(actor=user, root=org, max_depth=1, include_inactive=inactive)
        children = roots[0].children if roots else []
        try:
            offset = max(int(request.GET.get("offset") or 0), 0)
        except ValueError:
            offset = 0
        shown = children[offset : offset + TREE_PAGE]
        context = {
            "nodes": _paged(shown),
            "inactive": inactive,
            "as_of": as_of,
            "parent": org,
            "more": max(len(children) - offset - TREE_PAGE, 0),
            "next_offset": offset + TREE_PAGE,
        }
        return render(request, "orgs/_tree_nodes.html", context)
    if as_of:
        nodes = selectors.organization_tree_as_of(
            actor=user, on=as_of, with_counts=True, max_depth=TREE_DEPTH
        )
    elif q:
        nodes = selectors.organization_search_tree(actor=user, q=q, include_inactive=inactive)
    else:
        nodes = selectors.organization_tree(actor=user, max_depth=TREE_DEPTH, include_inactive=inactive)
    if not q:
        nodes = _paged(nodes)
    context = {"form": form, "nodes": nodes, "as_of": as_of, "q": q, "inactive": inactive}
    response = render(request, "orgs/_tree.html" if request.htmx else "orgs/tree.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _paged(nodes: list) -> list:
    """Keeps the first TREE_PAGE children of every loaded node; the node says how many more there are."""
    for node in nodes:
        if len(node.children) > TREE_PAGE:
            node.more = len(node.children) - TREE_PAGE
            node.next_offset = TREE_PAGE
            node.children = node.children[:TREE_PAGE]
        _paged(node.children)
    return nodes


# --- an organization's page -------------------------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = selectors.access_organization(user, pk)
    subtree_counts: dict[int, dict[str, int]] = {}
    children = selectors.organization_children(actor=user, org=org, counts=subtree_counts)
    counts = subtree_counts.get(org.pk, {})
    terms = selectors.term_list(org)
    current = selectors.current_term(terms)
    ancestors = [
        {"org": a, "visible": permissions.can(user, "orgs.view", a.path)}
        for a in selectors.organization_ancestors(org)
    ]
    restructurings = list(selectors.restructuring_list(actor=user, org=org)[:RESTRUCTURINGS_PAGE_SIZE])
    context = {
        "org": org,
        "ancestors": ancestors,
        "summary": selectors.count_summary(counts),
        "warnings": selectors.structure_warnings(org, counts=counts),
        "current_term": current,
        "past_terms": [t for t in terms if t is not current],
        "supervisors": list(selectors.supervision_list(actor=user, org=org)),
        "supervises": list(selectors.supervisions_assigned_by(org)),
        "children": children,
        "predecessors": list(org.predecessors.all()),
        "restructurings": restructurings,
        "history": history_entries(org) if permissions.can(user, "orgs.view_history", org.path) else None,
        "can_change": permissions.can(user, "orgs.change", org.path),
        "can_restructure": permissions.can(user, "orgs.restructure", org.path),
        "can_add_child": org.is_active and not org.is_cell,
        "panels": panels.panels_for(
            request, timezone.localdate(), page="organization_detail", organization=org
        ),
    }
    return render(request, "orgs/detail.html", context)


def _conflict_changes(org: Organization, seen_version: int, mine: dict) -> list[dict]:
    """What someone else changed since the form was opened: field, then, now, and what the user typed."""
    seen = org.history.filter(version=seen_version).order_by("-history_date", "-history_id").first()
    changes = []
    for name in ("code", "name", "address", "established_on"):
        now, then = getattr(org, name), getattr(seen, name, None)
        if seen is not None and then == now:
            continue
        field = Organization._meta.get_field(name)
        changes.append(
            {
                "label": field.verbose_name,
                "then": _show(then),
                "now": _show(now),
                "mine": _show(mine.get(name)),
            }
        )
    return changes


def _show(value) -> str:
    if value in (None, ""):
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = selectors.access_organization(user, pk, perm="orgs.change")
    conflict = None
    fields = ("code", "name", "address", "established_on", "residential")
    if request.method == "POST":
        form = OrganizationForm(request.POST)
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in fields}
            values["address"] = values["address"] or ""
            try:
                services.organization_update(
                    actor=user, org=org, expected_version=form.cleaned_data["version"], **values
                )
            except ConflictError as exc:
                current = Organization.objects.get(pk=org.pk)
                conflict = {
                    "message": exc.message,
                    "changes": _conflict_changes(current, form.cleaned_data["version"], values),
                }
                # Keep what the user typed, now based on the stored version: saving again is a conscious choice.
                data = request.POST.copy()
                data["version"] = str(current.version)
                org, form = current, OrganizationForm(data)
                form.is_valid()
            except (CosoError, ValidationError) as exc:
                org.refresh_from_db()
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The organization was saved."))
                return redirect("orgs:detail", pk=org.pk)
    else:
        initial = {name: getattr(org, name) for name in fields}
        form = OrganizationForm(initial={**initial, "version": org.version})
    return render(request, "orgs/edit.html", {"org": org, "form": form, "conflict": conflict})


def _org_form_page(request, org: Organization, form, *, title: str, submit: str):
    return render(request, "orgs/org_form.html", {"org": org, "form": form, "title": title, "submit": submit})


@login_required
def create_child(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    parent = selectors.access_organization(user, pk, perm="orgs.change")
    if not parent.is_active or parent.is_cell:
        raise PermissionDenied
    form = ChildForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = services.organization_create(
                actor=user,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=parent,
                address=data["address"] or "",
                established_on=data["established_on"],
                residential=data["residential"],
            )
        except (CosoError, ValidationError) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The organization was created."))
            return redirect("orgs:detail", pk=child.pk)
    title = _("New organization under %(name)s") % {"name": parent.name}
    return _org_form_page(request, parent, form, title=title, submit=_("Create"))


@login_required
def term_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = selectors.access_organization(user, pk, perm="orgs.change")
    form = TermForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.term_create(
                actor=user,
                org=org,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                committee_kinds=data["committees"],
            )
        except (CosoError, ValidationError) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The term was recorded."))
            return redirect("orgs:detail", pk=org.pk)
    return _org_form_page(request, org, form, title=_("New term"), submit=_("Save"))


@login_required
def committee_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = selectors.access_organization(user, pk, perm="orgs.change")
    form = CommitteeForm(request.POST or None, org=org, initial={"term": request.GET.get("term")})
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_create(
                actor=user, term=form.cleaned_data["term"], kind=form.cleaned_data["kind"]
            )
        except (CosoError, ValidationError) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The committee was recorded."))
            return redirect("orgs:detail", pk=org.pk)
    return _org_form_page(request, org, form, title=_("New committee"), submit=_("Save"))


@login_required
def position_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = selectors.access_organization(user, pk, perm="orgs.change")
    initial = {"committee": request.GET.get("committee"), "starts_on": timezone.localdate()}
    form = PositionForm(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.position_assign(
                actor=user,
                committee=data["committee"],
                member=data["member"],
                title=data["title"],
                starts_on=data["starts_on"],
            )
        except (CosoError, ValidationError) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The position was assigned."))
            return redirect("orgs:detail", pk=org.pk)
    return _org_form_page(request, org, form, title=_("Assign a position"), submit=_("Assign"))


@login_required
def position_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    position = selectors.access_position(user, pk, perm="orgs.change")
    org = position.committee.organization
    form = EndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.position_end(actor=user, position=position, ends_on=form.cleaned_data["ends_on"])
        except (CosoError, ValidationError) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The position was ended."))
            return redirect("orgs:detail", pk=org.pk)
    title = _("End the position of %(name)s (%(title)s)") % {
        "name": position.member.full_name,
        "title": position.label,
    }
    return _org_form_page(request, org, form, title=title, submit=_("End the position"))


# --- supervision ------------------------------------------------------------------------------------------------


@login_required
def supervision(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "orgs.view_history"):
        raise PermissionDenied
    can_assign = permissions.has_any(user, "orgs.change")
    form = None
    if request.method == "POST":
        if not can_assign:
            raise PermissionDenied
        form = SupervisionForm(request.POST, actor=user)
        if form.is_valid():
            data = form.cleaned_data
            seat = data["seat"]
            try:
                services.supervision_assign(
                    actor=user,
                    supervisor=seat.member,
                    organization=data["organization"],
                    assigned_by=seat.committee.organization,
                    kind=data["kind"],
                    starts_on=data["starts_on"],
                )
            except (CosoError, ValidationError) as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The supervision was assigned."))
                return redirect("orgs:supervision")
    elif can_assign:
        initial = {"organization": request.GET.get("org"), "starts_on": timezone.localdate()}
        form = SupervisionForm(initial=initial, actor=user)
    under = selectors.access_organization(user, request.GET["under"]) if request.GET.get("under") else None
    coverage = selectors.supervision_coverage(actor=user, under=under)
    unsupervised = Paginator(coverage["unsupervised"], SUPERVISION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    assignments = Paginator(coverage["assignments"], SUPERVISION_PAGE_SIZE).get_page(request.GET.get("apage"))
    for assignment in assignments:
        # Only the committee that assigned it ends it; the supervisor's record is linked only where it may be seen.
        assignment.can_end = permissions.can(user, "orgs.change", assignment.assigned_by.path)
        assignment.supervisor_visible = permissions.can(
            user, "members.view", assignment.supervisor.organization.path
        )
    context = {
        "form": form,
        "under": under,
        "unsupervised": unsupervised,
        "groups": selectors.group_by_parent(unsupervised.object_list),
        "assignments": assignments,
        "areas": selectors.unsupervised_by_area(actor=user) if under is None else [],
    }
    return render(request, "orgs/supervision.html", context)


@login_required
def supervision_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assignment = selectors.access_supervision(user, pk)
    if not permissions.can(user, "orgs.change", assignment.assigned_by.path):
        raise PermissionDenied
    form = EndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_end(actor=user, assignment=assignment, ends_on=form.cleaned_data["ends_on"])
        except (CosoError, ValidationError) as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("The supervision was ended."))
            return redirect("orgs:detail", pk=assignment.organization_id)
    title = _("End the supervision of %(org)s by %(name)s") % {
        "org": assignment.organization.name,
        "name": assignment.supervisor.full_name,
    }
    return _org_form_page(
        request, assignment.organization, form, title=title, submit=_("End the supervision")
    )


# --- restructuring ----------------------------------------------------------------------------------------------


@login_required
def restructure(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "orgs.restructure"):
        raise PermissionDenied
    page = Paginator(selectors.restructuring_list(actor=user), RESTRUCTURINGS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "orgs/restructure.html", {"page": page, "kinds": _kinds()})


def _kinds() -> list[tuple[str, str, str]]:
    labels = {
        "merge": (RestructuringKind.MERGE.label, "bi-union"),
        "split": (RestructuringKind.SPLIT.label, "bi-scissors"),
        "move": (RestructuringKind.MOVE.label, "bi-arrow-return-right"),
        "rename": (RestructuringKind.RENAME.label, "bi-input-cursor-text"),
        "dissolve": (RestructuringKind.DISSOLVE.label, "bi-x-octagon"),
    }
    return [(kind, label, icon) for kind, (label, icon) in labels.items()]


def _call_service(kind: str, actor, form):
    function = {
        "merge": services.organization_merge,
        "split": services.organization_split,
        "move": services.organization_move,
        "rename": services.organization_rename,
        "dissolve": services.organization_dissolve,
    }[kind]
    return function(actor=actor, **form.service_kwargs())


def _make_form(kind: str, request: HttpRequest, user):
    form_class = RESTRUCTURE_FORMS[kind]
    data = request.POST if request.method == "POST" else None
    if kind != "split":
        initial = {}
        if request.GET.get("org"):
            org = selectors.access_organization(user, request.GET["org"], perm="orgs.restructure")
            initial = {"sources": [org.pk]} if kind == "merge" else {"org": org.pk}
        return form_class(data, actor=user, initial=initial)
    source_id = (data or request.GET).get("source") or request.GET.get("org")
    if not source_id and request.GET.get("source_text"):  # typed in the picker without JavaScript
        pick = SplitSourceForm(request.GET, actor=user)
        source_id = pick.cleaned_data["source"].pk if pick.is_valid() else None
    if not source_id:
        return None
    source = selectors.access_organization(user, source_id, perm="orgs.restructure")
    if not source.is_active:
        raise Http404
    try:
        parts = int((data or request.GET).get("parts") or 2)
    except ValueError:
        parts = 2
    return form_class(data, actor=user, source=source, parts=parts)


@login_required
def restructure_form(request: HttpRequest, kind: str) -> HttpResponse:
    user = request.user
    if kind not in RESTRUCTURE_FORMS:
        raise Http404
    if not permissions.has_any(user, "orgs.restructure"):
        raise PermissionDenied
    form = _make_form(kind, request, user)
    preview = None
    if request.method == "POST" and form is not None and form.is_valid():
        if request.POST.get("confirm") and not request.POST.get("back"):
            try:
                event = _call_service(kind, user, form)
            except (CosoError, ValidationError) as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, _("The restructuring was recorded."))
                return redirect("orgs:restructuring_detail", pk=event.pk)
        elif not request.POST.get("back"):
            preview = restructuring_preview(kind, form)
    sources = None
    if kind == "split" and form is None:
        typed = request.GET if request.GET.get("source_text") else None
        sources = SplitSourceForm(typed, actor=user)  # a picker, not a select of every organization
    label = dict((k, label) for k, label, _icon in _kinds())[kind]
    context = {"form": form, "kind": kind, "label": label, "preview": preview, "split_sources": sources}
    return render(request, "orgs/restructure_form.html", context)


@login_required
def restructuring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.access_restructuring(request.user, pk)
    handover = signals.labelled(event.details.get("handover") or {})
    return render(request, "orgs/restructuring_detail.html", {"event": event, "handover": handover})
