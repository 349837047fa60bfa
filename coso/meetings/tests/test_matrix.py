"""Permission matrix for every meetings page and API operation.

Objects live in cell A (a planned meeting, a held one with attendance and draft minutes) and commune C1 (an
escalation it must answer, a seasonal topic, a rotation plan). secretary_a manages cell A's meetings; member_a
sees them (403 on writes); secretary_b is the outsider (404); commune staff manage, commune leaders read and
answer; rotation plans and topics belong to the commune, so cell roles do not see them (404).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coso.accounts.permissions import SYSTEM
from coso.meetings import services
from coso.meetings.models import Meeting, Minutes, RotationPlan
from coso.meetings.tests.conftest import TZ, complete_minutes
from coso.testing.matrix import Case, check_case, matrix_params, statuses

JSON = "application/json"

VIEW_ALL = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
# The planning pages (rotation, seasonal topics) are for those who run meetings, not plain members.
PLANNING = {**VIEW_ALL, "member_a": 403}
VIEW_IN_A = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=404,
)  # fmt: skip
MANAGE_GET = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=200, member_a=403,
    secretary_b=404,
)  # fmt: skip
MANAGE_POST = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=403, secretary_a=302, member_a=403,
    secretary_b=404,
)  # fmt: skip
COMMITTEE_GET = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip
COMMITTEE_OBJECT_GET = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=404, member_a=404,
    secretary_b=404,
)  # fmt: skip
COMMITTEE_OBJECT_POST = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=302, secretary_a=404, member_a=404,
    secretary_b=404,
)  # fmt: skip
OFFICE_OBJECT_POST = {**COMMITTEE_OBJECT_POST, "commune_leader": 403}
FEED = statuses(
    anonymous=200, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
API_VIEW_ALL = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
API_VIEW_IN_A = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=404,
)  # fmt: skip
API_WRITE = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=200, member_a=403,
    secretary_b=404,
)  # fmt: skip
API_CREATE = {**API_WRITE, "province_admin": 201, "commune_staff": 201, "secretary_a": 201}
API_COMMITTEE = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=404, member_a=404,
    secretary_b=404,
)  # fmt: skip
API_COMMITTEE_CREATE = {**API_COMMITTEE, "province_admin": 201, "commune_staff": 201, "commune_leader": 201}


@pytest.fixture(autouse=True)
def objects(world):
    at = lambda d, h=8: dt.datetime(2026, 6, d, h, 0, tzinfo=TZ)  # noqa: E731
    world.meeting = services.meeting_schedule(
        actor=SYSTEM, organization=world.cell_a, starts_at=at(20), place="Nhà văn hoá", agenda=["Thời sự"]
    )
    world.held = services.meeting_schedule(
        actor=SYSTEM,
        organization=world.cell_a,
        starts_at=at(5),
        agenda=["Kiểm điểm"],
        chair=world.other_a_record,
        minute_taker=world.member_a_record,
    )
    services.meeting_mark_held(actor=SYSTEM, meeting=world.held)
    services.attendance_record(
        actor=SYSTEM, meeting=world.held, member=world.member_a_record, status="PRESENT"
    )
    world.minutes = complete_minutes(services.minutes_start(actor=SYSTEM, meeting=world.held))
    world.item = world.meeting.agenda_items.first()
    world.guest = services.guest_add(
        actor=SYSTEM, meeting=world.meeting, name="Đồng chí Tư", role="Đảng ủy viên"
    )
    world.document = services.document_add(
        actor=SYSTEM, meeting=world.meeting, title="Nghị quyết", link="https://example.org/nq.pdf"
    )
    world.escalation = services.escalation_raise(actor=SYSTEM, meeting=world.held, text="Đường ngập nước")
    world.topic = services.seasonal_topic_save(
        actor=SYSTEM, organization=world.commune, month=1, topic="An ninh trật tự dịp Tết"
    )
    services.meeting_schedule(actor=SYSTEM, organization=world.cell_b, starts_at=at(21))
    services.meeting_schedule(actor=SYSTEM, organization=world.cell_a, starts_at=at(20).replace(month=7))
    services.meeting_schedule(actor=SYSTEM, organization=world.cell_b, starts_at=at(21).replace(month=7))
    world.plan, _ = services.rotation_plan_create(
        actor=SYSTEM,
        organization=world.commune,
        leaders=[world.other_a_record],
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 7, 31),
    )
    world.visit = world.plan.visits.first()
    world.token = services.calendar_token_get(user=world.member_a)
    return world


def m(name, attr="meeting"):
    return lambda w: reverse(name, args=[getattr(w, attr).pk])


def version(attr):
    return lambda w: {"version": type(getattr(w, attr)).objects.get(pk=getattr(w, attr).pk).version}


def meeting_form(w) -> dict:
    return {
        "kind": "REGULAR",
        "date": "2026-06-21",
        "time": "08:00",
        "duration_minutes": 120,
        "place": "Hội trường",
        "version": Meeting.objects.get(pk=w.meeting.pk).version,
    }


def rotation_slot(w):
    other = Meeting.objects.filter(organization=w.visit.meeting.organization).exclude(pk=w.visit.meeting_id)
    return {"meeting": other.first().pk}


CASES = [
    Case("meetings:list", lambda w: reverse("meetings:list"), VIEW_ALL),
    Case("meetings:create", lambda w: reverse("meetings:create") + f"?org={w.cell_a.pk}", MANAGE_GET),
    Case(
        "meetings:create",
        lambda w: reverse("meetings:create") + f"?org={w.cell_a.pk}",
        MANAGE_POST,
        method="post",
        data=meeting_form,
    ),
    Case("meetings:detail", m("meetings:detail"), VIEW_IN_A),
    Case("meetings:edit", m("meetings:edit"), MANAGE_GET),
    Case("meetings:edit", m("meetings:edit"), MANAGE_POST, method="post", data=meeting_form),
    Case("meetings:publish", m("meetings:publish"), MANAGE_POST, method="post", data=version("meeting")),
    Case("meetings:cancel", m("meetings:cancel"), MANAGE_POST, method="post", data=version("meeting")),
    Case("meetings:hold", m("meetings:hold"), MANAGE_POST, method="post", data=version("meeting")),
    Case(
        "meetings:agenda_add",
        m("meetings:agenda_add"),
        MANAGE_POST,
        method="post",
        data=lambda w: {"agenda-title": "Việc mới"},
    ),
    Case("meetings:agenda_delete", m("meetings:agenda_delete", "item"), MANAGE_POST, method="post"),
    Case(
        "meetings:guest_add",
        m("meetings:guest_add"),
        MANAGE_POST,
        method="post",
        data=lambda w: {"guest-name": "Khách"},
    ),
    Case("meetings:guest_delete", m("meetings:guest_delete", "guest"), MANAGE_POST, method="post"),
    Case(
        "meetings:document_add",
        m("meetings:document_add"),
        MANAGE_POST,
        method="post",
        data=lambda w: {"doc-title": "Tài liệu", "doc-link": "https://example.org/a.pdf"},
    ),
    Case("meetings:document_delete", m("meetings:document_delete", "document"), MANAGE_POST, method="post"),
    Case("meetings:attendance", m("meetings:attendance", "held"), MANAGE_GET),
    Case(
        "meetings:attendance_rest_present",
        m("meetings:attendance_rest_present", "held"),
        MANAGE_POST,
        method="post",
    ),
    Case(
        "meetings:attendance_mark",
        lambda w: reverse("meetings:attendance_mark", args=[w.held.pk, w.other_a_record.pk]),
        MANAGE_POST,
        method="post",
        data=lambda w: {"status": "LATE"},
    ),
    Case("meetings:minutes", m("meetings:minutes", "held"), VIEW_IN_A),
    Case(
        "meetings:minutes",
        m("meetings:minutes", "held"),
        MANAGE_POST,
        method="post",
        data=lambda w: {"version": Minutes.objects.get(pk=w.minutes.pk).version, "conclusion": "Kết luận"},
        label="POST meetings:minutes",
    ),
    Case("meetings:minutes_approve", m("meetings:minutes_approve", "held"), MANAGE_POST, method="post"),
    Case(
        "meetings:minutes_correct",
        m("meetings:minutes_correct", "held"),
        MANAGE_POST,
        method="post",
        data=lambda w: {"reason": "Sửa tên"},
    ),
    Case("meetings:minutes_docx", m("meetings:minutes_docx", "held"), VIEW_IN_A),
    Case(
        "meetings:escalation_add",
        m("meetings:escalation_add", "held"),
        MANAGE_POST,
        method="post",
        data=lambda w: {"text": "Đèn đường hỏng"},
    ),
    Case("meetings:escalations", lambda w: reverse("meetings:escalations"), VIEW_ALL),
    Case(
        "meetings:escalation_answer",
        m("meetings:escalation_answer", "escalation"),
        COMMITTEE_OBJECT_POST,
        method="post",
        data=lambda w: {"answer": "Đã giao phường xử lý"},
    ),
    Case("meetings:calendar", lambda w: reverse("meetings:calendar") + f"?org={w.cell_a.pk}", VIEW_IN_A),
    Case(
        "meetings:plan_year",
        lambda w: reverse("meetings:plan_year"),
        MANAGE_POST,
        method="post",
        data=lambda w: {
            "org": w.cell_a.pk,
            "year": 2027,
            "day": 15,
            "time": "08:00",
            "duration_minutes": 90,
        },
    ),
    Case("meetings:topics", lambda w: reverse("meetings:topics"), PLANNING),
    Case("meetings:topic_delete", m("meetings:topic_delete", "topic"), OFFICE_OBJECT_POST, method="post"),
    Case("meetings:overview", lambda w: reverse("meetings:overview"), COMMITTEE_GET),
    Case("meetings:rotation_list", lambda w: reverse("meetings:rotation_list"), PLANNING),
    Case("meetings:rotation_create", lambda w: reverse("meetings:rotation_create"), COMMITTEE_GET),
    Case("meetings:rotation_detail", m("meetings:rotation_detail", "plan"), COMMITTEE_OBJECT_GET),
    Case(
        "meetings:rotation_visit_move",
        m("meetings:rotation_visit_move", "visit"),
        COMMITTEE_OBJECT_POST,
        method="post",
        data=rotation_slot,
    ),
    Case(
        "meetings:rotation_publish",
        m("meetings:rotation_publish", "plan"),
        COMMITTEE_OBJECT_POST,
        method="post",
        data=version("plan"),
    ),
    Case("meetings:feed_settings", lambda w: reverse("meetings:feed_settings"), VIEW_ALL),
    Case("meetings:feed", lambda w: reverse("meetings:feed", args=[w.token.token]), FEED),
    # API
    Case("api:meeting_list", lambda w: reverse("api:meeting_list"), API_VIEW_ALL),
    Case(
        "api:meeting_create",
        lambda w: reverse("api:meeting_create"),
        API_CREATE,
        method="post",
        data=lambda w: {"organization": w.cell_a.pk, "starts_at": "2026-06-25T08:00:00+07:00"},
        content_type=JSON,
    ),
    Case("api:meeting_detail", m("api:meeting_detail"), API_VIEW_IN_A),
    Case(
        "api:meeting_update",
        m("api:meeting_update"),
        API_WRITE,
        method="patch",
        data=lambda w: {**version("meeting")(w), "place": "Hội trường"},
        content_type=JSON,
    ),
    Case(
        "api:meeting_publish",
        m("api:meeting_publish"),
        API_WRITE,
        method="post",
        data=version("meeting"),
        content_type=JSON,
    ),
    Case("api:meeting_agenda", m("api:meeting_agenda"), API_VIEW_IN_A),
    Case(
        "api:meeting_agenda_set",
        m("api:meeting_agenda_set"),
        API_WRITE,
        method="put",
        data=lambda w: [{"title": "Thời sự"}, {"title": "Nhiệm vụ tháng 7"}],
        content_type=JSON,
    ),
    Case("api:meeting_attendance", m("api:meeting_attendance", "held"), API_VIEW_IN_A),
    Case(
        "api:meeting_attendance_set",
        lambda w: reverse("api:meeting_attendance_set", args=[w.held.pk, w.other_a_record.pk]),
        API_WRITE,
        method="put",
        data=lambda w: {"status": "ABSENT_EXCUSED", "reason": "Ốm"},
        content_type=JSON,
    ),
    Case("api:meeting_minutes", m("api:meeting_minutes", "held"), API_VIEW_IN_A),
    Case(
        "api:meeting_minutes_update",
        m("api:meeting_minutes_update", "held"),
        API_WRITE,
        method="put",
        data=lambda w: {"version": Minutes.objects.get(pk=w.minutes.pk).version, "conclusion": "Kết luận"},
        content_type=JSON,
    ),
    Case(
        "api:meeting_minutes_approve",
        m("api:meeting_minutes_approve", "held"),
        API_WRITE,
        method="post",
        data=lambda w: {},
        content_type=JSON,
    ),
    Case("api:meeting_minutes_docx", m("api:meeting_minutes_docx", "held"), API_VIEW_IN_A),
    Case("api:escalation_list", lambda w: reverse("api:escalation_list"), API_VIEW_ALL),
    Case(
        "api:escalation_create",
        m("api:escalation_create", "held"),
        API_CREATE,
        method="post",
        data=lambda w: {"text": "Rác thải"},
        content_type=JSON,
    ),
    Case(
        "api:escalation_answer",
        m("api:escalation_answer", "escalation"),
        API_COMMITTEE,
        method="post",
        data=lambda w: {"answer": "Đã xử lý"},
        content_type=JSON,
    ),
    Case("api:calendar_get", lambda w: reverse("api:calendar_get") + f"?org={w.cell_a.pk}", API_VIEW_IN_A),
    Case(
        "api:calendar_plan",
        lambda w: reverse("api:calendar_plan"),
        API_CREATE,
        method="post",
        data=lambda w: {"organization": w.cell_a.pk, "year": 2027, "day": 15, "time": "08:00"},
        content_type=JSON,
    ),
    Case("api:rotation_plan_list", lambda w: reverse("api:rotation_plan_list"), API_VIEW_ALL),
    Case(
        "api:rotation_plan_create",
        lambda w: reverse("api:rotation_plan_create"),
        API_COMMITTEE_CREATE,
        method="post",
        data=lambda w: {
            "organization": w.commune.pk,
            "leaders": [w.member_a_record.pk],
            "starts_on": "2026-06-01",
            "ends_on": "2026-07-31",
        },
        content_type=JSON,
    ),
    Case("api:rotation_plan_detail", m("api:rotation_plan_detail", "plan"), API_COMMITTEE),
    Case(
        "api:rotation_plan_publish",
        m("api:rotation_plan_publish", "plan"),
        API_COMMITTEE,
        method="post",
        data=lambda w: {"version": RotationPlan.objects.get(pk=w.plan.pk).version},
        content_type=JSON,
    ),
]


@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
