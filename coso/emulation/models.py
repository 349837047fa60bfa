"""Emulation movements ("phong trào thi đua"), the covenants organizations sign in them, their yearly scores and
the awards given to organizations and members.

A movement is launched by a committee for the organizations of one kind in its subtree (e.g. "Chi bộ bốn tốt"
for its cells, 2023–2025), with criteria whose weights add up to 100. Each year an organization scores itself on
every criterion, then its upper committee scores it and records the result (recognized or not). A criterion's
points are weight × score / max score, rounded to 2 decimals; the total is the sum of the rounded points, so
the numbers shown together always add up (page, API and export use `Scorecard.points`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

WEIGHT_TOTAL = 100
CENT = Decimal("0.01")


class MovementTarget(models.TextChoices):
    CELLS = "CELLS", _("Party cells")
    GRASSROOTS_COMMITTEES = "GRASSROOTS_COMMITTEES", _("Grassroots Party committees")


class Movement(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("launched by"),
        on_delete=models.PROTECT,
        related_name="emulation_movements",
    )
    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("from year"))
    end_year = models.PositiveSmallIntegerField(_("to year"))
    target = models.CharField(
        _("applies to"), max_length=24, choices=MovementTarget.choices, default=MovementTarget.CELLS
    )
    description = models.TextField(_("description"), blank=True)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        ordering = ["-start_year", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class Criterion(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    max_score = models.PositiveSmallIntegerField(_("maximum score"), default=10)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["movement", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "position"], name="emulation_criterion_position")
        ]

    def __str__(self) -> str:
        return self.name

    def points(self, score: Decimal | None) -> Decimal | None:
        if score is None:
            return None
        return (Decimal(self.weight) * Decimal(score) / Decimal(self.max_score)).quantize(
            CENT, rounding=ROUND_HALF_UP
        )


class Covenant(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="covenants")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="emulation_covenants"
    )
    signed_on = models.DateField(_("signed on"))
    signed_by = models.CharField(_("signed by"), max_length=200)
    commitments = models.TextField(_("commitments"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("emulation covenant")
        verbose_name_plural = _("emulation covenants")
        ordering = ["organization__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "organization"], name="emulation_covenant_once")
        ]

    def __str__(self) -> str:
        return f"{self.movement} · {self.organization}"


class ScoreResult(models.TextChoices):
    PENDING = "PENDING", _("Not decided yet")
    ACHIEVED = "ACHIEVED", _("Recognized")
    NOT_ACHIEVED = "NOT_ACHIEVED", _("Not recognized")


class Scorecard(models.Model):
    """One organization's scores in a movement for one year: its self-score, then the upper committee's."""

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="scorecards")
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="emulation_scorecards"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    self_submitted_at = models.DateTimeField(_("self-score submitted at"), null=True, blank=True)
    self_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    upper_scored_at = models.DateTimeField(_("scored by the upper committee at"), null=True, blank=True)
    upper_scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(
        _("result"), max_length=16, choices=ScoreResult.choices, default=ScoreResult.PENDING
    )
    result_note = models.TextField(_("note on the result"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("emulation scorecard")
        verbose_name_plural = _("emulation scorecards")
        ordering = ["movement", "year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "organization", "year"], name="emulation_scorecard_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.movement} · {self.organization} · {self.year}"

    def points(self, criteria: list[Criterion]) -> dict:
        """Per criterion the scores and points, and the totals (sums of the rounded points shown)."""
        by_criterion = {score.criterion_id: score for score in self.scores.all()}
        rows = []
        self_total = upper_total = Decimal("0.00")
        for criterion in criteria:
            score = by_criterion.get(criterion.pk)
            self_score = score.self_score if score else None
            upper_score = score.upper_score if score else None
            self_points, upper_points = criterion.points(self_score), criterion.points(upper_score)
            self_total += self_points or 0
            upper_total += upper_points or 0
            rows.append(
                {
                    "criterion": criterion,
                    "self_score": self_score,
                    "self_points": self_points,
                    "upper_score": upper_score,
                    "upper_points": upper_points,
                }
            )
        return {
            "rows": rows,
            "self_total": self_total if self.self_submitted_at else None,
            "upper_total": upper_total if self.upper_scored_at else None,
        }


class Score(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    self_score = models.DecimalField(_("self-score"), max_digits=5, decimal_places=2, null=True, blank=True)
    upper_score = models.DecimalField(
        _("upper committee's score"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "criterion"], name="emulation_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.scorecard} · {self.criterion}"


class AwardKind(models.TextChoices):
    CERTIFICATE_OF_MERIT = "CERTIFICATE_OF_MERIT", _("Certificate of merit")
    COMMENDATION = "COMMENDATION", _("Commendation")
    EMULATION_FLAG = "EMULATION_FLAG", _("Emulation flag")
    CLEAN_AND_STRONG = "CLEAN_AND_STRONG", _("Clean and strong title")
    FOUR_GOOD = "FOUR_GOOD", _("Four-good title")


class Award(models.Model):
    """An award given to an organization, or to a member (then `organization` is the member's organization
    when it was given, which scopes who sees it)."""

    kind = models.CharField(_("kind of award"), max_length=24, choices=AwardKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="awards"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("party member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("emulation movement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    issuer = models.CharField(_("issued by"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "-decision_date", "id"]
        indexes = [models.Index(fields=["year", "kind"], name="award_year_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} · {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        return self.member.full_name if self.member_id else self.organization.name
