"""Learning reports, one service per transition: start, write, submit, review, return; reminders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.accounts.models import User
from coso.core.concurrency import stamp
from coso.core.text import nfc
from coso.members.models import Member
from coso.notifications.services import notify

from .. import files
from ..models import CampaignStatus, Grade, LearningReport, ReportStatus, StudyCampaign
from ._common import _bump, _check_version, _fail, _lock, _no_html, _own
from .campaigns import campaign_requires
from .reviewers import reviewer_for

# Learning-report transitions: action -> (statuses it starts from, status it leads to).
# A review graded REDO sends the report back like a return does.
REPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}), ReportStatus.SUBMITTED),
    "review": (frozenset({ReportStatus.SUBMITTED}), ReportStatus.REVIEWED),
    "return": (frozenset({ReportStatus.SUBMITTED}), ReportStatus.RETURNED),
}


EDITABLE_REPORT_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def report_start(*, actor, campaign: StudyCampaign, member: Member) -> LearningReport:
    """The member's report for the campaign, created as a draft on first use (only by the member)."""
    if not _own(actor, member):
        raise PermissionDenied
    existing = LearningReport.objects.filter(campaign=campaign, member=member).first()
    if existing is not None:
        return existing
    if campaign.status != CampaignStatus.ACTIVE:
        raise _fail("campaign", _("The campaign is closed."))
    if not campaign_requires(campaign, member):
        raise _fail("campaign", _("This campaign does not include you."))
    organization, reviewer = reviewer_for(member)
    with transaction.atomic():
        report = LearningReport(
            campaign=campaign,
            member=member,
            due_on=campaign.report_due_on,
            reviewer_organization=organization,
            reviewer=reviewer,
        )
        stamp(report, actor).save()
    return report


# What the author may change; status, grade and comment come from submitting and reviewing.
REPORT_WRITABLE_FIELDS = ("body",)


def report_update(
    *, actor, report: LearningReport, body: str | None = None, upload=None, expected_version: int | None
) -> LearningReport:
    """Write or upload the report; only its author, and only while it is a draft or was sent back."""
    if not _own(actor, report.member):
        raise PermissionDenied
    with transaction.atomic():
        report = _lock(LearningReport, report.pk)
        _check_version(report, expected_version)
        if report.status not in EDITABLE_REPORT_STATUSES:
            raise _fail("status", _("A submitted report can no longer be changed."))
        before = report.body
        if body is not None:
            report.body = _no_html(body, "body")
        if upload is not None:
            files.check_upload(upload)
            report.file = upload
            report.file_name = nfc(upload.name)[:255]
        elif report.body == before:
            return report  # nothing changed: same version, no history entry
        _bump(report, actor)
        report.save()
    return report


def _transition(report: LearningReport, action: str) -> str:
    sources, target = REPORT_TRANSITIONS[action]
    if report.status not in sources:
        raise _fail("status", str(_TRANSITION_REFUSED[action]) % {"status": report.get_status_display()})
    return target


_TRANSITION_REFUSED = {
    "submit": gettext_lazy("This report cannot be submitted: it is “%(status)s”."),
    "review": gettext_lazy("This report cannot be reviewed: it is “%(status)s”."),
    "return": gettext_lazy("This report cannot be returned: it is “%(status)s”."),
}


def report_submit(*, actor, report: LearningReport, expected_version: int | None = None) -> LearningReport:
    """Send the report to the reviewer; submitted after the due date it is flagged late."""
    if not _own(actor, report.member):
        raise PermissionDenied
    with transaction.atomic():
        report = _lock(LearningReport, report.pk)
        _check_version(report, expected_version)
        target = _transition(report, "submit")
        if not report.body.strip() and not report.file:
            raise _fail("body", _("Write the report or upload a file before submitting it."))
        now = timezone.now()
        report.status = target
        report.submitted_at = now
        report.late = timezone.localdate(now) > report.due_on
        _bump(report, actor)
        report.save()
    return report


def _authorize_review(actor, report: LearningReport) -> None:
    if _own(actor, report.member):
        raise PermissionDenied
    if not permissions.can(actor, "study.review", report.reviewer_organization.path):
        raise PermissionDenied


def _tell_author(report: LearningReport, title, kind: str) -> None:
    notify(
        recipients=User.objects.filter(member=report.member_id),
        kind=kind,
        title=title,
        body=report.comment,
        url=f"/study/reports/{report.pk}/",
    )


def report_review(
    *, actor, report: LearningReport, grade: str, comment: str = "", expected_version: int | None = None
) -> LearningReport:
    """Grade a submitted report (good / pass); graded REDO it goes back to the member like a return."""
    _authorize_review(actor, report)
    if grade not in Grade.values:
        raise _fail("grade", _("Choose a grade."))
    if grade == Grade.REDO:
        return report_return(actor=actor, report=report, comment=comment, expected_version=expected_version)
    with transaction.atomic():
        report = _lock(LearningReport, report.pk)
        _check_version(report, expected_version)
        report.status = _transition(report, "review")
        report.grade = grade
        report.comment = _no_html(comment, "comment")
        report.reviewed_by = actor if getattr(actor, "pk", None) else None
        report.reviewed_at = timezone.now()
        _bump(report, actor)
        report.save()
        _tell_author(
            report,
            format_lazy(
                gettext_lazy("Your learning report for “{campaign}” was reviewed"),
                campaign=report.campaign.title,
            ),
            "study.report_reviewed",
        )
    return report


def report_return(
    *, actor, report: LearningReport, comment: str, expected_version: int | None = None
) -> LearningReport:
    """Send a submitted report back to the member with the reviewer's comment; the member is notified."""
    _authorize_review(actor, report)
    comment = _no_html(comment, "comment")
    if not comment:
        raise _fail("comment", _("Say what the member should rework."))
    with transaction.atomic():
        report = _lock(LearningReport, report.pk)
        _check_version(report, expected_version)
        report.status = _transition(report, "return")
        report.grade = Grade.REDO
        report.comment = comment
        report.reviewed_by = actor if getattr(actor, "pk", None) else None
        report.reviewed_at = timezone.now()
        _bump(report, actor)
        report.save()
        _tell_author(
            report,
            format_lazy(
                gettext_lazy("Your learning report for “{campaign}” was returned for rework"),
                campaign=report.campaign.title,
            ),
            "study.report_returned",
        )
    return report


def reports_remind(*, today: dt.date, days_before: int = 3) -> int:
    """Remind members whose report is due within `days_before` days and not submitted; once per report."""
    from ..selectors import reports_due_soon

    sent = 0
    for member_id, campaign in reports_due_soon(today=today, days_before=days_before):
        users = User.objects.filter(member=member_id)
        sent += len(
            notify(
                recipients=users,
                kind="study.report_due",
                title=format_lazy(
                    gettext_lazy("Your learning report for “{campaign}” is due on {due}"),
                    campaign=campaign.title,
                    due=campaign.report_due_on.strftime("%d/%m/%Y"),
                ),
                url=f"/study/campaigns/{campaign.pk}/my-report/",
                dedupe_key=f"study.report_due.{campaign.pk}.{member_id}",
            )
        )
    return sent
