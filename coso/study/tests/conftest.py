"""Study fixtures on top of the root `world`: a small library, a campaign of commune C1, sessions and seats."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from coso.accounts.permissions import SYSTEM
from coso.meetings.models import Attendance, Meeting, MeetingKind, MeetingStatus
from coso.orgs.models import Committee, CommitteeKind, Position, PositionTitle, Term
from coso.study import services
from coso.study.models import Document, DocumentKind, StudySession

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def make_document(
    organization, *, number="57-NQ/TW", title=None, kind=DocumentKind.RESOLUTION, issued_on=None
):
    return services.document_create(
        actor=SYSTEM,
        organization=organization,
        data={
            "kind": kind,
            "number": number,
            "title": title or "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo",
            "issuing_body": "Bộ Chính trị",
            "issued_on": issued_on or dt.date(2024, 12, 22),
            "summary": ""
            if title
            else "Khoa học, công nghệ và chuyển đổi số là đột phá quan trọng hàng đầu.",
        },
    )


def make_campaign(organization, documents, *, starts_on=dt.date(2026, 3, 1), deadline=dt.date(2026, 3, 31),
                  report_due_on=dt.date(2026, 4, 10), title="Học tập Nghị quyết 57-NQ/TW"):  # fmt: skip
    return services.campaign_launch(
        actor=SYSTEM,
        organization=organization,
        title=title,
        documents=documents,
        starts_on=starts_on,
        deadline=deadline,
        report_due_on=report_due_on,
        notify_units=False,
    )


def make_session(campaign, organization, *, when=dt.datetime(2026, 3, 15, 8, 0), status=MeetingStatus.HELD,
                 attendance=None):  # fmt: skip
    """A study session held by `organization`; `attendance` maps member -> AttendanceStatus."""
    meeting = Meeting.objects.create(
        organization=organization,
        kind=MeetingKind.STUDY,
        title=f"Học tập: {campaign.title}",
        starts_at=when.replace(tzinfo=TZ),
        duration_minutes=120,
        status=status,
    )
    for member, state in (attendance or {}).items():
        Attendance.objects.create(
            meeting=meeting, member=member, meeting_date=when.date(), status=state, counted=True
        )
    return StudySession.objects.create(campaign=campaign, meeting=meeting, organization=organization)


def seat(member, organization, title=PositionTitle.MEMBER, kind=None):
    kind = kind or (CommitteeKind.CELL_COMMITTEE if organization.is_cell else CommitteeKind.EXECUTIVE)
    term, _ = Term.objects.get_or_create(
        organization=organization, name="2025–2030", defaults={"starts_on": dt.date(2025, 1, 1)}
    )
    committee, _ = Committee.objects.get_or_create(organization=organization, term=term, kind=kind)
    return Position.objects.create(
        committee=committee, member=member, title=title, starts_on=dt.date(2025, 1, 1)
    )


@pytest.fixture
def library(world):
    old = make_document(world.province, number="24-QĐ/TW", title="Quy định thi hành Điều lệ Đảng",
                        kind=DocumentKind.REGULATION, issued_on=dt.date(2021, 7, 30))  # fmt: skip
    new = make_document(world.province, number="232-QĐ/TW", title="Quy định thi hành Điều lệ Đảng",
                        kind=DocumentKind.REGULATION, issued_on=dt.date(2025, 1, 20))  # fmt: skip
    services.document_replace(actor=SYSTEM, document=old, replaced_by=new)
    nq57 = make_document(world.province)
    local = make_document(world.commune2, number="05-KH/ĐU", title="Kế hoạch học tập của xã Vị Thanh",
                          kind=DocumentKind.PLAN, issued_on=dt.date(2026, 2, 1))  # fmt: skip
    return {"old": Document.objects.get(pk=old.pk), "new": new, "nq57": nq57, "local": local}


@pytest.fixture
def campaign(world, library):
    return make_campaign(world.commune, [library["nq57"]])
