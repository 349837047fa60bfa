"""A restructuring carries what hangs on an organization to its successor (issue 8 §3): the residential flag,
the committee (its head receives citizens), open feedback, planned reception days, routing rules, commitments,
campaigns and escalations; planned meetings are cancelled with the reason; closed records stay as history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coso.accounts.permissions import SYSTEM
from coso.citizens.models import Category, Feedback, FeedbackStatus, ReceptionDay, RoutingRule
from coso.citizens.selectors import reception_compliance
from coso.commitments.models import HardTask, HardTaskStatus
from coso.meetings.models import Meeting, MeetingKind, MeetingStatus
from coso.orgs import services
from coso.orgs.models import Committee, CommitteeKind, Organization, Position, PositionTitle, Term
from coso.study.models import CampaignStatus, Document, StudyCampaign
from coso.testing.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def on() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def hung(world, on):
    """Live and closed records on the two wards that are merged."""
    term = Term.objects.create(organization=world.commune, name="2025–2030", starts_on=dt.date(2025, 9, 1))
    committee = Committee.objects.create(organization=world.commune, term=term, kind=CommitteeKind.EXECUTIVE)
    Position.objects.create(
        committee=committee,
        member=world.member_a_record,
        title=PositionTitle.SECRETARY,
        starts_on=term.starts_on,
    )
    term2 = Term.objects.create(organization=world.commune2, name="2025–2030", starts_on=dt.date(2025, 9, 1))
    committee2 = Committee.objects.create(
        organization=world.commune2, term=term2, kind=CommitteeKind.EXECUTIVE
    )
    Position.objects.create(
        committee=committee2,
        member=world.member_d_record,
        title=PositionTitle.SECRETARY,
        starts_on=term2.starts_on,
    )
    category = Category.objects.create(code="roads", name="Đường sá")

    def feedback(code, org, status):
        return Feedback.objects.create(
            code=code,
            category=category,
            receiving_org=org,
            organization=org,
            area=org,
            status=status,
            title="Đường hẻm ngập nước",
            description="Mưa là ngập.",
            received_at=timezone.now(),
        )

    document = Document.objects.create(
        organization=world.commune, kind="RESOLUTION", number="01-NQ/ĐU", title="Nghị quyết", issuing_body="Đảng ủy",
        issued_on=dt.date(2026, 1, 5),
    )  # fmt: skip
    campaign = StudyCampaign.objects.create(
        organization=world.commune, title="Học tập Nghị quyết", starts_on=dt.date(2026, 1, 10),
        deadline=on + dt.timedelta(days=30), report_due_on=on + dt.timedelta(days=40),
    )  # fmt: skip
    campaign.documents.add(document)
    return {
        "open": feedback("OPEN0001", world.commune, FeedbackStatus.IN_PROGRESS),
        "closed": feedback("DONE0001", world.commune, FeedbackStatus.CLOSED),
        "planned_day": ReceptionDay.objects.create(
            organization=world.commune,
            head=world.member_a_record,
            date=on + dt.timedelta(days=10),
            place="Trụ sở",
        ),
        "held_day": ReceptionDay.objects.create(
            organization=world.commune,
            head=world.member_a_record,
            date=dt.date(2026, 2, 15),
            place="Trụ sở",
            status="HELD",
        ),  # fmt: skip
        "rule": RoutingRule.objects.create(
            category=category, area=world.commune2, responsible=world.commune2
        ),
        "task": HardTask.objects.create(
            organization=world.commune2,
            title="Xóa nhà tạm",
            due_date=dt.date(2026, 12, 31),
            year=2026,
            status=HardTaskStatus.IN_PROGRESS,
        ),  # fmt: skip
        "solved": HardTask.objects.create(
            organization=world.commune2,
            title="Đèn đường",
            due_date=dt.date(2026, 6, 30),
            year=2026,
            status=HardTaskStatus.VERIFIED,
        ),  # fmt: skip
        "campaign": campaign,
        "meeting": Meeting.objects.create(
            organization=world.commune,
            kind=MeetingKind.REGULAR,
            title="Họp Đảng ủy tháng",
            starts_at=timezone.now() + dt.timedelta(days=3),
            duration_minutes=120,
            status=MeetingStatus.PUBLISHED,
        ),  # fmt: skip
    }


def _merge(world, on, **extra):
    return services.organization_merge(
        actor=SYSTEM,
        sources=[world.commune, world.commune2],
        new_code="PI",
        new_name="Đảng bộ phường I",
        effective_on=on,
        **extra,
    )


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_a_merge_carries_what_hangs_on_the_wards_to_the_new_ward(world, hung, on):
    event = _merge(world, on, committee_from=world.commune)
    ward = Organization.objects.get(code="PI")
    assert ward.residential, "its residents must still find their ward on the portal"
    # The chosen committee carries over with its secretary; the other ward's seats end.
    seat = Position.objects.get(committee__organization=ward, ends_on__isnull=True)
    assert (seat.member, seat.title, seat.starts_on) == (world.member_a_record, PositionTitle.SECRETARY, on)
    assert not Position.objects.filter(
        committee__organization__in=[world.commune, world.commune2], ends_on=None
    )
    assert [row.head for row in reception_compliance(actor=SYSTEM, month=on) if row.organization == ward] == [
        world.member_a_record
    ]
    assert (
        reload(hung["open"]).organization,
        reload(hung["open"]).receiving_org,
        reload(hung["open"]).area,
    ) == (
        ward,
        ward,
        ward,
    )
    assert reload(hung["closed"]).organization == world.commune, "closed items stay where they were handled"
    assert reload(hung["planned_day"]).organization == ward
    assert reload(hung["held_day"]).organization == world.commune
    assert (reload(hung["rule"]).area, reload(hung["rule"]).responsible) == (ward, ward)
    assert reload(hung["task"]).organization == ward and reload(hung["solved"]).organization == world.commune2
    assert reload(hung["campaign"]).organization == ward
    assert reload(hung["campaign"]).status == CampaignStatus.ACTIVE
    meeting = reload(hung["meeting"])
    assert meeting.status == MeetingStatus.CANCELLED and "Đảng bộ phường I" in meeting.cancelled_reason
    assert event.details["handover"] == {
        "seats_carried": 1,
        "seats_ended": 2,
        "feedback_open": 1,
        "reception_days_planned": 1,
        "routing_rules": 1,
        "hard_tasks_open": 1,
        "campaigns_active": 1,
        "meetings_cancelled": 1,
    }


def test_without_a_chosen_committee_the_new_ward_has_none_and_the_page_says_so(client, world, hung, on):
    client.force_login(world.province_admin)
    data = {
        "sources": [world.commune.pk, world.commune2.pk],
        "new_code": "PI",
        "new_name": "Đảng bộ phường I",
        "effective_on": on.strftime("%d/%m/%Y"),
    }
    url = reverse("orgs:restructure_form", args=["merge"])
    html = client.post(url, data).content.decode()
    assert "Đảng bộ phường I chưa có cấp ủy" in html
    assert "Đảng bộ phường I tiếp nhận phản ánh, kiến nghị đang mở: 1." in html
    assert "Đảng bộ phường I tiếp nhận việc khó và phần việc chưa giải quyết xong: 1." in html
    assert "Đảng bộ phường I sẽ là địa bàn dân cư trên cổng thông tin" in html
    assert Feedback.objects.get(pk=hung["open"].pk).organization == world.commune, "a preview writes nothing"
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "Phản ánh, kiến nghị đang mở: 1" in detail and "Cuộc họp đã lên lịch bị hủy: 1" in detail
    assert "Chức danh cấp ủy đã kết thúc: 2" in detail and "seats_" not in detail.lower()
    ward = Organization.objects.get(code="PI")
    assert not Position.objects.filter(committee__organization=ward).exists()


def test_a_merge_refuses_a_committee_from_outside_the_merged_wards(world, hung, on):
    with pytest.raises(Exception, match="một trong các tổ chức|one of the merged"):
        _merge(world, on, committee_from=world.province)
    assert not Organization.objects.filter(code="PI").exists()


def test_a_split_gives_open_matters_to_the_part_the_office_chose(world, hung, on):
    parts = [
        {"code": "S1", "name": "Đảng bộ phường Vị Tân 1", "member_ids": []},
        {"code": "S2", "name": "Đảng bộ phường Vị Tân 2", "member_ids": []},
    ]
    services.organization_split(
        actor=SYSTEM, source=world.commune, parts=parts, effective_on=on, takes_over=1
    )
    second = Organization.objects.get(code="S2")
    assert reload(hung["open"]).organization == second and reload(hung["planned_day"]).organization == second
    # Its cells go under the part that takes over: none is left under the retired ward.
    cells = Organization.objects.filter(pk__in=[world.cell_a.pk, world.cell_b.pk])
    assert {cell.parent_id for cell in cells} == {second.pk}
    assert all(cell.path.startswith(second.path + ".") for cell in cells)
    assert all(Organization.objects.filter(code__in=["S1", "S2"]).values_list("residential", flat=True))


def test_a_dissolved_organization_hands_its_open_matters_to_the_level_above(world, on):
    empty = make_org(name="Chi bộ giải thể", parent=world.commune)
    task = HardTask.objects.create(
        organization=empty,
        title="Sửa cầu",
        due_date=dt.date(2026, 12, 31),
        year=2026,
        status=HardTaskStatus.DRAFT,
    )
    event = services.organization_dissolve(actor=SYSTEM, org=empty, effective_on=on)
    assert reload(task).organization == world.commune
    assert event.details["handover"] == {"hard_tasks_open": 1}


def test_the_split_page_asks_which_part_takes_over(client, world, hung, on):
    client.force_login(world.province_admin)
    url = reverse("orgs:restructure_form", args=["split"])
    form = client.get(url, {"org": world.commune.pk}).content.decode()
    assert 'name="takes_over"' in form and "Tổ chức tiếp nhận việc đang mở" in form
    data = {"source": world.commune.pk, "parts": 2, "part_1_code": "S1", "part_1_name": "Phường Vị Tân 1",
            "part_2_code": "S2", "part_2_name": "Phường Vị Tân 2", "takes_over": "2",
            "effective_on": on.strftime("%d/%m/%Y")}  # fmt: skip
    html = client.post(url, data).content.decode()
    assert "Phường Vị Tân 2 tiếp nhận phản ánh, kiến nghị đang mở: 1." in html
    assert "2 tổ chức trực thuộc sẽ chuyển về Phường Vị Tân 2." in html
    assert client.post(url, {**data, "confirm": "1"}).status_code == 302
    assert reload(hung["open"]).organization.code == "S2"


def test_the_api_takes_the_committee_and_the_heir_and_refuses_a_wrong_one(client, world, hung, on):
    client.force_login(world.province_admin)
    merge = reverse("api:organization_merge")
    base = {"sources": [world.commune.pk, world.commune2.pk], "new_code": "PI", "new_name": "Đảng bộ phường I",
            "effective_on": on.isoformat()}  # fmt: skip
    refused = client.post(
        merge, {**base, "committee_from": world.province.pk}, content_type="application/json"
    )
    assert refused.status_code == 422 and "committee_from" in refused.json()["fields"]
    assert not Organization.objects.filter(code="PI").exists()
    response = client.post(
        merge, {**base, "committee_from": world.commune2.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["details"]["handover"]["seats_carried"] == 1
    ward = Organization.objects.get(code="PI")
    assert Position.objects.get(committee__organization=ward, ends_on=None).member == world.member_d_record
    split = reverse("api:organization_split")
    parts = [
        {"code": "S1", "name": "Phường I-1", "member_ids": []},
        {"code": "S2", "name": "Phường I-2", "member_ids": []},
    ]
    wrong = client.post(
        split, {"source": ward.pk, "parts": parts, "takes_over": 5, "effective_on": on.isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert wrong.status_code == 422 and "takes_over" in wrong.json()["fields"]
    assert Organization.objects.get(pk=ward.pk).is_active, "a refused split changes nothing"
