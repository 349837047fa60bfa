"""Import wizard (upload → preview → confirm → result, with a progress bar for large files) and the XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.core.exporters import file_response
from coso.orgs.models import CELL_KINDS, Organization, OrgStatus

from ..forms import MemberFilterForm
from ..models import ImportJob, ImportStatus
from . import exporter, jobs
from .forms import ImportUploadForm

RECENT_JOBS = 10
# The preview lists this many planned creates, updates and warnings; errors are always listed in full.
PREVIEW_ROWS = 200


def access_import_job(actor, pk) -> ImportJob:
    """An import job of an organization in the actor's scope: outside it → 404, without the right → 403."""
    try:
        job = ImportJob.objects.select_related("organization", "created_by").get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404
    permissions.authorize(actor, "members.import", job.organization.path)
    return job


@login_required
def member_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "members.import"):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None, actor=user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = jobs.import_job_create(
                actor=user,
                organization=form.cleaned_data["organization"],
                name=upload.name,
                data=upload.read(),
            )
        except RuleViolation as exc:
            form.add_rule_errors(exc.fields or {"__all__": [exc.message]})
        else:
            return redirect("members:import_detail", pk=job.pk)
    recent = ImportJob.objects.filter(created_by=user).select_related("organization")[:RECENT_JOBS]
    return render(request, "members/import/upload.html", {"form": form, "jobs": recent})


@login_required
def member_import_template(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "members.import"):
        raise PermissionDenied
    # The example row names a real cell of the user's, so the template imports as it is.
    cell = (
        Organization.objects.filter(permissions.scope_q(user, "members.import"))
        .filter(kind__in=CELL_KINDS, status=OrgStatus.ACTIVE)
        .order_by("path")
        .first()
    )
    content = exporter.template_xlsx(cell_code=cell.code if cell else "", cell_name=cell.name if cell else "")
    return file_response(content, filename="mau-danh-sach-dang-vien.xlsx")


def _measured(job: ImportJob) -> bool:
    """Whether the bar can say how far the job is: a total is known, and rows have been counted (on SQLite the
    write reports only when it ends, so the bar stays indeterminate meanwhile)."""
    return bool(job.total) and (bool(job.done) or job.status != ImportStatus.WRITING)


def _context(job: ImportJob) -> dict:
    report = job.report or {}
    return {
        "job": job,
        "measured": _measured(job),
        "report": report,
        "counts": report.get("counts", {}),
        "creates": report.get("creates", [])[:PREVIEW_ROWS],
        "updates": report.get("updates", [])[:PREVIEW_ROWS],
        "warnings": report.get("warnings", [])[:PREVIEW_ROWS],
        "preview_rows": PREVIEW_ROWS,
    }


@login_required
def member_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(request.user, pk)
    return render(request, "members/import/detail.html", _context(job))


@login_required
def member_import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(request.user, pk)
    response = render(request, "members/import/_progress.html", {"job": job, "measured": _measured(job)})
    if not job.running and request.htmx:
        # Finished: reload the page to show the report (the poll stops with it).
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def member_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    job = access_import_job(user, pk)
    try:
        job = jobs.import_job_confirm(actor=user, job=job)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        if job.status == "DONE":
            messages.success(
                request,
                _("Import finished: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % job.result,
            )
        elif job.status == "FAILED":
            messages.error(request, job.error)
    return redirect("members:import_detail", pk=job.pk)


@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    """The member list as XLSX: the list's filters, the actor's export scope, personal columns only if allowed."""
    user = request.user
    if not permissions.has_any(user, "members.export"):
        raise PermissionDenied
    form = MemberFilterForm(request.GET, actor=user)
    if not form.is_valid():
        if "org" in form.errors:
            raise Http404
        return HttpResponseBadRequest(_("The filters are not valid."))
    content, _count = exporter.member_export_xlsx(actor=user, filters=form.filters(), request=request)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return file_response(content, filename=f"dang-vien-{stamp}.xlsx")
