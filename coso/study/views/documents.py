"""The document library: list, detail, create, edit, bookmark."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation

from .. import selectors, services
from ..forms import (
    DocumentFilterForm,
    DocumentForm,
)
from ..models import Document
from ._common import PAGE_SIZE, _int, _rule_errors


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "study.view"):
        raise PermissionDenied
    form = DocumentFilterForm(request.GET)
    documents = (
        selectors.document_list(actor=user, filters=form.filters())
        if form.is_valid()
        else Document.objects.none()
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_add": permissions.has_any(user, "study.manage_library")}
    template = "study/_document_table.html" if request.htmx else "study/document_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.access_document(request.user, pk)
    older, newer = selectors.document_chain(document)
    campaigns = selectors.campaign_list(actor=request.user).filter(documents=document)[:10]
    context = {
        "document": document,
        "older": older,
        "newer": newer,
        "bookmarked": selectors.is_bookmarked(request.user, document),
        "campaigns": campaigns,
        "can_edit": permissions.can(request.user, "study.manage_library", document.organization.path),
    }
    return render(request, "study/document_detail.html", context)


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any(request.user, "study.manage_library"):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.DOCUMENT_FIELDS}
        try:
            document = services.document_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=data,
                upload=form.cleaned_data.get("file"),
            )
            if form.cleaned_data.get("replaced_by"):
                services.document_replace(
                    actor=request.user, document=document, replaced_by=form.cleaned_data["replaced_by"]
                )
        except RuleViolation as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, _("The document was added to the library."))
            return redirect("study:document_detail", pk=document.pk)
    return render(request, "study/document_form.html", {"form": form, "document": None})


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.access_document(request.user, pk, perm="study.manage_library")
    form = DocumentForm(request.POST or None, request.FILES or None, actor=request.user, instance=document)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.DOCUMENT_FIELDS}
        try:
            updated = services.document_update(
                actor=request.user,
                document=document,
                data=data,
                upload=form.cleaned_data.get("file"),
                expected_version=_int(request.POST.get("version")),
            )
            replaced_by = form.cleaned_data.get("replaced_by")
            if (replaced_by.pk if replaced_by else None) != updated.replaced_by_id:
                services.document_replace(actor=request.user, document=updated, replaced_by=replaced_by)
        except ConflictError as exc:
            form.add_error(None, str(exc.message))
        except RuleViolation as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("study:document_detail", pk=document.pk)
    return render(request, "study/document_form.html", {"form": form, "document": document})


@login_required
@require_POST
def document_bookmark(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.access_document(request.user, pk)
    bookmarked = services.bookmark_toggle(actor=request.user, document=document)
    if request.htmx:
        return render(
            request, "study/_bookmark_button.html", {"document": document, "bookmarked": bookmarked}
        )
    return redirect("study:document_detail", pk=document.pk)
