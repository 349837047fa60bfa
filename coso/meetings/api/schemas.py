"""Input and output schemas of the meetings API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from ..models import MeetingKind


class OrgRef(Schema):
    id: int
    code: str
    name: str


class MemberRef(Schema):
    id: int
    full_name: str


class AgendaItemOut(Schema):
    order: int
    title: str
    presenter: MemberRef | None
    duration_minutes: int | None


class MeetingOut(Schema):
    id: int
    organization: OrgRef
    kind: str
    combined_thematic: bool
    title: str
    topic: str
    starts_at: dt.datetime
    duration_minutes: int
    place: str
    chair: MemberRef | None
    minute_taker: MemberRef | None
    status: str
    status_label: str
    published_at: dt.datetime | None
    version: int


class GuestOut(Schema):
    name: str
    role: str
    member: MemberRef | None


class DocumentOut(Schema):
    title: str
    url: str


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    guests: list[GuestOut]
    documents: list[DocumentOut]
    warnings: list[str]


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[MeetingOut]


class MeetingIn(Schema):
    organization: int
    kind: str = MeetingKind.REGULAR
    starts_at: dt.datetime
    title: str = ""
    topic: str = ""
    duration_minutes: int | None = None
    place: str = ""
    chair: int | None = None
    minute_taker: int | None = None
    combined_thematic: bool = False
    agenda: list[str] = []


class MeetingPatch(Schema):
    version: int
    kind: str | None = None
    starts_at: dt.datetime | None = None
    title: str | None = None
    topic: str | None = None
    duration_minutes: int | None = None
    place: str | None = None
    chair: int | None = None
    minute_taker: int | None = None
    combined_thematic: bool | None = None


class VersionIn(Schema):
    version: int | None = None


class PublishOut(Schema):
    meeting: MeetingOut
    warnings: list[str]


class AgendaItemIn(Schema):
    title: str
    presenter: int | None = None
    duration_minutes: int | None = None


class AttendanceOut(Schema):
    member: MemberRef
    status: str
    reason: str
    exempted: bool
    counted: bool
    is_guest: bool


class FiguresOut(Schema):
    total: int
    must_attend: int
    probationary: int
    base: int
    vote_base: int
    probationary_counted: bool
    rule_source: str
    attended: int
    excused: int
    unexcused: int
    unrecorded: int
    exempted: int
    rate: float | None
    flags: list[str]


class AttendanceListOut(Schema):
    figures: FiguresOut
    rows: list[AttendanceOut]


class AttendanceIn(Schema):
    status: str
    reason: str = ""


class ResolutionIO(Schema):
    text: str
    kind: str = "ORDINARY"
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


class ResolutionOut(ResolutionIO):
    kind_label: str
    base: int
    passed: bool


class MinutesItem(Schema):
    item: int | None = None
    title: str = ""
    opinions: str = ""


class MinutesOut(Schema):
    number: int
    status: str
    opening: str
    items: list[MinutesItem]
    conclusion: str
    resolutions: list[ResolutionOut]
    approved_at: dt.datetime | None
    version: int


class MinutesIn(Schema):
    version: int
    opening: str | None = None
    items: list[MinutesItem] | None = None
    conclusion: str | None = None
    resolutions: list[ResolutionIO] | None = None


class EscalationOut(Schema):
    id: int
    meeting: int
    organization: OrgRef
    committee: OrgRef
    text: str
    status: str
    answer: str
    answered_at: dt.datetime | None
    version: int


class EscalationIn(Schema):
    text: str


class AnswerIn(Schema):
    answer: str
    version: int | None = None


class PlanYearIn(Schema):
    organization: int
    year: int
    day: int
    time: dt.time
    place: str = ""
    duration_minutes: int | None = None


class MonthOut(Schema):
    month: int
    held: bool
    meetings: list[MeetingOut]
    topics: list[str]


class CalendarOut(Schema):
    organization: OrgRef
    year: int
    months: list[MonthOut]
    months_without_held: list[int]
    quarters_without_thematic: list[int]


class VisitOut(Schema):
    id: int
    leader: MemberRef
    meeting: int
    cell: OrgRef
    date: dt.date
    done: bool


class RotationPlanOut(Schema):
    id: int
    organization: OrgRef
    title: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    leaders: list[MemberRef]
    version: int


class RotationPlanDetailOut(RotationPlanOut):
    visits: list[VisitOut]


class RotationPlanIn(Schema):
    organization: int
    leaders: list[int]
    starts_on: dt.date
    ends_on: dt.date
    title: str = ""
