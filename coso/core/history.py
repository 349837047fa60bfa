"""Change history of a record from django-simple-history: who, when, which fields from what to what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

# Fields that are derived or technical: their changes are noise in a person's reading of the history.
HIDDEN_FIELDS = {"version", "updated_at", "created_at", "name_folded", "name_sort", "path", "depth"}
PERSONAL_FIELDS = {"national_id", "phone", "current_address", "date_of_birth", "email"}

ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


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


def _display(model: type[models.Model], name: str, value: Any) -> Any:
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a field dropped since: show the raw value
        return value
    if value in (None, ""):
        return "—"
    if getattr(model_field, "choices", None):
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y %H:%M" if hasattr(value, "hour") else "%d/%m/%Y")
    if isinstance(value, (list, tuple, dict)):
        return _readable(value) or "—"
    return value


def history_entries(obj: models.Model, *, limit: int = 50, hide_personal: bool = False) -> list[HistoryEntry]:
    """The newest `limit` history entries of `obj`, each with its field changes (2 queries in all)."""
    model = type(obj)
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    hidden = HIDDEN_FIELDS | (PERSONAL_FIELDS if hide_personal else set())
    entries: list[HistoryEntry] = []
    for index, record in enumerate(records[:limit]):
        entry = HistoryEntry(
            at=record.history_date,
            user=record.history_user,
            action=str(ACTIONS.get(record.history_type, record.history_type)),
            reason=record.history_change_reason or "",
        )
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in hidden:
                    continue
                try:
                    label = str(model._meta.get_field(change.field).verbose_name)
                except Exception:  # noqa: BLE001
                    label = change.field
                entry.changes.append(
                    Change(
                        field=change.field,
                        label=label,
                        old=_display(model, change.field, change.old),
                        new=_display(model, change.field, change.new),
                    )
                )
            if not entry.changes:
                continue
        entries.append(entry)
    return entries
