"""What a planned import would do, row by row: the report shown before anything is written, and kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from coso.orgs.models import Organization

from ...models import Member
from ..columns import (
    FLAG_TEXT,
    GENDER_TEXT,
    THEORY_TEXT,
    display,
)

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

Progress = Callable[[int, int], None]


@dataclass
class Issue:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class RowPlan:
    row: int
    action: str
    values: dict
    organization: Organization
    member: Member | None = None
    changes: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        result = {
            "row": self.row,
            "full_name": self.values.get("full_name") or (self.member.full_name if self.member else ""),
            "organization": self.organization.name,
        }
        if self.member is not None:
            result["member_id"] = self.member.pk
        if self.changes:
            result["changes"] = self.changes
        return result


@dataclass
class Report:
    into: Organization
    file_errors: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)
    total: int = 0

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    def of(self, action: str) -> list[RowPlan]:
        """The rows planned for `action`. A row with an error is never planned: it is counted once, as a bad
        row, so that bad rows + creates + updates + unchanged is the number of rows read."""
        bad_rows = {issue.row for issue in self.errors}
        return [plan for plan in self.plans if plan.action == action and plan.row not in bad_rows]

    def as_dict(self) -> dict:
        bad_rows = {issue.row for issue in self.errors}
        return {
            "ok": self.ok,
            "into": {"code": self.into.code, "name": self.into.name},
            "file_errors": self.file_errors,
            "unknown_columns": self.unknown_columns,
            "columns": self.columns,
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
            "creates": [plan.as_dict() for plan in self.of(CREATE)],
            "updates": [plan.as_dict() for plan in self.of(UPDATE)],
            "unchanged": [plan.as_dict() for plan in self.of(UNCHANGED)],
            "counts": {
                "rows": self.total,
                "bad_rows": len(bad_rows),
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "creates": len(self.of(CREATE)),
                "updates": len(self.of(UPDATE)),
                "unchanged": len(self.of(UNCHANGED)),
            },
        }


def value_text(name: str, value) -> str:
    """A stored value as the file writes it (for the old → new list of an update)."""
    if value in (None, ""):
        return ""
    if name == "gender":
        return GENDER_TEXT.get(value, str(value))
    if name == "theory_level":
        return THEORY_TEXT.get(value, str(value))
    if isinstance(value, bool):
        return FLAG_TEXT[value]
    return display(value)
