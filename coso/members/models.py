"""Member records, the chain of membership periods and the dated events a member's status is derived from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coso.core.models import TimeStampedModel, VersionedModel
from coso.core.text import fold, name_sort_key, nfc


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class TheoryLevel(models.TextChoices):
    NONE = "NONE", _("None")
    ELEMENTARY = "ELEMENTARY", _("Elementary")
    INTERMEDIATE = "INTERMEDIATE", _("Intermediate")
    ADVANCED = "ADVANCED", _("Advanced")
    BACHELOR = "BACHELOR", _("Bachelor of politics")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "PROBATIONARY", _("Probationary")
    FULL = "FULL", _("Full member")
    EXEMPT = "EXEMPT", _("Exempted")
    TRANSFERRED_OUT = "TRANSFERRED_OUT", _("Transferred out")
    STRUCK_OFF = "STRUCK_OFF", _("Struck off")
    EXPELLED = "EXPELLED", _("Expelled")
    DECEASED = "DECEASED", _("Deceased")


# Statuses of people who still belong to the organization (they count in its figures).
CURRENT_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL, MemberStatus.EXEMPT)
# Official (full) members: they vote and count toward structural thresholds; exempted members are official too.
OFFICIAL_STATUSES = (MemberStatus.FULL, MemberStatus.EXEMPT)


class Member(VersionedModel):
    full_name = models.CharField(_("full name"), max_length=120)
    # Indexed in Meta.indexes: db_index=True would add a varchar_pattern_ops twin on PostgreSQL that no query
    # uses (names are searched with the trigram index, never by prefix), one more index per imported row.
    name_folded = models.CharField(max_length=120, editable=False)
    name_sort = models.CharField(max_length=255, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=60, blank=True, default="Kinh")
    religion = models.CharField(_("religion"), max_length=60, blank=True)
    hometown = models.CharField(_("hometown"), max_length=255, blank=True)
    current_address = models.CharField(_("current address"), max_length=255, blank=True)
    national_id = models.CharField(_("national ID"), max_length=12, unique=True, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    education = models.CharField(_("general education"), max_length=40, blank=True)
    professional_qualification = models.CharField(_("professional qualification"), max_length=120, blank=True)
    theory_level = models.CharField(
        _("political theory level"), max_length=12, choices=TheoryLevel.choices, default=TheoryLevel.NONE
    )
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    card_number = models.CharField(_("party card number"), max_length=20, unique=True, null=True, blank=True)
    admitted_on = models.DateField(_("admission date"))
    full_member_on = models.DateField(_("full-membership date"), null=True, blank=True)
    working_away = models.BooleanField(_("working away from home"), default=False)
    photo = models.ImageField(_("photo"), upload_to="members/photos/", blank=True)
    # Derived, never typed in: the current organization follows the membership periods, and the status
    # follows the events (services.member_refresh_status).
    # No index of its own: member_org_status_sort (organization, status, name_sort) begins with it.
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MemberStatus.choices,
        default=MemberStatus.PROBATIONARY,
        editable=False,
    )
    # The history is read per record (`id`) in date order; the mirrored indexes of its other columns only
    # slowed every write (an import writes one history row per member).
    history = HistoricalRecords(
        excluded_fields=["name_folded", "name_sort"],
        no_db_index=["national_id", "card_number", "organization"],
    )

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["name_sort", "id"]
        indexes = [
            models.Index(fields=["name_folded"], name="member_name_folded"),
            models.Index(fields=["name_sort"], name="member_name_sort"),
            models.Index(fields=["organization", "status", "name_sort"], name="member_org_status_sort"),
            models.Index(fields=["status", "name_sort"], name="member_status_sort"),
            # Counting a large scope's current members (the list's paginator) by an index-only scan joined to
            # the organizations, instead of reading the whole table (bench/README.md).
            models.Index(fields=["status", "organization"], name="member_status_org"),
            # The home page's probationary members due for recognition, earliest first: the first 20 are read
            # in index order instead of sorting every probationary member of a province.
            models.Index(fields=["status", "admitted_on"], name="member_status_admitted"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = nfc(self.full_name)
        self.name_folded = fold(self.full_name)
        self.name_sort = name_sort_key(self.full_name)
        self.national_id = (self.national_id or "").strip() or None
        self.card_number = (self.card_number or "").strip() or None
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class MemberCount(models.Model):
    """How many member records each organization holds directly, by status: kept by database triggers on
    members_member (migration 0006), so every writer keeps it right, bulk inserts and COPY included.

    The tree, an organization's page and the home page add these up instead of counting 200,000 records at a
    province; `coso.members.tests.test_member_counts` proves the triggers against a fresh count."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    status = models.CharField(max_length=16, choices=MemberStatus.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "status"], name="member_count_org_status")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.status}: {self.n}"


class PeriodKind(models.TextChoices):
    PERMANENT = "PERMANENT", _("Permanent")
    TEMPORARY = "TEMPORARY", _("Temporary")


class MembershipPeriod(TimeStampedModel):
    """Where a member belonged, from when to when. A new period starts; the old one is closed, never edited away."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="periods")
    # No index of its own: period_org_end (organization, ends_on) begins with it.
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="membership_periods", db_index=False
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.PERMANENT
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords(no_db_index=["member", "organization"])

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["member", "starts_on", "id"]
        indexes = [models.Index(fields=["organization", "ends_on"], name="period_org_end")]

    def __str__(self) -> str:
        return f"{self.member} @ {self.organization}"


class EventKind(models.TextChoices):
    ADMISSION = "ADMISSION", _("Admission")
    RECOGNITION = "RECOGNITION", _("Full-membership recognition")
    TRANSFER = "TRANSFER", _("Transfer within the Party organization")
    TRANSFER_OUT = "TRANSFER_OUT", _("Transfer out")
    TRANSFER_IN = "TRANSFER_IN", _("Transfer in")
    EXEMPTION = "EXEMPTION", _("Exemption from Party work and meetings")
    EXEMPTION_END = "EXEMPTION_END", _("End of exemption")
    DISCIPLINE = "DISCIPLINE", _("Discipline")
    STRUCK_OFF = "STRUCK_OFF", _("Struck off")
    EXPELLED = "EXPELLED", _("Expelled")
    DEATH = "DEATH", _("Death")


class DisciplineForm(models.TextChoices):
    REPRIMAND = "REPRIMAND", _("Reprimand")
    WARNING = "WARNING", _("Warning")
    DISMISSAL = "DISMISSAL", _("Dismissal from post")


class MemberEvent(TimeStampedModel):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=255, blank=True)
    discipline_form = models.CharField(
        _("discipline form"), max_length=12, choices=DisciplineForm.choices, blank=True
    )
    # Empty on all but transfers: indexed (Meta.indexes) where set only, so the admission and recognition
    # events of an import (two a member) add nothing to these indexes. Deleting an organization or a user
    # looks them up with `IN (...)`, which the partial indexes serve.
    from_organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    to_organization = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    external_party = models.CharField(
        _("organization outside Coso"),
        max_length=255,
        blank=True,
        help_text=_("where the member went or came from"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    history = HistoricalRecords(no_db_index=["member", "from_organization", "to_organization", "recorded_by"])

    class Meta:
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        ordering = ["member", "occurred_on", "id"]
        indexes = [
            models.Index(fields=["kind", "occurred_on"], name="event_kind_date"),
            models.Index(
                fields=["from_organization"],
                name="event_from_org",
                condition=models.Q(from_organization__isnull=False),
            ),
            models.Index(
                fields=["to_organization"],
                name="event_to_org",
                condition=models.Q(to_organization__isnull=False),
            ),
            models.Index(
                fields=["recorded_by"],
                name="event_recorded_by",
                condition=models.Q(recorded_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}"


class ImportStatus(models.TextChoices):
    PENDING = "PENDING", _("Waiting")
    CHECKING = "CHECKING", _("Checking the file")
    CHECKED = "CHECKED", _("Checked")
    WRITING = "WRITING", _("Importing")
    DONE = "DONE", _("Imported")
    FAILED = "FAILED", _("Failed")


class ImportJob(TimeStampedModel):
    """One member file on its way in: uploaded, checked (the report), then written on confirmation.

    Large files are checked and written by a background task; `done` / `total` is the progress the page polls.
    The file stays in MEDIA until the job is over.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("import into"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    background = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    language = models.CharField(max_length=10, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "created_at"], name="importjob_user_created")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.WRITING)

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.CHECKED and bool(self.report.get("ok"))
