"""Learning reports: the member's own, the list to read or review, one report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.text import as_id

from .. import selectors, services
from ..forms import (
    ReportForm,
    ReviewForm,
)
from ..models import ReportStatus
from ._common import PAGE_SIZE, _own_member, _rule_errors


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
