"""Study campaigns: list, create, edit, progress level by level, members, exports; their sessions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.exporters import file_response

from .. import exports, selectors, services
from ..forms import (
    CampaignForm,
    SessionForm,
)
from ..models import CampaignStatus, Grade, ReportStatus
from ._common import PAGE_SIZE, _int, _own_member, _rule_errors


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "study.view"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in CampaignStatus.values:
        status = ""
    campaigns = selectors.campaign_list(actor=user, status=status)
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "statuses": CampaignStatus.choices,
        "can_launch": permissions.has_any(user, "study.launch_campaign"),
    }
    return render(request, "study/campaign_list.html", context)


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not permissions.has_any(request.user, "study.launch_campaign"):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_launch(
                actor=request.user,
                organization=data["organization"],
                title=data["title"],
                documents=list(data["documents"]),
                starts_on=data["starts_on"],
                deadline=data["deadline"],
                report_due_on=data["report_due_on"],
                description=data["description"],
            )
        except RuleViolation as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, _("The campaign was launched; the secretaries below were notified."))
            return redirect("study:campaign_detail", pk=campaign.pk)
    return render(request, "study/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.access_campaign(request.user, pk, perm="study.launch_campaign")
    initial = {
        "title": campaign.title,
        "description": campaign.description,
        "starts_on": campaign.starts_on,
        "deadline": campaign.deadline,
        "report_due_on": campaign.report_due_on,
        "documents": list(campaign.documents.all()),
    }
    form = CampaignForm(request.POST or None, actor=request.user, campaign=campaign, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.campaign_update(
                actor=request.user,
                campaign=campaign,
                data={k: data[k] for k in ("title", "description", "starts_on", "deadline", "report_due_on")},
                documents=list(data["documents"]),
                expected_version=_int(request.POST.get("version")),
            )
        except ConflictError as exc:
            form.add_error(None, str(exc.message))
        except RuleViolation as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("study:campaign_detail", pk=campaign.pk)
    return render(request, "study/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.access_campaign(user, pk)
    # One level of the tree at a time (?org= opens an organization's children): a province campaign has
    # thousands of cells.
    under, trail = selectors.progress_level(user, campaign, request.GET.get("org"))
    progress = selectors.campaign_progress(actor=user, campaign=campaign, under=under, levels=1)
    own_member = _own_member(user)
    my_report = None
    required = False
    if own_member is not None:
        required = services.campaign_requires(campaign, own_member)
        my_report = campaign.reports.filter(member=own_member).first()
    context = {
        "campaign": campaign,
        "documents": list(campaign.documents.all()),
        "progress": progress,
        "under": under,
        "trail": trail,
        "sessions": selectors.campaign_sessions(actor=user, campaign=campaign)[:200],
        "required": required,
        "my_report": my_report,
        "can_edit": permissions.can(user, "study.launch_campaign", campaign.organization.path),
        "can_schedule": campaign.status == CampaignStatus.ACTIVE
        and permissions.has_any(user, "meetings.manage"),
        "can_export": permissions.has_any(user, "study.view_reports"),
        "today": timezone.localdate(),
    }
    return render(request, "study/campaign_detail.html", context)


@login_required
def campaign_members(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.access_campaign(user, pk)
    if not permissions.has_any(user, "study.view_reports"):
        raise PermissionDenied
    members = selectors.campaign_member_rows(actor=user, campaign=campaign)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    statuses, grades = dict(ReportStatus.choices), dict(Grade.choices)
    for member in page.object_list:
        member.report_label = statuses.get(member.report_status, "")
        member.grade_label = grades.get(member.report_grade, "")
    return render(request, "study/campaign_members.html", {"campaign": campaign, "page": page})


def _export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    campaign = selectors.access_campaign(request.user, pk)
    if not permissions.has_any(request.user, "study.view_reports"):
        raise PermissionDenied
    stem = f"hoc-tap-{campaign.pk}-{timezone.localdate():%Y%m%d}"
    if kind == "xlsx":
        return file_response(
            exports.campaign_xlsx(actor=request.user, campaign=campaign), filename=f"{stem}.xlsx"
        )
    return file_response(
        exports.campaign_docx(actor=request.user, campaign=campaign),
        filename=f"{stem}.docx",
        content_type=exports.DOCX_CONTENT_TYPE,
    )


@login_required
def campaign_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@login_required
def campaign_export_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "docx")


@login_required
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = selectors.access_campaign(user, pk)
    if not permissions.has_any(user, "meetings.manage"):
        raise PermissionDenied
    form = SessionForm(request.POST or None, actor=user, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        starts_at = timezone.make_aware(timezone.datetime.combine(data["date"], data["time"]))
        try:
            session = services.study_session_schedule(
                actor=user,
                campaign=campaign,
                organization=data["organization"],
                starts_at=starts_at,
                place=data["place"],
                duration_minutes=data["duration_minutes"],
            )
        except RuleViolation as exc:
            _rule_errors(form, exc)
        else:
            messages.success(request, _("The study session was planned. Publish it to notify the members."))
            return redirect("study:session_detail", pk=session.pk)
    return render(request, "study/session_form.html", {"form": form, "campaign": campaign})


def _access_session(user, pk):
    from ..models import StudySession

    try:
        session = StudySession.objects.select_related(
            "campaign", "campaign__organization", "meeting", "organization"
        ).get(pk=pk)
    except (StudySession.DoesNotExist, ValueError, TypeError):
        raise Http404
    permissions.authorize(user, "study.view", session.organization.path)
    return session


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from coso.meetings import selectors as meeting_selectors

    session = _access_session(request.user, pk)
    rows = meeting_selectors.attendance_rows(session.meeting)
    context = {
        "session": session,
        "meeting": session.meeting,
        "rows": [r for r in rows if not r.is_guest],
        "flagged": [
            r for r in rows if not r.is_guest and not r.exempted and r.status and r.status != "PRESENT"
        ],
        "can_publish": session.meeting.is_held
        and permissions.can(request.user, "meetings.manage", session.organization.path),
    }
    return render(request, "study/session_detail.html", context)


@login_required
@require_POST
def session_publish(request: HttpRequest, pk: int) -> HttpResponse:
    session = _access_session(request.user, pk)
    try:
        sent = services.study_session_publish_absentees(actor=request.user, session=session)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        if sent:
            messages.success(request, _("The list was sent to the cell and its committee."))
        else:
            messages.info(request, _("The list had already been sent."))
    return redirect("study:session_detail", pk=session.pk)


# --- learning reports ----------------------------------------------------------------------------------------
