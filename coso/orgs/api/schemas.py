"""Input and output schemas of the organizations API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import field_validator

from ..models import CommitteeKind, OrgKind, PositionTitle, SupervisionKind
from ._common import _parse_date


class Counts(Schema):
    full: int
    probationary: int
    exempt: int
    total: int = Field(description="current members: full, probationary and exempted")


class OrgRef(Schema):
    id: int
    code: str
    name: str


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    parent_id: int | None
    depth: int
    address: str
    residential: bool = Field(description="a commune or ward Party organization, to which residents turn")
    established_on: dt.date | None
    ended_on: dt.date | None
    successor_id: int | None
    version: int
    counts: Counts


class OrgPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[OrgOut]


class TreeNodeOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    status: str
    counts: Counts | None = Field(None, description="null for a past date")
    total_as_of: int | None = Field(None, description="members on the `as_of` date (membership periods)")
    has_children: bool
    children: list[TreeNodeOut]


class WarningOut(Schema):
    code: str
    message: str
    source: str


class MemberRef(Schema):
    id: int
    full_name: str


class PositionOut(Schema):
    id: int
    title: str
    title_label: str
    member: MemberRef
    starts_on: dt.date
    ends_on: dt.date | None


class TermOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date | None


class CommitteeOut(Schema):
    id: int
    kind: str
    kind_label: str
    term: TermOut
    positions: list[PositionOut]


class SupervisionOut(Schema):
    id: int
    supervisor: MemberRef
    organization: OrgRef
    assigned_by: OrgRef
    kind: str
    kind_label: str
    starts_on: dt.date
    ends_on: dt.date | None


class OrgDetailOut(OrgOut):
    ancestors: list[OrgRef]
    warnings: list[WarningOut]
    committees: list[CommitteeOut] = Field(
        description="committees of the current term with current positions"
    )
    supervisors: list[SupervisionOut]
    supervises: list[SupervisionOut]


class RestructuringOut(Schema):
    id: int
    kind: str
    kind_label: str
    effective_on: dt.date
    decision_number: str
    note: str
    sources: list[OrgRef]
    targets: list[OrgRef]
    details: dict
    recorded_by: str | None


class RestructuringPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[RestructuringOut]


class OrgCreateIn(Schema):
    parent: int = Field(description="id of the parent organization")
    code: str
    name: str
    kind: OrgKind
    address: str = ""
    established_on: dt.date | None = None
    residential: bool = False

    parse_dates = field_validator("established_on", mode="before")(_parse_date)


class OrgUpdateIn(Schema):
    version: int = Field(description="the version you read; a stale one is a 409 conflict")
    code: str | None = None
    name: str | None = None
    address: str | None = None
    established_on: dt.date | None = None
    residential: bool | None = None

    parse_dates = field_validator("established_on", mode="before")(_parse_date)


class Dated(Schema):
    effective_on: dt.date
    decision_number: str = ""
    note: str = ""

    parse_dates = field_validator("effective_on", mode="before")(_parse_date)


class MergeIn(Dated):
    sources: list[int] = Field(description="ids of the organizations merged")
    target: int | None = Field(None, description="an existing organization; or give new_code and new_name")
    new_code: str = ""
    new_name: str = ""
    committee_from: int | None = Field(
        None, description="one of the sources whose current committee carries over to the new organization"
    )


class SplitPartIn(Schema):
    code: str
    name: str
    address: str = ""
    member_ids: list[int]


class SplitIn(Dated):
    source: int
    parts: list[SplitPartIn]
    takes_over: int = Field(0, description="index in parts of the organization that takes over open matters")


class MoveIn(Dated):
    organization: int
    new_parent: int


class RenameIn(Dated):
    organization: int
    new_name: str


class DissolveIn(Dated):
    organization: int


class TermIn(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    committees: list[CommitteeKind] = []

    parse_dates = field_validator("starts_on", "ends_on", mode="before")(_parse_date)


class CommitteeIn(Schema):
    kind: CommitteeKind


class PositionIn(Schema):
    member: int
    title: PositionTitle
    starts_on: dt.date

    parse_dates = field_validator("starts_on", mode="before")(_parse_date)


class EndIn(Schema):
    ends_on: dt.date

    parse_dates = field_validator("ends_on", mode="before")(_parse_date)


class SupervisionIn(Schema):
    supervisor: int = Field(description="id of the member who supervises")
    assigned_by: int = Field(description="id of the organization whose committee assigns")
    kind: SupervisionKind | None = Field(None, description="default: what the organization needs")
    starts_on: dt.date

    parse_dates = field_validator("starts_on", mode="before")(_parse_date)


class UnsupervisedOut(Schema):
    organization: OrgRef
    parent: OrgRef | None
    needed: str


class UnsupervisedPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[UnsupervisedOut]
