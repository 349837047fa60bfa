"""HTML pages of the study app: the library, campaigns (progress, sessions, exports), learning reports, plans."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.exporters import file_response
from coso.core.forms import add_errors
from coso.core.text import as_id
from coso.members.models import Member

from . import exports, selectors, services
from .forms import (
    AssessForm,
    CampaignForm,
    CommitmentFormSet,
    DocumentFilterForm,
    DocumentForm,
    ReportForm,
    ReviewForm,
    SessionForm,
)
from .models import CampaignStatus, Document, Grade, PlanStatus, ReportStatus

PAGE_SIZE = 25


def _rule_errors(form, exc: RuleViolation) -> None:
    add_errors(form, exc.fields or {"__all__": [exc.message]})


# --- documents -----------------------------------------------------------------------------------------------
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


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- campaigns -----------------------------------------------------------------------------------------------
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


# --- sessions ------------------------------------------------------------------------------------------------
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
    from .models import StudySession

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
def _own_member(user) -> Member | None:
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return None
    return Member.objects.select_related("organization").filter(pk=member_id).first()


@login_required
def report_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's own report for a campaign: write (big text area) or upload, save, submit."""
    user = request.user
    campaign = selectors.access_campaign(user, pk)
    member = _own_member(user)
    if member is None or not services.campaign_requires(campaign, member):
        raise PermissionDenied
    report = campaign.reports.filter(member=member).first()
    if report is not None and report.status not in services.EDITABLE_REPORT_STATUSES:
        return redirect("study:report_detail", pk=report.pk)
    initial = {"body": report.body, "version": report.version} if report else {}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if report is None:
                report = services.report_start(actor=user, campaign=campaign, member=member)
                expected = report.version
            else:
                expected = form.cleaned_data.get("version")
            report = services.report_update(
                actor=user,
                report=report,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data.get("file"),
                expected_version=expected,
            )
            if "submit" in request.POST:
                report = services.report_submit(actor=user, report=report)
        except ConflictError as exc:
            form.add_error(None, str(exc.message))
        except RuleViolation as exc:
            _rule_errors(form, exc)
        else:
            if report.status == ReportStatus.SUBMITTED:
                messages.success(request, _("Your learning report was submitted. Thank you."))
                return redirect("study:report_detail", pk=report.pk)
            messages.success(request, _("Your draft was saved."))
            return redirect("study:report_mine", pk=campaign.pk)
    context = {"campaign": campaign, "report": report, "form": form, "today": timezone.localdate()}
    return render(request, "study/report_form.html", context)


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "study.view"):
        raise PermissionDenied
    to_review = request.GET.get("to_review") == "1"
    status = request.GET.get("status", "")
    if status not in ReportStatus.values:
        status = ""
    campaigns = list(selectors.campaign_list(actor=user)[:50])
    chosen = request.GET.get("campaign", "")
    campaign = selectors.access_campaign(user, as_id(chosen)) if as_id(chosen) is not None else None
    if campaign is not None and campaign not in campaigns:
        campaigns.append(campaign)  # an older campaign, linked from its page, stays chosen in the list
    q = request.GET.get("q", "").strip()[:100]
    filters = selectors.ReportFilters(campaign=campaign, status=status, to_review=to_review, q=q)
    reports = selectors.report_list(actor=user, filters=filters)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "campaigns": campaigns,
        "campaign": campaign,
        "q": q,
        "status": status,
        "to_review": to_review,
        "statuses": ReportStatus.choices,
        "can_review": permissions.has_any(user, "study.review"),
    }
    return render(request, "study/report_list.html", context)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = selectors.access_report(user, pk)
    can_review = report.status == ReportStatus.SUBMITTED and selectors.can_review(user, report)
    form = ReviewForm(request.POST or None, initial={"version": report.version}) if can_review else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if "return" in request.POST:
                    services.report_return(
                        actor=user,
                        report=report,
                        comment=data["comment"],
                        expected_version=data.get("version"),
                    )
                    messages.success(request, _("The report was returned to the member."))
                else:
                    services.report_review(
                        actor=user,
                        report=report,
                        grade=data["grade"],
                        comment=data["comment"],
                        expected_version=data.get("version"),
                    )
                    messages.success(request, _("The review was saved; the member was notified."))
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
            except RuleViolation as exc:
                _rule_errors(form, exc)
            else:
                return redirect("study:report_detail", pk=report.pk)
    context = {
        "report": report,
        "form": form,
        "own": getattr(user, "member_id", None) == report.member_id,
        "editable": report.status in services.EDITABLE_REPORT_STATUSES,
    }
    return render(request, "study/report_detail.html", context)


# --- plans ---------------------------------------------------------------------------------------------------
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.has_any(user, "study.view"):
        raise PermissionDenied
    year = _int(request.GET.get("year")) or timezone.localdate().year
    plans = selectors.plan_list(actor=user, year=year)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "study/plan_list.html", {"page": page, "year": year})


@login_required
def plan_mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    member = _own_member(user)
    if member is None:
        raise PermissionDenied
    year = _int(request.GET.get("year")) or timezone.localdate().year
    plan = selectors.plan_for(member, year)
    if request.method == "POST" and plan is None:
        try:
            plan = services.plan_start(actor=user, member=member, year=year)
        except RuleViolation as exc:
            messages.error(request, exc.message)
            return redirect("core:home")
        # The start button posts no formset: binding it would report a missing ManagementForm, so show the
        # fresh plan's form on a GET instead.
        return redirect(f"{request.path}?year={year}")
    if plan is not None and plan.status != PlanStatus.DRAFT:
        return redirect("study:plan_detail", pk=plan.pk)
    initial = [
        {"text": c.text, "target": c.target, "deadline": c.deadline}
        for c in (plan.commitments.all() if plan else [])
    ]
    formset = CommitmentFormSet(request.POST or None, initial=initial, prefix="c")
    if request.method == "POST" and formset.is_valid():
        items = [f.cleaned_data for f in formset.forms if f.cleaned_data]
        try:
            plan = services.plan_update(
                actor=user, plan=plan, commitments=items, expected_version=_int(request.POST.get("version"))
            )
            if "submit" in request.POST:
                plan = services.plan_submit(actor=user, plan=plan)
        except ConflictError as exc:
            messages.error(request, exc.message)
        except RuleViolation as exc:
            for errors in (exc.fields or {"__all__": [exc.message]}).values():
                for error in errors:
                    formset._non_form_errors = formset.error_class([*formset.non_form_errors(), str(error)])
        else:
            if plan.status == PlanStatus.SUBMITTED:
                if plan.before_heads:
                    messages.warning(
                        request,
                        _("Your plan was submitted before the heads of your organization submitted theirs."),
                    )
                messages.success(request, _("Your plan was submitted."))
                return redirect("study:plan_detail", pk=plan.pk)
            messages.success(request, _("Your plan was saved."))
            return redirect(f"{request.path}?year={year}")
    pending = services.plan_heads_pending(member, member.organization, year, on=timezone.localdate())
    context = {"plan": plan, "formset": formset, "year": year, "member": member, "heads_pending": pending}
    return render(request, "study/plan_form.html", context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = selectors.access_plan(user, pk)
    own = getattr(user, "member_id", None) == plan.member_id
    commitments = list(plan.commitments.all())
    forms = None
    if own and plan.status == PlanStatus.SUBMITTED:
        forms = [
            (
                c,
                AssessForm(
                    request.POST or None,
                    prefix=f"r{c.pk}",
                    initial={"result": c.result, "note": c.result_note},
                ),
            )
            for c in commitments
        ]
        if request.method == "POST" and all(f.is_valid() for _c, f in forms):
            results = {c.pk: (f.cleaned_data["result"], f.cleaned_data["note"]) for c, f in forms}
            try:
                services.plan_assess(actor=user, plan=plan, results=results)
            except RuleViolation as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Your self-assessment was saved."))
                return redirect("study:plan_detail", pk=plan.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {"plan": plan, "own": own, "commitments": commitments, "forms": forms}
    return render(request, "study/plan_detail.html", context)
