"""Study of Party documents: the document library, study campaigns, learning reports and follow-through plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coso.core.models import TimeStampedModel, VersionedModel
from coso.core.text import fold, nfc


class DocumentKind(models.TextChoices):
    RESOLUTION = "RESOLUTION", _("Resolution")
    DIRECTIVE = "DIRECTIVE", _("Directive")
    CONCLUSION = "CONCLUSION", _("Conclusion")
    REGULATION = "REGULATION", _("Regulation")
    GUIDANCE = "GUIDANCE", _("Guidance")
    PLAN = "PLAN", _("Plan")


class Document(VersionedModel):
    """A Party document published by an organization for its subtree (national ones by the top organization)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="study_documents",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60, help_text=_("e.g. 57-NQ/TW"))
    title = models.CharField(_("title"), max_length=500)
    issuing_body = models.CharField(
        _("issuing body"), max_length=255, help_text=_("e.g. Ban Chấp hành Trung ương")
    )
    issued_on = models.DateField(_("date issued"))
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file"), upload_to="study/documents/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    file_size = models.PositiveIntegerField(_("file size"), default=0, editable=False)
    # Text read out of a DOCX file (cheap); searched with the rest, never shown.
    file_text = models.TextField(blank=True, editable=False)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    replaced_on = models.DateField(_("replaced on"), null=True, blank=True)
    # Lower case, no diacritics: number + title + issuing body + summary + file text (trigram GIN on PostgreSQL).
    search_folded = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_folded", "file_text"])

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["organization", "issued_on"], name="studydoc_org_issued"),
            models.Index(fields=["kind", "issued_on"], name="studydoc_kind_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def save(self, *args, **kwargs):
        self.number = nfc(self.number)
        self.title = nfc(self.title)
        self.issuing_body = nfc(self.issuing_body)
        self.summary = (self.summary or "").strip()
        self.search_folded = fold(
            " ".join(
                [self.number, self.title, self.issuing_body, self.summary, (self.file_text or "")[:20000]]
            )
        )
        super().save(*args, **kwargs)

    @property
    def in_force(self) -> bool:
        return self.replaced_by_id is None


class Bookmark(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_bookmarks"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="bookmarks")

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [models.UniqueConstraint(fields=["user", "document"], name="studybookmark_unique")]


class CampaignStatus(models.TextChoices):
    ACTIVE = "ACTIVE", _("In progress")
    CLOSED = "CLOSED", _("Closed")


class StudyCampaign(VersionedModel):
    """An upper committee's study of one or more documents by its whole subtree, with a deadline."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("launched by"),
        on_delete=models.PROTECT,
        related_name="study_campaigns",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("instructions"), blank=True)
    documents = models.ManyToManyField(Document, verbose_name=_("documents"), related_name="campaigns")
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("sessions held by"))
    report_due_on = models.DateField(_("learning reports due on"))
    status = models.CharField(
        _("status"), max_length=8, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("study campaign")
        verbose_name_plural = _("study campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class StudySession(TimeStampedModel):
    """The link from a campaign to one of its sessions, which is a meetings.Meeting(kind=STUDY).

    The link lives here so that the meetings app never needs to know about study.
    """

    campaign = models.ForeignKey(StudyCampaign, on_delete=models.PROTECT, related_name="sessions")
    meeting = models.OneToOneField("meetings.Meeting", on_delete=models.CASCADE, related_name="study_session")
    # Copied from the meeting: the campaign page groups sessions per organization in one query.
    organization = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    # When the list of members absent, late or leaving early was sent to the cell and its committee.
    absentees_published_at = models.DateTimeField(_("absentees published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["campaign", "id"]
        indexes = [models.Index(fields=["campaign", "organization"], name="studysession_campaign_org")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.meeting}"


class ReportStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Submitted")
    RETURNED = "RETURNED", _("Returned for rework")
    REVIEWED = "REVIEWED", _("Reviewed")


class Grade(models.TextChoices):
    GOOD = "GOOD", _("Good")
    PASS = "PASS", _("Pass")
    REDO = "REDO", _("Redo")


class LearningReport(VersionedModel):
    """A member's bài thu hoạch for a campaign: written in the app (plain text) or uploaded."""

    campaign = models.ForeignKey(
        StudyCampaign, verbose_name=_("study campaign"), on_delete=models.PROTECT, related_name="reports"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("party member"),
        on_delete=models.PROTECT,
        related_name="learning_reports",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    body = models.TextField(_("report"), blank=True)
    file = models.FileField(_("file"), upload_to="study/reports/%Y/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    # Whose head reviews it (the rule in services.reviewer_for): the cell for cell members, the committee's
    # organization for its committee members; `reviewer` is that head's record when the seat is known.
    reviewer_organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("reviewing organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        "members.Member",
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_to_review",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=4, choices=Grade.choices, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("learning report")
        verbose_name_plural = _("learning reports")
        ordering = ["campaign", "member__name_sort", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "member"], name="learningreport_one_per_member"),
        ]
        indexes = [
            models.Index(fields=["reviewer_organization", "status"], name="learningreport_reviewer"),
            # The home page's reports waiting longest for review, read in this order a few at a time.
            models.Index(fields=["status", "submitted_at", "id"], name="learningreport_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.campaign}"


class PlanStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    SUBMITTED = "SUBMITTED", _("Submitted")


class FollowThroughPlan(VersionedModel):
    """A member's yearly plan for studying and following Ho Chi Minh's thought, ethics and style."""

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("party member"),
        on_delete=models.PROTECT,
        related_name="follow_through_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # "Above before below": submitted while a head of the organization had not submitted theirs yet.
    before_heads = models.BooleanField(_("submitted before the heads"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-through plan")
        verbose_name_plural = _("follow-through plans")
        ordering = ["-year", "member__name_sort"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="plan_one_per_member_year")]

    def __str__(self) -> str:
        return f"{self.member} {self.year}"


class CommitmentResult(models.TextChoices):
    DONE = "DONE", _("Done")
    PARTLY = "PARTLY", _("Partly done")
    NOT_DONE = "NOT_DONE", _("Not done")


class PlanCommitment(TimeStampedModel):
    plan = models.ForeignKey(
        FollowThroughPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="commitments"
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("commitment"))
    target = models.CharField(_("measurable target"), max_length=255)
    deadline = models.DateField(_("deadline"))
    result = models.CharField(_("result"), max_length=8, choices=CommitmentResult.choices, blank=True)
    result_note = models.TextField(_("note on the result"), blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]
