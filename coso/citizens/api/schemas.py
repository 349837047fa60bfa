"""Input and output schemas of the citizens API."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from ..models import ComplaintRound


class OrgRef(Schema):
    id: int
    code: str
    name: str


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    default_kind: str
    deadline_working_days: int
    evidence_required: str
    public: bool


class FeedbackUpdateOut(Schema):
    at: dt.datetime
    kind: str
    kind_label: str
    text: str
    public: bool


class PublicFeedbackOut(Schema):
    code: str
    kind: str
    status: str
    status_label: str
    category: str
    received_at: dt.datetime
    deadline_at: dt.datetime | None
    description: str | None
    address: str | None
    answer: str | None
    rating: int | None
    updates: list[FeedbackUpdateOut]


class FeedbackOut(Schema):
    id: int
    code: str
    kind: str
    channel: str
    status: str
    status_label: str
    category: str
    title: str
    description: str
    address: str
    area: OrgRef | None
    receiving_org: OrgRef
    organization: OrgRef | None
    received_at: dt.datetime
    deadline_at: dt.datetime | None
    overdue: bool
    complaint_round: str | None = Field(description="complaints only: FIRST or SECOND (longer time limits)")
    is_complex: bool
    especially_complex: bool
    remote_area: bool
    several_units: bool
    extensions: int
    answered_at: dt.datetime | None
    escalated_to: OrgRef | None
    rating: int | None
    has_contact: bool
    version: int


class FeedbackDetailOut(FeedbackOut):
    answer: str
    updates: list[FeedbackUpdateOut]


class FeedbackPage(Schema):
    count: int
    page: int
    pages: int
    results: list[FeedbackOut]


class ContactOut(Schema):
    reporter_name: str
    reporter_phone: str
    reporter_email: str
    consent_at: dt.datetime | None


class SubmitIn(Schema):
    category: str
    area: str
    description: str
    kind: str | None = None
    title: str = ""
    address: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    consent: bool = False
    latitude: float | None = None
    longitude: float | None = None


class StaffFileIn(SubmitIn):
    channel: str = "WALK_IN"
    several_units: bool = False
    dialogue: int | None = None
    reception_day: int | None = None


class CodeOut(Schema):
    code: str
    url: str
    # Shown once: needed with the code to rate, report again or fetch the citizen's own files.
    secret: str
    public_id: str


class RateIn(Schema):
    rating: int
    comment: str = ""
    secret: str = ""


class ReopenIn(Schema):
    text: str
    secret: str = ""


class ActionIn(Schema):
    organization: str | None = None
    reason: str = ""
    authority: str = ""
    answer: str = ""
    text: str = ""
    public: bool = False
    kind: str | None = None
    category: str | None = None
    several_units: bool | None = None
    is_complex: bool | None = None
    especially_complex: bool | None = None
    remote_area: bool | None = None
    complaint_round: ComplaintRound | None = None


class MonthFiguresOut(Schema):
    month: dt.date | None
    received: int
    answered: int
    on_time: int
    avg_days: float | None
    rated: int
    satisfaction: float | None


class TransparencyOut(Schema):
    organization: OrgRef
    since: dt.date
    total: MonthFiguresOut
    by_month: list[MonthFiguresOut]
    by_category: dict[str, MonthFiguresOut]


class ComplianceOut(Schema):
    organization: OrgRef
    head: str | None
    required: int
    held: int
    planned: int
    short: bool


class ReceptionOut(Schema):
    id: int
    organization: OrgRef
    head: str
    date: dt.date
    kind: str
    status: str
    place: str
    citizens_count: int
    matters: str
    version: int


class ReceptionIn(Schema):
    organization: str
    head: int
    date: dt.date
    kind: str = "REGULAR"
    status: str = "PLANNED"
    place: str
    received_by: str = ""
    citizens_count: int = 0
    citizen_names: str = ""
    matters: str = ""
    note: str = ""


class DialogueOut(Schema):
    id: int
    organization: OrgRef
    kind: str
    topic: str
    date: dt.date
    status: str
    participants_count: int
    questions: str
    answers: str
    follow_ups: str
    version: int


class DialogueIn(Schema):
    organization: str
    kind: str
    topic: str
    date: dt.date
    place: str = ""
    status: str = "PLANNED"
    participants_count: int = 0
    participants: str = ""
    questions: str = ""
    answers: str = ""
    follow_ups: str = ""


class RoutingOut(Schema):
    id: int
    category: str | None
    area: OrgRef
    responsible: OrgRef
    note: str


class RoutingIn(Schema):
    category: str | None = None
    area: str
    responsible: str
    note: str = ""
