"""HTML pages for member records: the list (with htmx live search), the record page, and the edit forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.accounts.services import access_log_record
from coso.core import panels
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.history import history_entries
from coso.core.pagination import KnownCountPaginator
from coso.orgs import selectors as org_selectors

from . import personal, selectors, services
from .forms import EventForm, MemberFilterForm, MemberForm, TransferForm, TransferInForm
from .models import Member, MemberStatus

PAGE_SIZE = 25


def _log_personal_view(request: HttpRequest, member: Member, *, detail: str = "") -> None:
    access_log_record(
        actor=request.user,
        action="member.view",
        obj=member,
        path=member.organization.path,
        request=request,
        detail=detail,
    )


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "members.view"):
        raise PermissionDenied
    form = MemberFilterForm(request.GET, actor=user)
    count = None
    if form.is_valid():
        members = selectors.member_list(actor=user, filters=form.filters())
        count = selectors.member_list_count(actor=user, filters=form.filters())
    else:
        members = Member.objects.none()
    page = KnownCountPaginator(members, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    level = personal.level_checker(user)
    reveal = request.GET.get("reveal") == "1"
    shown = list(page.object_list)
    levels = [level(member) for member in shown]
    own = getattr(user, "member_id", None)
    rows = [
        selectors.member_row(m, lv, masked=not reveal and m.pk != own)
        for m, lv in zip(shown, levels, strict=True)
    ]
    personal.log_list(request=request, members=shown, levels=levels, revealed=reveal, channel="html")
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "reveal": reveal,
        "can_reveal": reveal or any(row["masked"] for row in rows),
        "can_create": permissions.has_any(user, "members.change"),
        "can_export": permissions.has_any(user, "members.export"),
    }
    template = "members/_list_table.html" if request.htmx else "members/list.html"
    response = render(request, template, context)
    # The same URL answers with a fragment to htmx and a page to the browser: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = selectors.member_get_full(selectors.access_member(user, pk))
    path = member.organization.path
    own = getattr(user, "member_id", None) == member.pk
    level = personal.viewer_level(user, member)
    shows_personal = level >= personal.Level.PERSONAL
    if shows_personal:
        _log_personal_view(request, member)
    show_history = own or permissions.can(user, "members.view_history", path)
    context = {
        "member": member,
        "row": selectors.member_row(member, level),
        "personal": shows_personal,
        "own": own,
        "periods": list(member.periods.all()),
        # Events include discipline: they belong to the personal record.
        "events": list(member.events.all()) if shows_personal else None,
        "positions": list(member.positions.all()),
        "history": history_entries(member, hidden=personal.hidden_fields(level)) if show_history else None,
        "can_edit": permissions.can(user, "members.change", path),
        "can_record": permissions.can(user, "members.record_event", path),
        "is_current": member.status in services.CURRENT,
        "transferred_out": member.status == MemberStatus.TRANSFERRED_OUT,
        # Sections other apps add about this member (attendance, learning reports, plans...).
        "panels": panels.panels_for(request, timezone.localdate(), page="member_detail", member=member),
    }
    return render(request, "members/detail.html", context)


def _saved(request: HttpRequest, member: Member, warnings: dict, message: str):
    messages.success(request, message)
    for texts in warnings.values():
        for text in texts:
            messages.warning(request, text)
    return redirect("members:detail", pk=member.pk)


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {}
    if request.GET.get("org"):
        org = org_selectors.access_organization(user, request.GET["org"], perm="members.change")
        initial["organization"] = org.pk
    elif not permissions.has_any(user, "members.change"):
        raise PermissionDenied
    form = MemberForm(request.POST or None, request.FILES or None, actor=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(
                actor=user,
                organization=form.cleaned_data["organization"],
                data=form.record_data(),
                photo=form.cleaned_data.get("photo"),
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            return _saved(request, member, form.warnings, _("The member record was created."))
    return render(request, "members/form.html", {"form": form, "member": None})


def _conflict_changes(member: Member, seen_version: int, mine: dict) -> list[dict]:
    """What someone else changed since the user opened the form: field, then, now, and what the user typed."""
    seen = member.history.filter(version=seen_version).order_by("-history_date", "-history_id").first()
    changes = []
    for name in services.EDITABLE_FIELDS:
        now = getattr(member, name)
        then = getattr(seen, name, None) if seen is not None else None
        if seen is not None and then == now:
            continue
        if seen is None and mine.get(name) == now:
            continue
        field = Member._meta.get_field(name)
        changes.append(
            {
                "label": field.verbose_name,
                "then": _display(field, then),
                "now": _display(field, now),
                "mine": _display(field, mine.get(name)),
            }
        )
    return changes


def _display(field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = selectors.access_member(user, pk, perm="members.change")
    conflict = None
    if request.method == "POST":
        form = MemberForm(request.POST, request.FILES, actor=user, member=member)
        if form.is_valid():
            photo = form.cleaned_data.get("photo")
            if request.POST.get("photo-clear") and not photo:
                photo = False
            try:
                member = services.member_update(
                    actor=user,
                    member=member,
                    data=form.record_data(),
                    expected_version=form.cleaned_data["version"],
                    photo=photo,
                )
            except ConflictError as exc:
                current = Member.objects.select_related("organization").get(pk=member.pk)
                conflict = {
                    "message": exc.message,
                    "changes": _conflict_changes(current, form.cleaned_data["version"], form.record_data()),
                }
                # Keep what the user typed, now based on the stored version: saving again is a conscious choice.
                data = request.POST.copy()
                data["version"] = str(current.version)
                member = current
                form = MemberForm(data, actor=user, member=member)
                form.is_valid()
            except RuleViolation as exc:
                form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
            else:
                return _saved(request, member, form.warnings, _("The member record was saved."))
    else:
        initial = {name: getattr(member, name) for name in services.EDITABLE_FIELDS}
        initial["version"] = member.version
        form = MemberForm(initial=initial, actor=user, member=member)
        _log_personal_view(request, member, detail="edit")
    return render(request, "members/form.html", {"form": form, "member": member, "conflict": conflict})


@login_required
def member_event(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = selectors.access_member(user, pk, perm="members.record_event")
    form = EventForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_record_event(actor=user, member=member, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/event_form.html", {"form": form, "member": member})


@login_required
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = selectors.access_member(user, pk, perm="members.record_event")
    coming_back = member.status == MemberStatus.TRANSFERRED_OUT
    form_class = TransferInForm if coming_back else TransferForm
    form = form_class(request.POST or None, actor=user, member=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if coming_back:
                organization = data.pop("to_organization")
                services.member_transfer_in(actor=user, member=member, organization=organization, **data)
            else:
                services.member_transfer(actor=user, member=member, **data)
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            messages.success(request, _("The transfer was recorded."))
            return redirect("members:detail", pk=member.pk)
    return render(
        request, "members/transfer_form.html", {"form": form, "member": member, "coming_back": coming_back}
    )
