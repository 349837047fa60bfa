"""Writes of the study app: the library, campaigns, learning reports (one service per transition) and plans."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.accounts.models import Role, User
from coso.core.concurrency import stamp
from coso.core.exceptions import ConflictError, RuleViolation
from coso.core.text import nfc
from coso.members.models import Member, MemberStatus
from coso.notifications.services import notify
from coso.orgs.models import CommitteeKind, Organization, Position, PositionTitle

from . import files
from .models import (
    CampaignStatus,
    CommitmentResult,
    Document,
    FollowThroughPlan,
    Grade,
    LearningReport,
    PlanCommitment,
    PlanStatus,
    ReportStatus,
    StudyCampaign,
    StudySession,
)
from .policies import study_policy

# Members who must study and write a report: current members, exempted ones excepted (DOMAIN §2 exemption).
REQUIRED_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)
HEAD_TITLES = (
    PositionTitle.SECRETARY,
    PositionTitle.STANDING_DEPUTY_SECRETARY,
    PositionTitle.DEPUTY_SECRETARY,
)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")

# Learning-report transitions: action -> (statuses it starts from, status it leads to).
# A review graded REDO sends the report back like a return does.
REPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}), ReportStatus.SUBMITTED),
    "review": (frozenset({ReportStatus.SUBMITTED}), ReportStatus.REVIEWED),
    "return": (frozenset({ReportStatus.SUBMITTED}), ReportStatus.RETURNED),
}
EDITABLE_REPORT_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def _fail(field: str, message: str) -> RuleViolation:
    return RuleViolation(message, fields={field: [message]})


def _full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as exc:
        raise RuleViolation(fields=exc.message_dict) from exc


def _check_version(instance, expected_version: int | None) -> None:
    if expected_version is not None and instance.version != expected_version:
        raise ConflictError()


def _bump(instance, actor) -> None:
    instance.version += 1
    stamp(instance, actor)


def _lock(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _authorize_reach(actor, perm: str, path: str) -> None:
    """404 when the organization's publications do not reach the actor, 403 when they may not do `perm` there."""
    from .selectors import reaches

    if not reaches(actor, path):
        raise Http404
    if not permissions.can(actor, perm, path):
        raise PermissionDenied


def _no_html(value: str, field: str) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if _TAG.search(text):
        raise _fail(field, _("Write plain text: HTML is not accepted."))
    return text


# --- the library ---------------------------------------------------------------------------------------------
DOCUMENT_FIELDS = ("kind", "number", "title", "issuing_body", "issued_on", "summary")


def _attach_document_file(document: Document, upload) -> None:
    kind = files.check_upload(upload)
    document.file = upload
    document.file_name = nfc(upload.name)[:255]
    document.file_size = upload.size
    document.file_text = files.docx_text(upload) if kind == "docx" else ""


def document_create(*, actor, organization: Organization, data: dict, upload=None) -> Document:
    """Add a document to the library of `organization` (its whole subtree reads it)."""
    permissions.authorize(actor, "study.manage_library", organization.path)
    document = Document(organization=organization, **{k: data.get(k) for k in DOCUMENT_FIELDS if k in data})
    document.summary = _no_html(document.summary, "summary")
    with transaction.atomic():
        if upload is not None:
            _attach_document_file(document, upload)
        _full_clean(document, exclude=["replaced_by"])
        stamp(document, actor).save()
    return document


def document_update(
    *, actor, document: Document, data: dict, expected_version: int | None, upload=None
) -> Document:
    permissions.authorize(actor, "study.manage_library", document.organization.path)
    with transaction.atomic():
        document = _lock(Document, document.pk)
        _check_version(document, expected_version)
        for name in DOCUMENT_FIELDS:
            if name in data:
                setattr(document, name, data[name])
        document.summary = _no_html(document.summary, "summary")
        if upload is not None:
            _attach_document_file(document, upload)
        _full_clean(document, exclude=["replaced_by"])
        _bump(document, actor)
        document.save()
    return document


def document_replace(
    *, actor, document: Document, replaced_by: Document | None, replaced_on: dt.date | None = None
) -> Document:
    """Mark `document` as replaced by a newer one (or in force again with None); the chain must not loop."""
    permissions.authorize(actor, "study.manage_library", document.organization.path)
    if replaced_by is not None:
        if replaced_by.pk == document.pk:
            raise _fail("replaced_by", _("A document cannot replace itself."))
        seen = {document.pk}
        step = replaced_by
        while step is not None:
            if step.pk in seen:
                raise _fail("replaced_by", _("This would make the documents replace each other in a loop."))
            seen.add(step.pk)
            step = step.replaced_by
        if replaced_by.issued_on < document.issued_on:
            raise _fail("replaced_by", _("The replacing document is older than the one it replaces."))
    with transaction.atomic():
        document = _lock(Document, document.pk)
        document.replaced_by = replaced_by
        document.replaced_on = (
            (replaced_on or (replaced_by.issued_on if replaced_by else None)) if replaced_by else None
        )
        _bump(document, actor)
        document.save()
    return document


def bookmark_toggle(*, actor, document: Document) -> bool:
    """Bookmark the document for the actor, or remove the bookmark; returns whether it is now bookmarked."""
    from .models import Bookmark

    with transaction.atomic():
        deleted, _rows = Bookmark.objects.filter(user=actor, document=document).delete()
        if deleted:
            return False
        Bookmark.objects.create(user=actor, document=document)
        return True


# --- campaigns -----------------------------------------------------------------------------------------------
def _campaign_rules(*, organization, starts_on, deadline, report_due_on, documents) -> None:
    if organization.kind == "CELL":
        raise _fail(
            "organization", _("A campaign is launched by a committee for the organizations under it.")
        )
    if not organization.is_active:
        raise _fail("organization", _("The organization is no longer active."))
    if not documents:
        raise _fail("documents", _("Choose at least one document to study."))
    if deadline < starts_on:
        raise _fail("deadline", _("The deadline is before the start."))
    if report_due_on < starts_on:
        raise _fail("report_due_on", _("Reports cannot be due before the campaign starts."))


def _secretaries_under(organization: Organization) -> list[User]:
    path = organization.path
    return list(
        User.objects.filter(
            is_active=True,
            grants__revoked_at__isnull=True,
            grants__role__in=[Role.CELL_SECRETARY, Role.COMMITTEE_STAFF],
        )
        .filter(Q(grants__organization__path=path) | Q(grants__organization__path__startswith=path + "."))
        .distinct()
    )


def campaign_launch(
    *,
    actor,
    organization: Organization,
    title: str,
    documents: Sequence[Document],
    starts_on: dt.date,
    deadline: dt.date,
    report_due_on: dt.date | None = None,
    description: str = "",
    notify_units: bool = True,
) -> StudyCampaign:
    """Launch the study of `documents` by the whole subtree of `organization`; the units' secretaries are told."""
    _authorize_reach(actor, "study.launch_campaign", organization.path)
    report_due_on = report_due_on or deadline
    _campaign_rules(
        organization=organization,
        starts_on=starts_on,
        deadline=deadline,
        report_due_on=report_due_on,
        documents=documents,
    )
    with transaction.atomic():
        campaign = StudyCampaign(
            organization=organization,
            title=nfc(title),
            description=_no_html(description, "description"),
            starts_on=starts_on,
            deadline=deadline,
            report_due_on=report_due_on,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        _full_clean(campaign)
        stamp(campaign, actor).save()
        campaign.documents.set(documents)
        if notify_units:
            notify(
                recipients=_secretaries_under(organization),
                kind="study.campaign_launched",
                title=format_lazy(gettext_lazy("New study campaign: {title}"), title=campaign.title),
                body=format_lazy(
                    gettext_lazy("Hold the study sessions by {deadline}; learning reports are due on {due}."),
                    deadline=deadline.strftime("%d/%m/%Y"),
                    due=report_due_on.strftime("%d/%m/%Y"),
                ),
                url=f"/study/campaigns/{campaign.pk}/",
            )
    return campaign


def campaign_update(
    *, actor, campaign: StudyCampaign, data: dict, documents=None, expected_version: int | None
) -> StudyCampaign:
    _authorize_reach(actor, "study.launch_campaign", campaign.organization.path)
    with transaction.atomic():
        campaign = _lock(StudyCampaign, campaign.pk)
        _check_version(campaign, expected_version)
        for name in ("title", "description", "starts_on", "deadline", "report_due_on"):
            if name in data:
                setattr(campaign, name, data[name])
        campaign.title = nfc(campaign.title)
        campaign.description = _no_html(campaign.description, "description")
        docs = list(documents) if documents is not None else list(campaign.documents.all())
        _campaign_rules(
            organization=campaign.organization,
            starts_on=campaign.starts_on,
            deadline=campaign.deadline,
            report_due_on=campaign.report_due_on,
            documents=docs,
        )
        _full_clean(campaign)
        _bump(campaign, actor)
        campaign.save()
        if documents is not None:
            campaign.documents.set(docs)
        # Drafts not submitted yet follow the new due date; submitted ones keep the date they were judged by.
        LearningReport.objects.filter(campaign=campaign, status=ReportStatus.DRAFT).update(
            due_on=campaign.report_due_on
        )
    return campaign


def campaign_close(*, actor, campaign: StudyCampaign) -> StudyCampaign:
    _authorize_reach(actor, "study.launch_campaign", campaign.organization.path)
    with transaction.atomic():
        campaign = _lock(StudyCampaign, campaign.pk)
        campaign.status = CampaignStatus.CLOSED
        _bump(campaign, actor)
        campaign.save()
    return campaign


def campaign_requires(campaign: StudyCampaign, member: Member) -> bool:
    """Whether the member must study in this campaign: current, not exempted, in the campaign's subtree."""
    return member.status in REQUIRED_STATUSES and campaign.organization.contains(member.organization)


# --- reviewers -----------------------------------------------------------------------------------------------
def reviewer_for(member: Member, *, on: dt.date | None = None) -> tuple[Organization, Member | None]:
    """Whose head reviews the member's learning reports (DOMAIN Part A: the head reads his level's reports).

    A member holding a seat on a committee (executive, standing or cell committee) is reviewed by the head of
    that committee's organization; the head themself by the head of the level above. Everyone else is reviewed
    by the secretary of their cell (the cell's own secretary by the level above). With seats at several levels,
    the highest level reviews.
    """
    return reviewers_for([member], on=on)[member.pk]


def reviewers_for(
    members: Sequence[Member], *, on: dt.date | None = None
) -> dict[int, tuple[Organization, Member | None]]:
    """`reviewer_for` for many members in three queries (the demo and imports assign thousands at once)."""
    on = on or timezone.localdate()
    active = Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    term_active = Q(committee__term__starts_on__lte=on) & (
        Q(committee__term__ends_on__isnull=True) | Q(committee__term__ends_on__gte=on)
    )
    kinds = [CommitteeKind.EXECUTIVE, CommitteeKind.STANDING, CommitteeKind.CELL_COMMITTEE]
    seats: dict[int, list[Position]] = {}
    for seat in (
        Position.objects.filter(
            active, term_active, member__in=[m.pk for m in members], committee__kind__in=kinds
        )
        .select_related("committee__organization__parent")
        .order_by("id")
    ):
        seats.setdefault(seat.member_id, []).append(seat)
    chosen: dict[int, Organization] = {}
    for member in members:
        candidates: list[Organization] = []
        for seat in seats.get(member.pk, []):
            org = seat.committee.organization
            if seat.title == PositionTitle.SECRETARY:
                org = org.parent or org
            candidates.append(org)
        if not candidates:
            candidates.append(member.organization)
        chosen[member.pk] = min(candidates, key=lambda o: (o.depth, o.path))
    heads: dict[int, list[Member]] = {}
    for seat in (
        Position.objects.filter(active, term_active, title=PositionTitle.SECRETARY)
        .filter(committee__kind__in=[CommitteeKind.EXECUTIVE, CommitteeKind.CELL_COMMITTEE])
        .filter(committee__organization__in={org.pk for org in chosen.values()})
        .select_related("member")
        .order_by("id")
    ):
        heads.setdefault(seat.committee.organization_id, []).append(seat.member)
    result = {}
    for member in members:
        organization = chosen[member.pk]
        head = next((h for h in heads.get(organization.pk, []) if h.pk != member.pk), None)
        result[member.pk] = (organization, head)
    return result


# --- learning reports ----------------------------------------------------------------------------------------
def _own(actor, member: Member) -> bool:
    return getattr(actor, "member_id", None) is not None and actor.member_id == member.pk


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
    from .selectors import reports_due_soon

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


# --- follow-through plans ------------------------------------------------------------------------------------
def plan_heads(member: Member, organization: Organization, *, on: dt.date) -> list[Member]:
    """The heads of the member's organization (secretary and deputies), the member excepted."""
    seats = (
        Position.objects.filter(
            committee__organization=organization, title__in=HEAD_TITLES, starts_on__lte=on
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exclude(member=member)
        .select_related("member")
    )
    return list({seat.member_id: seat.member for seat in seats}.values())


def plan_heads_pending(member: Member, organization: Organization, year: int, *, on: dt.date) -> list[Member]:
    """Heads who have not submitted their plan for `year` yet ("above before below")."""
    heads = plan_heads(member, organization, on=on)
    done = set(
        FollowThroughPlan.objects.filter(
            member__in=heads, year=year, status=PlanStatus.SUBMITTED
        ).values_list("member_id", flat=True)
    )
    return [head for head in heads if head.pk not in done]


def plan_start(*, actor, member: Member, year: int) -> FollowThroughPlan:
    if not _own(actor, member):
        raise PermissionDenied
    plan = FollowThroughPlan.objects.filter(member=member, year=year).first()
    if plan is not None:
        return plan
    if member.status not in REQUIRED_STATUSES:
        raise _fail("year", _("Exempted and former members do not write a plan."))
    with transaction.atomic():
        plan = FollowThroughPlan(member=member, year=year, organization=member.organization)
        stamp(plan, actor).save()
    return plan


def _clean_commitments(items: Iterable[dict], year: int) -> list[dict]:
    cleaned: list[dict] = []
    errors: list[str] = []
    for i, item in enumerate(items, start=1):
        text = _no_html(item.get("text", ""), "commitments")
        target = nfc(item.get("target", ""))
        deadline = item.get("deadline")
        if not text and not target and not deadline:
            continue
        if not text or not target or not deadline:
            errors.append(
                _("Commitment %(n)s needs the commitment, a measurable target and a deadline.") % {"n": i}
            )
            continue
        if deadline.year != year:
            errors.append(_("Commitment %(n)s: the deadline must fall in %(year)s.") % {"n": i, "year": year})
            continue
        cleaned.append({"text": text, "target": target[:255], "deadline": deadline})
    if errors:
        raise RuleViolation(errors[0], fields={"commitments": errors})
    return cleaned


def plan_update(
    *, actor, plan: FollowThroughPlan, commitments: Iterable[dict], expected_version: int | None
) -> FollowThroughPlan:
    """Replace the plan's list of commitments (text, measurable target, deadline) while it is a draft."""
    if not _own(actor, plan.member):
        raise PermissionDenied
    items = _clean_commitments(commitments, plan.year)
    with transaction.atomic():
        plan = _lock(FollowThroughPlan, plan.pk)
        _check_version(plan, expected_version)
        if plan.status != PlanStatus.DRAFT:
            raise _fail("status", _("A submitted plan can no longer be changed."))
        plan.commitments.all().delete()
        PlanCommitment.objects.bulk_create(
            [PlanCommitment(plan=plan, position=i, **item) for i, item in enumerate(items)]
        )
        _bump(plan, actor)
        plan.save()
    return plan


def plan_submit(
    *, actor, plan: FollowThroughPlan, expected_version: int | None = None, today: dt.date | None = None
) -> FollowThroughPlan:
    """Submit the plan. Heads come first: submitting before them is allowed but recorded (`before_heads`)
    and shown as a warning, because blocking a member on a head who has no account would stop the cell."""
    if not _own(actor, plan.member):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        plan = _lock(FollowThroughPlan, plan.pk)
        _check_version(plan, expected_version)
        if plan.status != PlanStatus.DRAFT:
            raise _fail("status", _("The plan is already submitted."))
        if not plan.commitments.exists():
            raise _fail("commitments", _("Add at least one commitment before submitting the plan."))
        plan.before_heads = bool(plan_heads_pending(plan.member, plan.organization, plan.year, on=today))
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_at = timezone.now()
        _bump(plan, actor)
        plan.save()
    return plan


def plan_assess(
    *,
    actor,
    plan: FollowThroughPlan,
    results: dict[int, tuple[str, str]],
    today: dt.date | None = None,
) -> FollowThroughPlan:
    """Self-assess each commitment at year end: done / partly / not done, with a note."""
    if not _own(actor, plan.member):
        raise PermissionDenied
    today = today or timezone.localdate()
    opens = dt.date(plan.year, study_policy("plan.assessment_from_month", today), 1)
    if today < opens:
        raise _fail(
            "results",
            _("Commitments are assessed at year end, from %(date)s.") % {"date": opens.strftime("%d/%m/%Y")},
        )
    if plan.status != PlanStatus.SUBMITTED:
        raise _fail("results", _("Submit the plan before assessing it."))
    with transaction.atomic():
        plan = _lock(FollowThroughPlan, plan.pk)
        commitments = {c.pk: c for c in plan.commitments.select_for_update()}
        for pk, (result, note) in results.items():
            commitment = commitments.get(pk)
            if commitment is None:
                raise _fail("results", _("This commitment is not part of the plan."))
            if result and result not in CommitmentResult.values:
                raise _fail("results", _("Choose done, partly done or not done."))
            commitment.result = result or ""
            commitment.result_note = _no_html(note or "", "results")
            commitment.assessed_on = today if result else None
            stamp(commitment, actor).save(
                update_fields=["result", "result_note", "assessed_on", "updated_at"]
            )
        _bump(plan, actor)
        plan.save()
    return plan


# --- study sessions (meetings of kind STUDY, scheduled through the meetings app) -----------------------------
def study_session_schedule(
    *,
    actor,
    campaign: StudyCampaign,
    organization: Organization,
    starts_at: dt.datetime,
    place: str = "",
    duration_minutes: int | None = None,
) -> StudySession:
    """Plan a study session of `organization` for the campaign: a Meeting(kind=STUDY) with the documents on its
    agenda and attached as links; the secretary then publishes it like any meeting."""
    from coso.meetings import services as meeting_services
    from coso.meetings.models import MeetingKind

    if campaign.status != CampaignStatus.ACTIVE:
        raise _fail("campaign", _("The campaign is closed."))
    if not campaign.organization.contains(organization):
        raise _fail("organization", _("This organization is not part of the campaign."))
    documents = list(campaign.documents.order_by("issued_on", "id"))
    with transaction.atomic():
        meeting = meeting_services.meeting_schedule(
            actor=actor,
            organization=organization,
            kind=MeetingKind.STUDY,
            starts_at=starts_at,
            title=_("Study session: %(title)s") % {"title": campaign.title},
            topic=campaign.title,
            duration_minutes=duration_minutes,
            place=place,
            agenda=[f"{d.number} — {d.title}"[:255] for d in documents],
        )
        for document in documents:
            meeting_services.document_add(
                actor=actor,
                meeting=meeting,
                title=str(document)[:255],
                link=f"/study/documents/{document.pk}/",
            )
        session = StudySession.objects.create(campaign=campaign, meeting=meeting, organization=organization)
    return session


def _committee_users(organization: Organization) -> list[User]:
    """Users who lead or staff the committee above the cell (they follow the cell's results)."""
    parent = organization.parent
    if parent is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            grants__revoked_at__isnull=True,
            grants__organization=parent,
            grants__role__in=[Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER],
        ).distinct()
    )


def study_session_publish_absentees(*, actor, session, now=None) -> list:
    """After a held session, send the list of members absent, late or leaving early to the cell and to its
    committee (DOMAIN Part A: the results are published and the cell committee reviews them). Once per session."""
    from coso.meetings import selectors as meeting_selectors
    from coso.meetings.models import AttendanceStatus

    meeting = session.meeting
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    if not meeting.is_held:
        raise _fail("meeting", _("Take the attendance and mark the session held first."))
    rows = [r for r in meeting_selectors.attendance_rows(meeting) if not r.is_guest and not r.exempted]
    labels = dict(AttendanceStatus.choices)
    flagged = [
        (row.member.full_name, labels.get(row.status, ""), row.reason)
        for row in rows
        if row.status not in (AttendanceStatus.PRESENT,)
    ]
    lines = [f"- {name}: {label}" + (f" ({reason})" if reason else "") for name, label, reason in flagged]
    body = "\n".join(lines) if lines else gettext_lazy("Everyone attended.")
    recipients = [
        *_meeting_recipients(meeting),
        *_committee_users(meeting.organization),
    ]
    with transaction.atomic():
        sent = notify(
            recipients=recipients,
            kind="study.session_results",
            title=format_lazy(
                gettext_lazy("Study session of {organization}: {count} absent, late or leaving early"),
                organization=meeting.organization.name,
                count=len(flagged),
            ),
            body=body,
            url=f"/study/sessions/{session.pk}/",
            email=False,
            dedupe_key=f"study.session_results.{session.pk}",
        )
        StudySession.objects.filter(pk=session.pk, absentees_published_at__isnull=True).update(
            absentees_published_at=now or timezone.now()
        )
    session.refresh_from_db()
    return sent


def _meeting_recipients(meeting) -> list:
    from coso.meetings.services import meeting_recipients

    return meeting_recipients(meeting)
