"""Inspection and supervision (issue 11 §3-4): shortcomings and their remedies, yearly plans, case files with
their dated steps, and discipline records.

A remedy is a tracked item (coso.core.tracking) like a hard task: an owner, a deadline, dated updates with
evidence, reported done, then verified by the inspection committee or the upper level (or returned).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coso.core.models import TimeStampedModel
from coso.core.tracking import TrackedItem, TrackedUpdate


class InspectionPlan(TimeStampedModel):
    """The yearly inspection and supervision plan of a committee or a cell."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("plan title"), max_length=255)
    subjects = models.TextField(_("subjects"), help_text=_("the organizations and members to be inspected"))
    content = models.TextField(_("content"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "organization__path", "id"]
        indexes = [models.Index(fields=["organization", "year"], name="inspplan_org_year")]

    def __str__(self) -> str:
        return self.title


class CaseKind(models.TextChoices):
    REGULAR_SUPERVISION = "REGULAR", _("Regular supervision")
    THEMATIC_SUPERVISION = "THEMATIC", _("Thematic supervision")
    SIGNS_OF_VIOLATION = "SIGNS", _("Inspection on signs of violation")
    DENUNCIATION = "DENUNCIATION", _("Handling of a denunciation against a member")


class CaseStep(models.TextChoices):
    """The steps of a case file, in their order."""

    PLAN = "PLAN", _("Plan")
    NOTICE = "NOTICE", _("Notice")
    SELF_REPORT = "SELF_REPORT", _("Self-report")
    FINDINGS = "FINDINGS", _("Findings")
    MEETING = "MEETING", _("Meeting")
    CONCLUSION = "CONCLUSION", _("Conclusion")


STEP_ORDER = [step.value for step in CaseStep]


class InspectionCase(TimeStampedModel):
    # The organization inspected or supervised (its subtree's inspection roles see the case).
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("case title"), max_length=255)
    content = models.TextField(_("content"), blank=True)
    # The last step recorded (empty before the first).
    step = models.CharField(_("current step"), max_length=12, choices=CaseStep.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inspection case")
        verbose_name_plural = _("inspection cases")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["organization", "year"], name="inspcase_org_year")]

    def __str__(self) -> str:
        return self.title

    @property
    def next_step(self) -> str | None:
        if not self.step:
            return STEP_ORDER[0]
        index = STEP_ORDER.index(self.step)
        return STEP_ORDER[index + 1] if index + 1 < len(STEP_ORDER) else None


class CaseStepRecord(TimeStampedModel):
    """A dated record of one step of a case, who recorded it, with the step's document if any."""

    case = models.ForeignKey(InspectionCase, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=12, choices=CaseStep.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    document = models.FileField(_("document"), upload_to="inspection/cases/%Y/%m", blank=True)
    document_name = models.CharField(_("document file name"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "date", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="casestep_one_per_step")]


class ShortcomingSource(models.TextChoices):
    SELF_REVIEW = "SELF_REVIEW", _("Self-review")
    REVIEW_PROMPT = "REVIEW_PROMPT", _("Review prompt")
    INSPECTION = "INSPECTION", _("Inspection conclusion")
    MEETING = "MEETING", _("Meeting conclusion")


class Shortcoming(TimeStampedModel):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shortcomings",
    )
    text = models.TextField(_("shortcoming"))
    source = models.CharField(_("source"), max_length=16, choices=ShortcomingSource.choices)
    review = models.ForeignKey(
        "reviews.AnnualReview",
        verbose_name=_("review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="found_shortcomings",
    )
    case = models.ForeignKey(
        InspectionCase,
        verbose_name=_("inspection case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shortcomings",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Codes A1-C9 of coso/reviews/manifestations.py the shortcoming relates to.
    manifestations = models.JSONField(_("manifestations"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("shortcoming")
        verbose_name_plural = _("shortcomings")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["organization", "year"], name="shortcoming_org_year")]

    def __str__(self) -> str:
        return self.text[:80]


class RemedyStatus(models.TextChoices):
    OPEN = "OPEN", _("To be carried out")
    IN_PROGRESS = "IN_PROGRESS", _("Being carried out")
    REPORTED_DONE = "REPORTED_DONE", _("Reported done")
    VERIFIED = "VERIFIED", _("Verified as remedied")
    RETURNED = "RETURNED", _("Returned to the owner")


class Remedy(TrackedItem):
    """A measure to remedy a shortcoming; `responsible` is its owner."""

    shortcoming = models.ForeignKey(
        Shortcoming, verbose_name=_("shortcoming"), on_delete=models.PROTECT, related_name="remedies"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=RemedyStatus.choices, default=RemedyStatus.OPEN
    )
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    reported_done_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["progress", "root", "title_folded"])

    OPEN_STATUSES = (RemedyStatus.OPEN, RemedyStatus.IN_PROGRESS, RemedyStatus.RETURNED)

    class Meta:
        verbose_name = _("remedy")
        verbose_name_plural = _("remedies")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["organization", "year", "status"], name="remedy_org_year_status"),
            models.Index(fields=["status", "due_date"], name="remedy_status_due"),
        ]


class RemedyUpdate(TrackedUpdate):
    remedy = models.ForeignKey(Remedy, on_delete=models.CASCADE, related_name="updates")
    evidence = models.FileField(_("evidence"), upload_to="inspection/evidence/%Y/%m", blank=True)

    class Meta(TrackedUpdate.Meta):
        verbose_name = _("remedy update")
        verbose_name_plural = _("remedy updates")


class DisciplineSubject(models.TextChoices):
    MEMBER = "MEMBER", _("Member")
    ORGANIZATION = "ORGANIZATION", _("Organization")


class Discipline(models.TextChoices):
    REPRIMAND = "REPRIMAND", _("Reprimand")
    WARNING = "WARNING", _("Warning")
    DISMISSAL = "DISMISSAL", _("Dismissal from post")
    EXPULSION = "EXPULSION", _("Expulsion")
    DISSOLUTION = "DISSOLUTION", _("Dissolution")


class DisciplineRecord(TimeStampedModel):
    subject = models.CharField(_("disciplined"), max_length=12, choices=DisciplineSubject.choices)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_records",
    )
    # The member's organization at the decision, or the organization disciplined.
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    form = models.CharField(_("form of discipline"), max_length=12, choices=Discipline.choices)
    reason = models.TextField(_("violation"))
    decision_number = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decision date"))
    issuing_body = models.CharField(_("issuing body"), max_length=255, blank=True)
    # The end of the time limit (DOMAIN §2); empty for expulsion and dissolution.
    time_limit_ends_on = models.DateField(_("time limit ends on"), null=True, blank=True)
    case = models.ForeignKey(
        InspectionCase,
        verbose_name=_("inspection case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="discipline_records",
    )
    # The member event that carries the effect on the member's status.
    member_event = models.OneToOneField(
        "members.MemberEvent",
        verbose_name=_("member event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["organization", "decided_on"], name="discipline_org_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject="MEMBER", member__isnull=False)
                | models.Q(subject="ORGANIZATION", member__isnull=True),
                name="discipline_subject_fits",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} {self.decision_number}"
