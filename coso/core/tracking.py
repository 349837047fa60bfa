"""The tracked-item base shared by hard tasks, remedies and feedback follow-up.

A tracked item belongs to an organization, names a responsible member, has a due date, a status, a progress
percentage and dated updates with evidence. Items nest: a parent's progress is the weighted mean of its
children's, at any depth. Every item stores its `root` (the top of its family), so a whole family is one indexed
query and the roll-up is computed bottom-up in Python.

Concrete models set `OPEN_STATUSES` (the statuses in which a passed due date counts as overdue), give `status`
its choices, and add the FK from their update model to the item.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .exceptions import RuleViolation
from .models import TimeStampedModel, VersionedModel
from .text import fold, nfc

DEFAULT_WEIGHT = 1


class TrackedItem(VersionedModel):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_items",
    )
    responsible = models.ForeignKey(
        "members.Member",
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_responsible",
    )
    title = models.CharField(_("item title"), max_length=255)
    # Lower case without diacritics, so "nha tam" finds "Xóa nhà tạm".
    title_folded = models.CharField(max_length=255, editable=False, default="")
    description = models.TextField(_("description"), blank=True)
    target_result = models.TextField(_("target result"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20)
    # What the responsible person last reported; `progress` is what counts (a parent's comes from its children).
    own_progress = models.PositiveSmallIntegerField(
        _("reported progress"), default=0, validators=[MaxValueValidator(100)]
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, validators=[MaxValueValidator(100)])
    # Share of the parent's progress; empty counts as 1, 0 leaves the item out of the parent's mean.
    weight = models.PositiveSmallIntegerField(
        _("weight"), null=True, blank=True, default=DEFAULT_WEIGHT, validators=[MaxValueValidator(100)]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The top of the family (itself for a top-level item): the whole family is one query.
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    OPEN_STATUSES: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title or "")
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)

    def is_overdue(self, today: dt.date) -> bool:
        return is_overdue(self.due_date, self.status, today, self.OPEN_STATUSES)

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.due_date).days if self.is_overdue(today) else 0

    @classmethod
    def overdue_q(cls, today: dt.date, prefix: str = "") -> Q:
        return Q(**{f"{prefix}due_date__lt": today, f"{prefix}status__in": cls.OPEN_STATUSES})


class TrackedUpdate(TimeStampedModel):
    """A dated progress report on a tracked item; the concrete model adds the FK to its item."""

    date = models.DateField(_("date"))
    text = models.TextField(_("what was done"))
    progress = models.PositiveSmallIntegerField(
        _("progress"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    evidence = models.FileField(_("evidence"), upload_to="tracking/evidence/%Y/%m", blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]


# --- overdue ---------------------------------------------------------------------------------------------------


def is_overdue(due_date: dt.date | None, status: str, today: dt.date, open_statuses: Iterable[str]) -> bool:
    """Overdue: still open on the day after its due date."""
    return due_date is not None and status in tuple(open_statuses) and due_date < today


# --- roll-up ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    id: int
    parent_id: int | None
    progress: int
    weight: int | None = DEFAULT_WEIGHT


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def rollup(nodes: Iterable[Node]) -> dict[int, int]:
    """Each node's effective progress: its own for a leaf, the weighted mean of its children's otherwise.

    Weights: empty counts as 1, 0 leaves a child out; when every child weighs 0 the plain mean is used. Computed
    bottom-up without recursion (any depth); a parent outside `nodes` is treated as absent (the node is a root).
    """
    by_id = {node.id: node for node in nodes}
    children: dict[int, list[int]] = defaultdict(list)
    for node in by_id.values():
        if node.parent_id is not None and node.parent_id in by_id:
            children[node.parent_id].append(node.id)
    exact: dict[int, Decimal] = {}
    # Post-order walk from every root; a node in a cycle (bad data) keeps its own progress.
    for start in by_id:
        if start in exact:
            continue
        stack = [(start, False)]
        visiting: set[int] = set()
        while stack:
            node_id, expanded = stack.pop()
            if node_id in exact:
                continue
            if expanded:
                kids = [k for k in children.get(node_id, ()) if k in exact]
                exact[node_id] = _mean(kids, by_id, exact) if kids else Decimal(by_id[node_id].progress)
                visiting.discard(node_id)
                continue
            visiting.add(node_id)
            stack.append((node_id, True))
            for kid in children.get(node_id, ()):
                if kid not in exact and kid not in visiting:
                    stack.append((kid, False))
    return {node_id: min(100, max(0, _round(value))) for node_id, value in exact.items()}


def _mean(kids: list[int], by_id: dict[int, Node], exact: dict[int, Decimal]) -> Decimal:
    weights = {k: DEFAULT_WEIGHT if by_id[k].weight is None else by_id[k].weight for k in kids}
    total = sum(weights.values())
    if total == 0:
        return sum((exact[k] for k in kids), Decimal(0)) / len(kids)
    return sum((exact[k] * weights[k] for k in kids), Decimal(0)) / total


def refresh_progress(model: type[TrackedItem], root_ids: Iterable[int]) -> int:
    """Recompute `progress` for the whole families of `root_ids`: one read and at most one write."""
    root_ids = {pk for pk in root_ids if pk is not None}
    if not root_ids:
        return 0
    rows = list(
        model._default_manager.filter(Q(root_id__in=root_ids) | Q(pk__in=root_ids)).values_list(
            "id", "parent_id", "own_progress", "weight", "progress"
        )
    )
    nodes = [Node(pk, parent, own, weight) for pk, parent, own, weight, _stored in rows]
    result = rollup(nodes)
    changed = [model(pk=pk, progress=result[pk]) for pk, *_rest, stored in rows if result[pk] != stored]
    if changed:
        model._default_manager.bulk_update(changed, ["progress"])
    return len(changed)


def family_root_id(parent: TrackedItem | None) -> int | None:
    """The root a new child of `parent` belongs to."""
    if parent is None:
        return None
    return parent.root_id or parent.pk


# --- evidence --------------------------------------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# extension -> the file's first bytes (checked, so a renamed executable is refused).
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "webp": (b"RIFF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}


def validate_evidence(upload, *, field: str = "evidence") -> None:
    """Refuse evidence that is too large or not a PDF, image, Word or Excel file (by name and content)."""
    if not upload:
        return
    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size > EVIDENCE_MAX_BYTES:
        raise RuleViolation(
            _("The file is larger than 10 MB."), fields={field: [_("The file is larger than 10 MB.")]}
        )
    message = _("The file must be a PDF, a photo (JPEG, PNG, WebP), a Word or an Excel document.")
    if ext not in EVIDENCE_SIGNATURES:
        raise RuleViolation(message, fields={field: [message]})
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in EVIDENCE_SIGNATURES[ext]):
        raise RuleViolation(message, fields={field: [message]})
    if ext == "webp" and head[8:12] != b"WEBP":
        raise RuleViolation(message, fields={field: [message]})
