"""Review cycles, the reviews written in them and every step of their quality rating.

A committee opens a cycle (a year, a quarter, a term or an ad hoc review) for its subtree with a deadline per
step. Each member (individual) and each organization (collective) reviewed in it has one `AnnualReview`: the
self-review, then the rating proposed by the cell, advised by the committee and decided by the competent level.
Every proposal and decision is a `RatingStep` row, never an edit, so who proposed what, when and why stays.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from coso.core.models import TimeStampedModel, VersionedModel

from .grading import Grade


class CycleKind(models.TextChoices):
    YEAR = "YEAR", _("Year-end review")
    QUARTER = "QUARTER", _("Quarterly review")
    TERM = "TERM", _("End-of-term review")
    AD_HOC = "AD_HOC", _("Ad hoc review")


class CycleStatus(models.TextChoices):
    OPEN = "OPEN", pgettext_lazy("review cycle", "Open")
    CLOSED = "CLOSED", pgettext_lazy("review cycle", "Closed")


class ReviewCycle(VersionedModel):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="review_cycles",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CycleKind.choices, default=CycleKind.YEAR)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    title = models.CharField(pgettext_lazy("review cycle", "title"), max_length=255)
    # The date whose grading regulation applies (QĐ 124 or QĐ 366).
    review_date = models.DateField(_("review date"))
    self_review_due = models.DateField(_("self-reviews due"))
    cell_due = models.DateField(_("cell proposals due"))
    committee_due = models.DateField(_("committee proposals due"))
    decision_due = models.DateField(_("decisions due"))
    status = models.CharField(
        _("status"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        ordering = ["-year", "-review_date", "id"]
        indexes = [models.Index(fields=["organization", "year"], name="reviewcycle_org_year")]
        constraints = [
            # One cycle an organization, kind and period (a quarter's, or the year's or term's with no quarter);
            # ad hoc reviews as often as needed.
            models.UniqueConstraint(
                fields=["organization", "kind", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="reviewcycle_one_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind", "year"],
                condition=Q(quarter__isnull=True) & ~Q(kind="AD_HOC"),
                name="reviewcycle_one_per_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReviewKind(models.TextChoices):
    INDIVIDUAL = "INDIVIDUAL", _("Individual")
    COLLECTIVE = "COLLECTIVE", _("Collective")


class ReviewStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Self-review being written")
    SUBMITTED = "SUBMITTED", _("Self-review submitted")
    PROPOSED = "PROPOSED", _("Proposed by the cell")
    ADVISED = "ADVISED", _("Proposed by the committee")
    DECIDED = "DECIDED", _("Decided")


class AnnualReview(VersionedModel):
    cycle = models.ForeignKey(
        ReviewCycle, verbose_name=_("review cycle"), on_delete=models.PROTECT, related_name="reviews"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReviewKind.choices)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annual_reviews",
    )
    # Where the review is rated: the member's cell, or the collective reviewed.
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="annual_reviews",
    )
    strengths = models.TextField(_("strengths"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    responsibility = models.TextField(_("responsibility"), blank=True)
    prompt_answers = models.TextField(_("answers to the review prompts"), blank=True)
    earlier_shortcomings_fixed = models.TextField(_("fixing of the last review's shortcomings"), blank=True)
    plan_result = models.TextField(_("result of the follow-through plan"), blank=True)
    # Codes A1-C9 the reviewed person marked in the self-check (reviews.manifestations); never preset.
    manifestations = models.JSONField(_("manifestations found"), default=list, blank=True)
    self_score = models.DecimalField(
        _("self-proposed score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_grade = models.CharField(_("self-proposed rating"), max_length=16, choices=Grade.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The rating in force: the last step's (the decision's once decided).
    grade = models.CharField(
        pgettext_lazy("quality rating", "rating"), max_length=16, choices=Grade.choices, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["grade", "score"])

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["cycle", "organization", "id"]
        indexes = [
            models.Index(fields=["cycle", "organization", "status"], name="review_cycle_org_status"),
            # The cycle's figures (per status, per decided grade) read from the index alone (the organization
            # last: a whole-tree scope only asks that it be set).
            models.Index(
                fields=["cycle", "kind", "status", "grade", "organization"], name="review_cycle_tally"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "member"], condition=Q(member__isnull=False), name="review_one_per_member"
            ),
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                condition=Q(kind="COLLECTIVE"),
                name="review_one_per_collective",
            ),
            models.CheckConstraint(
                condition=Q(kind="INDIVIDUAL", member__isnull=False)
                | Q(kind="COLLECTIVE", member__isnull=True),
                name="review_subject_fits_kind",
            ),
        ]


class RatingLevel(models.TextChoices):
    SELF = "SELF", _("Self-proposal")
    CELL = "CELL", _("Cell's proposal")
    COMMITTEE = "COMMITTEE", _("Committee's proposal")
    DECISION = "DECISION", _("Decision")
    OBJECTION = "OBJECTION", _("Objection")


class RatingStep(TimeStampedModel):
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="steps")
    level = models.CharField(_("step"), max_length=10, choices=RatingLevel.choices)
    grade = models.CharField(
        pgettext_lazy("quality rating", "rating"), max_length=16, choices=Grade.choices, blank=True
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    # The cell's vote on its proposal.
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The conditions that capped the rating (the grading engine's reasons), as shown when it was given.
    caps = models.JSONField(_("conditions applied"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rating step")
        verbose_name_plural = _("rating steps")
        ordering = ["review", "created_at", "id"]


class ReviewPrompt(TimeStampedModel):
    """A review prompt (gợi ý kiểm điểm) from the committee that opened the cycle to a named collective or
    member, answered in their review."""

    cycle = models.ForeignKey(
        ReviewCycle, verbose_name=_("review cycle"), on_delete=models.CASCADE, related_name="prompts"
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("collective prompted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member prompted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("prompt"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("review prompt")
        verbose_name_plural = _("review prompts")
        ordering = ["cycle", "created_at", "id"]
        indexes = [
            models.Index(fields=["cycle", "member"], name="prompt_cycle_member"),
            models.Index(fields=["cycle", "organization"], name="prompt_cycle_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, member__isnull=True)
                | Q(organization__isnull=True, member__isnull=False),
                name="prompt_one_addressee",
            )
        ]
