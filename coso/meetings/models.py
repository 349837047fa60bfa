"""Cell meetings and what hangs off them: agenda, guests, documents, attendance, minutes (versioned) with their
resolutions and votes, escalations to the grassroots committee, seasonal topics, the leaders' rotation plans and
the per-user calendar feed token.

The other apps (study) create meetings through `coso.meetings.services.meeting_schedule` and read them through
`coso.meetings.selectors.meeting_list`; they never write these tables directly.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coso.core.models import TimeStampedModel, VersionedModel


class MeetingKind(models.TextChoices):
    REGULAR = "REGULAR", _("Regular meeting")
    THEMATIC = "THEMATIC", _("Thematic meeting")
    STUDY = "STUDY", _("Study session")
    CELL_COMMITTEE = "CELL_COMMITTEE", _("Cell committee meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "PLANNED", _("Planned")
    PUBLISHED = "PUBLISHED", _("Notice sent")
    HELD = "HELD", _("Held")
    MINUTES_APPROVED = "MINUTES_APPROVED", _("Minutes approved")
    CANCELLED = "CANCELLED", _("Cancelled")


# The only moves a meeting's status may make (services.meeting_transition checks them).
TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.PUBLISHED, MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.PUBLISHED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset({MeetingStatus.MINUTES_APPROVED}),
    MeetingStatus.MINUTES_APPROVED: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}
# Meetings that took place (they count for "has the cell met this month" and attendance figures).
HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.PUBLISHED)


class Meeting(VersionedModel):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    combined_thematic = models.BooleanField(
        _("combined with a thematic meeting"),
        default=False,
        help_text=_(
            "A regular meeting that also holds the quarter's thematic meeting (at least 120 minutes)."
        ),
    )
    title = models.CharField(_("title"), max_length=255)
    topic = models.TextField(_("topic"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("expected duration (minutes)"),
        default=90,
        validators=[MinValueValidator(10), MaxValueValidator(720)],
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    chair = models.ForeignKey(
        "members.Member",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_chaired",
    )
    minute_taker = models.ForeignKey(
        "members.Member",
        verbose_name=_("minute-taker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings_minuted",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MeetingStatus.choices,
        default=MeetingStatus.PLANNED,
        editable=False,
    )
    published_at = models.DateTimeField(_("notice sent at"), null=True, blank=True, editable=False)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "id"]
        indexes = [
            models.Index(fields=["organization", "starts_at"], name="meeting_org_start"),
            models.Index(fields=["status", "starts_at"], name="meeting_status_start"),
            # The list's own order: a province's page of 25 out of 100,000 meetings without sorting them all.
            models.Index(fields=["-starts_at", "id"], name="meeting_list_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_held(self) -> bool:
        return self.status in HELD_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def can_start(self) -> bool:
        """Open and on or after its day: attendance can be taken (services.meeting_mark_held says why not)."""
        return self.is_open and timezone.localtime(self.starts_at).date() <= timezone.localdate()

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=255)
    presenter = models.ForeignKey(
        "members.Member",
        verbose_name=_("presenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duration_minutes = models.PositiveSmallIntegerField(_("time (minutes)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title


class MeetingGuest(TimeStampedModel):
    """Someone invited from outside the cell: a member record (notified in the app) or a name (and e-mail)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=120, blank=True)
    role = models.CharField(
        _("role"),
        max_length=255,
        blank=True,
        help_text=_("e.g. upper-level committee member who follows the cell"),
    )
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.name or str(self.member or "")

    @property
    def display_name(self) -> str:
        return self.member.full_name if self.member_id else self.name


class MeetingDocument(TimeStampedModel):
    """A document sent with the notice: an uploaded file, or a link (e.g. to a study document)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="meetings/documents/%Y/", blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.link


class AttendanceStatus(models.TextChoices):
    PRESENT = "PRESENT", _("Present")
    LATE = "LATE", _("Late")
    LEFT_EARLY = "LEFT_EARLY", _("Left early")
    ABSENT_EXCUSED = "ABSENT_EXCUSED", _("Absent with reason")
    ABSENT_UNEXCUSED = "ABSENT_UNEXCUSED", _("Absent without reason")


ATTENDED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY)


class Attendance(TimeStampedModel):
    """One person at one meeting. Members of the cell are listed when attendance is taken; a leader visiting the
    cell (rotation) is recorded as a guest row, which never counts in the cell's figures."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="attendances")
    # Copied from the meeting so per-member, per-year counts are one indexed range.
    meeting_date = models.DateField(editable=False)
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    exempted = models.BooleanField(_("exempted"), default=False)
    # Counts in the rate (an official member, not exempted); fixed when the row is created.
    counted = models.BooleanField(_("counted in the rate"), default=True)
    is_guest = models.BooleanField(_("guest"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique")]
        indexes = [
            models.Index(fields=["member", "meeting_date"], name="attendance_member_date"),
            models.Index(fields=["member", "status", "meeting_date"], name="attendance_member_status"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.meeting_id}: {self.status}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED_STATUSES


class MinutesStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    APPROVED = "APPROVED", _("Approved")
    SUPERSEDED = "SUPERSEDED", _("Replaced by a correction")


class Minutes(VersionedModel):
    """One version of a meeting's minutes. Approval by the chair locks it; a correction is a new version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveSmallIntegerField(_("version number"), default=1)
    opening = models.TextField(_("opening"), blank=True)
    # [{"item": <AgendaItem pk or null>, "title": "...", "opinions": "..."}] in agenda order.
    items = models.JSONField(_("opinions per agenda item"), default=list, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    correction_reason = models.CharField(_("reason for the correction"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT, editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting", "-number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="minutes_unique_number")]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"

    @property
    def is_locked(self) -> bool:
        return self.status != MinutesStatus.DRAFT


class ResolutionKind(models.TextChoices):
    """What is voted decides the threshold: more than half for an ordinary resolution, at least two thirds for
    admission, recognition as a full member and removal (Điều lệ Đảng, Điều 4, 5, 10)."""

    ORDINARY = "ORDINARY", _("Ordinary resolution (more than half)")
    ADMISSION = "ADMISSION", _("Admission of a member (at least two thirds)")
    RECOGNITION = "RECOGNITION", _("Recognition as a full member (at least two thirds)")
    REMOVAL = "REMOVAL", _("Removal of a member (at least two thirds)")


TWO_THIRDS_KINDS = (ResolutionKind.ADMISSION, ResolutionKind.RECOGNITION, ResolutionKind.REMOVAL)


class Resolution(TimeStampedModel):
    """A decision voted in the meeting. The base is the official members minus the exempted, not those present."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="resolutions")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("resolution"))
    kind = models.CharField(
        _("kind of vote"), max_length=16, choices=ResolutionKind.choices, default=ResolutionKind.ORDINARY
    )
    votes_for = models.PositiveSmallIntegerField(_("for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)
    base = models.PositiveSmallIntegerField(_("vote base"), default=0, editable=False)
    passed = models.BooleanField(_("passed"), default=False, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["minutes", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class EscalationStatus(models.TextChoices):
    OPEN = "OPEN", _("Waiting for an answer")
    ANSWERED = "ANSWERED", _("Answered")


class Escalation(VersionedModel):
    """An issue raised in a cell meeting and sent up to the grassroots committee, which must answer it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="escalations")
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="escalations_raised",
        verbose_name=_("cell"),
    )
    committee = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="escalations_received",
        verbose_name=_("committee"),
    )
    text = models.TextField(_("issue"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EscalationStatus.choices,
        default=EscalationStatus.OPEN,
        editable=False,
    )
    answer = models.TextField(_("answer"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["committee", "status"], name="escalation_committee_status")]

    def __str__(self) -> str:
        return self.text[:60]


class SeasonalTopic(VersionedModel):
    """A suggested meeting topic for a month, set by a committee for the cells below it."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        related_name="seasonal_topics",
        verbose_name=_("set by"),
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    topic = models.CharField(_("topic"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seasonal topic")
        verbose_name_plural = _("seasonal topics")
        ordering = ["month", "id"]
        indexes = [models.Index(fields=["organization", "month"], name="seasonal_org_month")]

    def __str__(self) -> str:
        return f"{self.month}: {self.topic}"


class RotationStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Draft")
    PUBLISHED = "PUBLISHED", _("Published")


class RotationPlan(VersionedModel):
    """Which leader attends which cell meeting in a period, so each leader visits every cell over the cycle."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="rotation_plans",
        verbose_name=_("committee"),
    )
    title = models.CharField(_("title"), max_length=255)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    leaders = models.ManyToManyField(
        "members.Member", related_name="rotation_plans", verbose_name=_("leaders")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RotationStatus.choices,
        default=RotationStatus.DRAFT,
        editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[leaders])

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ["-starts_on", "id"]

    def __str__(self) -> str:
        return self.title


class RotationVisit(TimeStampedModel):
    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="visits")
    leader = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rotation_visits")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rotation visit")
        verbose_name_plural = _("rotation visits")
        ordering = ["plan", "meeting__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "leader", "meeting"], name="rotation_visit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.leader_id} → {self.meeting_id}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(TimeStampedModel):
    """The secret in a user's calendar feed URL; regenerating it cuts off every calendar that had the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"feed of {self.user_id}"
