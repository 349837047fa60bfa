"""The organization tree (materialized path), terms, committees, positions, supervision and restructuring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coso.core.models import TimeStampedModel, VersionedModel
from coso.core.text import fold, nfc, text_sort_key

PATH_SEGMENT_WIDTH = 4
PATH_SEPARATOR = "."


class OrgKind(models.TextChoices):
    PROVINCIAL = "PROVINCIAL", _("Provincial Party committee")
    DISTRICT = "DISTRICT", _("District Party committee")
    GRASSROOTS_COMMITTEE = "GRASSROOTS_COMMITTEE", _("Grassroots Party committee")
    GRASSROOTS_CELL = "GRASSROOTS_CELL", _("Grassroots Party cell")
    CELL = "CELL", _("Party cell")


# Kinds whose members meet as a cell (chi bộ); the others are committees (đảng bộ) with units under them.
CELL_KINDS = (OrgKind.GRASSROOTS_CELL, OrgKind.CELL)
GRASSROOTS_KINDS = (OrgKind.GRASSROOTS_COMMITTEE, OrgKind.GRASSROOTS_CELL)


class OrgStatus(models.TextChoices):
    ACTIVE = "ACTIVE", _("Active")
    MERGED = "MERGED", _("Merged")
    SPLIT = "SPLIT", _("Split")
    DISSOLVED = "DISSOLVED", _("Dissolved")


class Organization(VersionedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    name_sort = models.CharField(max_length=255, editable=False, default="")
    kind = models.CharField(_("kind"), max_length=24, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path, e.g. "0001.0007.0042": a subtree is one indexed prefix query (LIKE 'path%').
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # The Party organization of a place where people live (a commune or ward; under it, the cell of a residential
    # area or hamlet): citizens turn to it (the public portal lists these), unlike the Party organizations of
    # agencies, schools, enterprises and armed forces.
    residential = models.BooleanField(
        _("residential area"),
        default=False,
        help_text=_(
            "A commune, ward or township, or the cell of a residential area or hamlet: the residents of the area "
            "turn to it."
        ),
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    history = HistoricalRecords(excluded_fields=["name_folded", "name_sort"])

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "status"], name="org_parent_status")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.name_folded = fold(self.name)
        self.name_sort = text_sort_key(self.name)
        self.code = (self.code or "").strip()
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status == OrgStatus.ACTIVE

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    def is_ancestor_of(self, other: Organization) -> bool:
        return other.path.startswith(self.path + PATH_SEPARATOR)

    def contains(self, other: Organization) -> bool:
        """True when `other` is this organization or lies in its subtree."""
        return other.path == self.path or self.is_ancestor_of(other)

    @property
    def ancestor_paths(self) -> list[str]:
        segments = self.path.split(PATH_SEPARATOR)
        return [PATH_SEPARATOR.join(segments[:i]) for i in range(1, len(segments))]


class RestructuringKind(models.TextChoices):
    CREATE = "CREATE", _("Establish")
    MERGE = "MERGE", _("Merge")
    SPLIT = "SPLIT", _("Split")
    MOVE = "MOVE", _("Move under another parent")
    RENAME = "RENAME", _("Rename")
    DISSOLVE = "DISSOLVE", _("Dissolve")


class RestructuringEvent(TimeStampedModel):
    """A dated, recorded restructuring operation. Nothing it touches is deleted."""

    kind = models.CharField(_("kind"), max_length=12, choices=RestructuringKind.choices)
    effective_on = models.DateField(_("effective on"))
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    sources = models.ManyToManyField(
        Organization, related_name="restructurings_as_source", verbose_name=_("from")
    )
    targets = models.ManyToManyField(
        Organization, related_name="restructurings_as_target", verbose_name=_("to")
    )
    details = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class Term(TimeStampedModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="terms")
    name = models.CharField(_("name"), max_length=40, help_text=_("e.g. 2025–2030"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["organization", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="term_unique_name_per_org"),
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeKind(models.TextChoices):
    EXECUTIVE = "EXECUTIVE", _("Executive committee")
    STANDING = "STANDING", _("Standing committee")
    INSPECTION = "INSPECTION", _("Inspection commission")
    CELL_COMMITTEE = "CELL_COMMITTEE", _("Cell committee")


class Committee(TimeStampedModel):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="committees")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="committees")
    kind = models.CharField(_("kind"), max_length=16, choices=CommitteeKind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        constraints = [
            models.UniqueConstraint(fields=["term", "kind"], name="committee_unique_kind_per_term"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.term.name}"


class PositionTitle(models.TextChoices):
    SECRETARY = "SECRETARY", _("Secretary")
    STANDING_DEPUTY_SECRETARY = "STANDING_DEPUTY_SECRETARY", _("Standing deputy secretary")
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY", _("Deputy secretary")
    CHAIR = "CHAIR", _("Chair")
    DEPUTY_CHAIR = "DEPUTY_CHAIR", _("Deputy chair")
    MEMBER = "MEMBER", _("Committee member")


# Protocol order of a committee's seats: the secretary first, then the deputies, the commission's chair and
# deputies, then the members (a list must never put a deputy before the secretary).
TITLE_RANK = {
    PositionTitle.SECRETARY: 0,
    PositionTitle.STANDING_DEPUTY_SECRETARY: 1,
    PositionTitle.DEPUTY_SECRETARY: 2,
    PositionTitle.CHAIR: 3,
    PositionTitle.DEPUTY_CHAIR: 4,
    PositionTitle.MEMBER: 9,
}
TITLE_ORDER = models.Case(
    *(models.When(title=title, then=models.Value(rank)) for title, rank in TITLE_RANK.items()),
    default=models.Value(99),
    output_field=models.IntegerField(),
)
# A plain member's seat is named after the body: "Ủy viên Ban Thường vụ", "Ủy viên Ủy ban Kiểm tra"...
MEMBER_LABELS = {
    CommitteeKind.EXECUTIVE: _("Executive committee member"),
    CommitteeKind.STANDING: _("Standing committee member"),
    CommitteeKind.INSPECTION: _("Inspection commission member"),
    CommitteeKind.CELL_COMMITTEE: _("Cell committee member"),
}


class Position(TimeStampedModel):
    """A member's seat on a committee, dated. Ended positions stay as history."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="positions")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("title"), max_length=32, choices=PositionTitle.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["committee", TITLE_ORDER.asc(), "starts_on"]

    def __str__(self) -> str:
        return f"{self.label}: {self.member}"

    @property
    def label(self) -> str:
        """The seat's name on this committee (a member of the Standing committee is not a "Cấp ủy viên")."""
        if self.title == PositionTitle.MEMBER:
            return str(MEMBER_LABELS.get(self.committee.kind, self.get_title_display()))
        return str(self.get_title_display())


class SupervisionKind(models.TextChoices):
    LEAD = "LEAD", _("Leads the organization")
    ATTEND = "ATTEND", _("Attends and directs the cell")


class SupervisionAssignment(TimeStampedModel):
    """A committee member assigned to lead a grassroots organization or attend and direct a cell."""

    supervisor = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="supervisions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="supervisions")
    assigned_by = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="supervisions_assigned",
        verbose_name=_("assigned by"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SupervisionKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervision assignment")
        verbose_name_plural = _("supervision assignments")
        ordering = ["organization", "-starts_on"]
        indexes = [models.Index(fields=["organization", "ends_on"], name="supervision_org_end")]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.organization}"
