"""Hard tasks and weak links that each organization commits to solve for its upper committee, tracked to the end.

A hard task ("việc khó, khâu yếu") is registered by an organization for a year, accepted by its upper committee,
followed through dated progress updates with evidence, reported done by the organization and verified ("solved
for good") or returned by the upper committee. A task may be split into the tasks of the organizations below
(the city's commitment into the wards'); its progress then rolls up from theirs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coso.core.tracking import TrackedItem, TrackedUpdate


class HardTaskStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft commitment")
    SUBMITTED = "SUBMITTED", _("Awaiting acceptance")
    REGISTERED = "REGISTERED", _("Accepted and registered")
    IN_PROGRESS = "IN_PROGRESS", _("Being carried out")
    REPORTED_DONE = "REPORTED_DONE", _("Reported done")
    VERIFIED = "VERIFIED", _("Solved for good")
    RETURNED = "RETURNED", _("Returned to the organization")


class HardTaskKind(models.TextChoices):
    HARD_TASK = "HARD_TASK", _("Hard task")
    WEAK_LINK = "WEAK_LINK", _("Weak link")
    PRESSING_ISSUE = "PRESSING_ISSUE", _("Pressing issue")


class HardTask(TrackedItem):
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=HardTaskKind.choices, default=HardTaskKind.HARD_TASK
    )
    status = models.CharField(
        _("status"), max_length=20, choices=HardTaskStatus.choices, default=HardTaskStatus.DRAFT
    )
    # Citizens' reports and petitions this commitment answers (only items of the organization's part of the tree).
    feedback_items = models.ManyToManyField(
        "citizens.Feedback", verbose_name=_("linked feedback items"), blank=True, related_name="hard_tasks"
    )
    returned_reason = models.TextField(_("reason for returning"), blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_done_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["progress", "root", "title_folded"])

    # A passed due date counts as overdue while the organization still owes the result.
    OPEN_STATUSES = (
        HardTaskStatus.SUBMITTED,
        HardTaskStatus.REGISTERED,
        HardTaskStatus.IN_PROGRESS,
        HardTaskStatus.RETURNED,
    )

    class Meta:
        verbose_name = _("hard task")
        verbose_name_plural = _("hard tasks")
        ordering = ["year", "due_date", "id"]
        indexes = [
            models.Index(fields=["organization", "year", "status"], name="hardtask_org_year_status"),
            models.Index(fields=["status", "due_date"], name="hardtask_status_due"),
            models.Index(fields=["year", "status"], name="hardtask_year_status"),
        ]


class HardTaskUpdate(TrackedUpdate):
    task = models.ForeignKey(HardTask, on_delete=models.CASCADE, related_name="updates")
    evidence = models.FileField(_("evidence"), upload_to="commitments/evidence/%Y/%m", blank=True)

    class Meta(TrackedUpdate.Meta):
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["task", "date"], name="hardtaskupdate_task_date")]
