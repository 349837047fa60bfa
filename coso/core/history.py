"""Change history of a record from django-simple-history: who, when, which fields from what to what."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Fields that are derived or technical: their changes are noise in a person's reading of the history.
HIDDEN_FIELDS = {"version", "updated_at", "created_at", "name_folded", "name_sort", "path", "depth"}
PERSONAL_FIELDS = {"national_id", "phone", "current_address", "date_of_birth", "email"}

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}

# Labels for fields declared without a translated verbose_name (mostly foreign keys named after their role):
# the history shows a person's words, never "approved by" or "organization" in English.
FIELD_LABELS = {
    "organization": _("organization"),
    "member": _("party member"),
    "meeting": _("meeting"),
    "minutes": _("minutes"),
    "term": _("term"),
    "committee": _("committee"),
    "supervisor": _("supervisor"),
    "plan": _("plan"),
    "campaign": _("study campaign"),
    "position": _("position"),
    "leader": _("leader"),
    "root": _("root task"),
    "from_organization": _("from organization"),
    "to_organization": _("to organization"),
    "meeting_date": _("meeting date"),
    "created_by": _("created by"),
    "recorded_by": _("recorded by"),
    "approved_by": _("approved by"),
    "reviewed_by": _("reviewed by"),
    "raised_by": _("raised by"),
    "answered_by": _("answered by"),
    "file_name": _("file name"),
    "file_size": _("file size"),
}


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    at: Any
    user: Any
    action: str
    reason: str = ""
    changes: list[Change] = field(default_factory=list)


def _readable(value: Any) -> str:
    """Structured values (JSON fields: lists of agenda opinions, options) as text a person reads, not repr."""
    if isinstance(value, dict):
        return " — ".join(_readable(v) for v in value.values() if isinstance(v, (str, list, dict)) and v)
    if isinstance(value, (list, tuple)):
        return "; ".join(part for part in (_readable(v) for v in value) if part)
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    try:
        verbose_name = model._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - a field dropped since
        return str(FIELD_LABELS.get(name, name))
    if isinstance(verbose_name, Promise):
        return str(verbose_name)
    return str(FIELD_LABELS.get(name, verbose_name))


def _foreign_key(model: type[models.Model], name: str) -> models.Field | None:
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return None
    return model_field if model_field.many_to_one or model_field.one_to_one else None


def _display(model: type[models.Model], name: str, value: Any, related: dict | None = None) -> Any:
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field dropped since: show the raw value
        return value
    if value in (None, ""):
        return "—"
    if model_field.many_to_one or model_field.one_to_one:
        if isinstance(value, models.Model):
            return str(value)
        obj = (related or {}).get((model_field.related_model, value))
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if getattr(model_field, "choices", None):
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M" if hasattr(value, "hour") else "%d/%m/%Y")
    if isinstance(value, (list, tuple, dict)):
        return _readable(value) or "—"
    return value


def history_entries(
    obj: models.Model, *, limit: int = 50, hide_personal: bool = False, hidden: set[str] | None = None
) -> list[HistoryEntry]:
    """The newest `limit` history entries of `obj`, each with its field changes; foreign keys are shown by the
    related object's name, read in one query per related model (2 queries when no foreign key changed)."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    hidden = HIDDEN_FIELDS | (PERSONAL_FIELDS if hide_personal else set()) | (hidden or set())
    pending: list[tuple[HistoryEntry, list]] = []
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for index, record in enumerate(records[:limit]):
        entry = HistoryEntry(
            at=timezone.localtime(record.history_date)
            if timezone.is_aware(record.history_date)
            else record.history_date,
            user=record.history_user,
            action=str(ACTIONS.get(record.history_type, record.history_type)),
            reason=record.history_change_reason or "",
        )
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            changes = [c for c in record.diff_against(previous).changes if c.field not in hidden]
            if not changes:
                continue
            for change in changes:
                fk = _foreign_key(model, change.field)
                if fk is not None:
                    wanted[fk.related_model].update(
                        v for v in (change.old, change.new) if v not in (None, "")
                    )
        pending.append((entry, changes))
    related = {
        (related_model, pk): related_obj
        for related_model, pks in wanted.items()
        for pk, related_obj in related_model._base_manager.in_bulk(pks).items()
    }
    entries: list[HistoryEntry] = []
    for entry, changes in pending:
        entry.changes = [
            Change(
                field=change.field,
                label=_label(model, change.field),
                old=_display(model, change.field, change.old, related),
                new=_display(model, change.field, change.new, related),
            )
            for change in changes
        ]
        entries.append(entry)
    return entries
