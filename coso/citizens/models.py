"""Citizens: reception days, dialogues, and feedback from intake to a rated public answer.

A `Feedback` item is received by a unit (the commune committee whose area it concerns: it alone sees the
reporter's contact data when the category hides it), handled by a responsible organization, and moves through
the states of `FeedbackStatus` only by the services in `services.py` (one service per transition). Every step is
a dated `FeedbackUpdate`; the public ones make the history the citizen reads by tracking code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coso.core.models import TimeStampedModel, VersionedModel


class FeedbackKind(models.TextChoices):
    REPORT = "REPORT", _("Report of a problem")
    PETITION = "PETITION", _("Petition")
    COMPLAINT = "COMPLAINT", _("Complaint")
    DENUNCIATION = "DENUNCIATION", _("Denunciation")


class ComplaintRound(models.TextChoices):
    """A complaint is settled first by the one who made the decision; the complainant who disagrees (or gets no
    answer in time) complains a second time to the level above, with longer limits (Luật Khiếu nại 2011,
    Art. 28 and 37)."""

    FIRST = "FIRST", _("First complaint")
    SECOND = "SECOND", _("Second complaint")


def default_report_working_days() -> int:
    """A new category's time limit comes from the dated policy table (overridable), not a literal."""
    from .policies import policy

    return policy("citizens.report.working_days")


def default_report_working_days_multi() -> int:
    from .policies import policy

    return policy("citizens.report.working_days_multi")


class Channel(models.TextChoices):
    WEB = "WEB", _("Public web form")
    RECEPTION = "RECEPTION", _("Reception day")
    DIALOGUE = "DIALOGUE", _("Dialogue")
    FORUM = "FORUM", _("Forum “Lắng nghe dân nói”")
    DOOR_TO_DOOR = "DOOR_TO_DOOR", _("Door-to-door visit")
    WALK_IN = "WALK_IN", _("Walk-in")
    LETTER = "LETTER", _("Letter")
    PHONE = "PHONE", _("Phone")
    API = "API", _("Other application (Open311)")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "RECEIVED", _("Received")
    ASSIGNED = "ASSIGNED", _("Assigned")
    IN_PROGRESS = "IN_PROGRESS", _("Being handled")
    ANSWERED = "ANSWERED", _("Answered")
    CLOSED = "CLOSED", _("Closed")
    TRANSFERRED = "TRANSFERRED", _("Transferred to the competent authority")
    REJECTED = "REJECTED", _("Rejected")
    REOPENED = "REOPENED", _("Reopened")


# States in which the item still waits for an answer (deadline counts, overdue flags apply).
OPEN_STATUSES = (
    FeedbackStatus.RECEIVED,
    FeedbackStatus.ASSIGNED,
    FeedbackStatus.IN_PROGRESS,
    FeedbackStatus.REOPENED,
)
FINAL_STATUSES = (FeedbackStatus.CLOSED, FeedbackStatus.TRANSFERRED, FeedbackStatus.REJECTED)


class EvidenceRequired(models.TextChoices):
    NONE = "NONE", _("Text only")
    PHOTO = "PHOTO", _("A photo")
    DOCUMENT = "DOCUMENT", _("A document")
    PHOTO_OR_DOCUMENT = "PHOTO_OR_DOCUMENT", _("A photo or a document")


class Category(TimeStampedModel):
    """What a feedback item is about, with the settings that follow from it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=255, blank=True)
    default_kind = models.CharField(
        _("default kind"), max_length=16, choices=FeedbackKind.choices, default=FeedbackKind.REPORT
    )
    deadline_working_days = models.PositiveSmallIntegerField(
        _("deadline (working days)"), default=default_report_working_days
    )
    deadline_working_days_multi = models.PositiveSmallIntegerField(
        _("deadline when several units are involved (working days)"),
        default=default_report_working_days_multi,
    )
    # Urgent categories (e.g. a broken water main) are answered in working hours instead of days.
    deadline_working_hours = models.PositiveSmallIntegerField(
        _("deadline (working hours, urgent)"), null=True, blank=True
    )
    evidence_required = models.CharField(
        _("evidence required to close"),
        max_length=20,
        choices=EvidenceRequired.choices,
        default=EvidenceRequired.PHOTO_OR_DOCUMENT,
    )
    hide_reporter = models.BooleanField(
        _("hide the reporter from handling organizations"),
        default=True,
        help_text=_("Only the receiving unit sees the reporter's name and contact."),
    )
    public = models.BooleanField(_("public"), default=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(TimeStampedModel):
    """Items of `category` (any when empty) about a place inside `area` go to `responsible`.

    The most specific rule wins: the deepest area, then a rule naming the category over one that does not.
    """

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
    )
    area = models.ForeignKey(
        "orgs.Organization", verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    responsible = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("responsible organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["area__path", "category__order", "id"]

    def __str__(self) -> str:
        return f"{self.category or '*'} @ {self.area} → {self.responsible}"


class ActivityStatus(models.TextChoices):
    PLANNED = "PLANNED", _("Planned")
    HELD = "HELD", _("Took place")
    CANCELLED = "CANCELLED", _("Cancelled")


class ReceptionKind(models.TextChoices):
    REGULAR = "REGULAR", _("Regular")
    AD_HOC = "AD_HOC", _("Ad hoc")


class ReceptionDay(VersionedModel):
    """A day on which the committee head receives citizens (QĐ 11-QĐi/TW as amended by KL 215-KL/TW)."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    head = models.ForeignKey(
        "members.Member", verbose_name=_("committee head"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=8, choices=ReceptionKind.choices, default=ReceptionKind.REGULAR
    )
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default="PLANNED")
    place = models.CharField(_("place"), max_length=255)
    received_by = models.CharField(_("received by"), max_length=255, blank=True)
    citizens_count = models.PositiveIntegerField(_("citizens received"), default=0)
    # Names only of the citizens who agreed to be named.
    citizen_names = models.TextField(_("names of citizens who agreed to be named"), blank=True)
    matters = models.TextField(_("matters raised"), blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"], name="reception_org_date")]

    def __str__(self) -> str:
        return f"{self.head} {self.date:%d/%m/%Y}"


class DialogueKind(models.TextChoices):
    CITIZENS = "CITIZENS", _("Dialogue with citizens and voters")
    MEMBERS = "MEMBERS", _("Dialogue with cadres and members")
    FORUM = "FORUM", _("Forum “Lắng nghe dân nói”")
    DOOR_TO_DOOR = "DOOR_TO_DOOR", _("Door-to-door visits “Đi từng ngõ, rõ từng nhà”")


class Dialogue(VersionedModel):
    """A dialogue conference, a forum session or a round of door-to-door visits; follow-ups become feedback."""

    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DialogueKind.choices)
    topic = models.CharField(_("topic"), max_length=255)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default="PLANNED")
    chaired_by = models.ForeignKey(
        "members.Member",
        verbose_name=_("chaired by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants_count = models.PositiveIntegerField(_("participants"), default=0)
    participants = models.TextField(_("participants (description)"), blank=True)
    invited_members = models.ManyToManyField(
        "members.Member", verbose_name=_("invited members"), blank=True, related_name="+"
    )
    questions = models.TextField(_("questions raised"), blank=True)
    answers = models.TextField(_("answers given"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organization", "date"], name="dialogue_org_date")]

    def __str__(self) -> str:
        return self.topic


def new_public_id() -> str:
    """The id other applications see (Open311 `service_request_id`): random, and it grants nothing."""
    import secrets

    return secrets.token_hex(8)


class Feedback(VersionedModel):
    """A report, petition, complaint or denunciation, from intake to a rated answer."""

    # The tracking code reads the item's status page; it is never published (Open311 shows `public_id`).
    code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    public_id = models.CharField(
        _("public id"), max_length=16, unique=True, default=new_public_id, editable=False
    )
    # Proof that a caller is the reporter (to rate, report again, see their own files): a second secret shown
    # once with the code. Only its hash is kept; empty for items filed before the secret existed.
    reporter_secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=16, choices=FeedbackKind.choices, default=FeedbackKind.REPORT
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="feedback"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    # The commune (or higher) committee that received it: it classifies, assigns, and alone sees a hidden reporter.
    receiving_org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="+"
    )
    # The organization responsible for handling it (empty until assigned).
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("responsible organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Where the problem is: an area of the tree (a cell's residential area), plus free text and coordinates.
    area = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("place"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    title = models.CharField(_("subject"), max_length=160)
    description = models.TextField(_("description"))

    # The reporter. Shown only to the receiving unit when the category hides the reporter.
    reporter_name = models.CharField(_("reporter's name"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("reporter's email"), blank=True)
    consent_at = models.DateTimeField(_("consent to the processing of personal data"), null=True, blank=True)

    # Where it came from, when it was raised at a reception day or a dialogue.
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("dialogue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )

    # Deadline inputs (DOMAIN §8): several units involved, complex case, remote area, extensions granted.
    several_units = models.BooleanField(_("several units involved"), default=False)
    is_complex = models.BooleanField(_("complex case"), default=False)
    # Denunciations: only a case recorded as especially complex may be extended a second time (Luật Tố cáo 2018,
    # Art. 30 §3; criteria in Nghị định 31/2019/NĐ-CP, Art. 3).
    especially_complex = models.BooleanField(_("especially complex case"), default=False)
    # Complaints only: the first or the second complaint, which has its own limits.
    complaint_round = models.CharField(
        _("complaint round"), max_length=8, choices=ComplaintRound.choices, default=ComplaintRound.FIRST
    )
    remote_area = models.BooleanField(_("remote area"), default=False)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)

    received_at = models.DateTimeField(_("received at"))
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    answer = models.TextField(_("answer"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(
        excluded_fields=["reporter_name", "reporter_phone", "reporter_email", "reporter_secret_hash"]
    )

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["receiving_org", "status"], name="feedback_receiving_status"),
            models.Index(fields=["organization", "status"], name="feedback_org_status"),
            models.Index(fields=["status", "deadline_at"], name="feedback_status_deadline"),
            models.Index(fields=["received_at"], name="feedback_received_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_public(self) -> bool:
        """Denunciations are never public; otherwise the category decides."""
        return self.kind != FeedbackKind.DENUNCIATION and self.category.public

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def has_contact(self) -> bool:
        return bool(self.reporter_name or self.reporter_phone or self.reporter_email)


class UpdateKind(models.TextChoices):
    RECEIVED = "RECEIVED", _("Received")
    ACCEPTED = "ACCEPTED", _("Classified")
    ASSIGNED = "ASSIGNED", _("Assigned")
    REASSIGNED = "REASSIGNED", _("Moved to another organization")
    STARTED = "STARTED", _("Handling started")
    NOTE = "NOTE", _("Progress note")
    EXTENDED = "EXTENDED", _("Deadline extended")
    ANSWERED = "ANSWERED", _("Answered")
    TRANSFERRED = "TRANSFERRED", _("Transferred to the competent authority")
    REJECTED = "REJECTED", _("Rejected")
    RATED = "RATED", _("Rated by the citizen")
    REOPENED = "REOPENED", _("Reported again")
    CLOSED = "CLOSED", _("Closed")
    ESCALATED = "ESCALATED", _("Escalated to the upper level")


class FeedbackUpdate(models.Model):
    """A dated step in a feedback item's life. `public` steps are shown to the citizen by tracking code."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=UpdateKind.choices)
    from_status = models.CharField(max_length=12, choices=FeedbackStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=FeedbackStatus.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    public = models.BooleanField(_("shown to the citizen"), default=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the reporter was e-mailed about this step (answered, moved, transferred, rejected): at most once.
    reporter_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("feedback update")
        verbose_name_plural = _("feedback updates")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind} {self.at:%d/%m/%Y %H:%M}"


class AttachmentKind(models.TextChoices):
    PHOTO = "PHOTO", _("Photo")
    DOCUMENT = "DOCUMENT", _("Document")


class Attachment(TimeStampedModel):
    """A photo or PDF sent by the citizen (`update` empty) or attached to an answer as evidence."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    update = models.ForeignKey(
        FeedbackUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="citizens/%Y/%m/")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    public = models.BooleanField(_("shown to the citizen"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name
