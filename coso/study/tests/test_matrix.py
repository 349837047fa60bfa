"""Permission matrix for every study page and API operation.

The library's documents come from the province (everyone reads them) or from commune C1; the campaign is commune
C1's, so secretary_b (cell B, in C1) sees it too. Reports, plans and sessions belong to cell A: secretary_b is the
outsider (404) there. The C2 document and campaign are the outsider cases for the whole of C1.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coso.meetings.models import AttendanceStatus
from coso.study import services
from coso.study.models import FollowThroughPlan, LearningReport
from coso.testing.matrix import Case, check_case, matrix_params, statuses

from .conftest import make_campaign, make_document, make_session

JSON = "application/json"

ALL = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
IN_A = {**ALL, "secretary_b": 404}
ONLY_ADMIN = statuses(
    anonymous=302, province_admin=200, commune_staff=404, commune_leader=404, secretary_a=404, member_a=404,
    secretary_b=404,
)  # fmt: skip
LIBRARY = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip
LIBRARY_POST = {**LIBRARY, "province_admin": 302, "commune_staff": 302}
LAUNCH = {**LIBRARY, "commune_leader": 200}
LAUNCH_POST = {**LIBRARY_POST, "commune_leader": 302}
RECORDS = {**ALL, "member_a": 403}
SESSION = {**ALL, "commune_leader": 403, "member_a": 403}
SESSION_POST = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=403, secretary_a=302, member_a=403,
    secretary_b=200,
)  # fmt: skip
PUBLISH = {**SESSION_POST, "secretary_b": 404}
OWN = statuses(
    anonymous=302, province_admin=403, commune_staff=403, commune_leader=403, secretary_a=403, member_a=200,
    secretary_b=403,
)  # fmt: skip
OWN_POST = {**OWN, "member_a": 302}
REVIEW_POST = statuses(
    anonymous=302, province_admin=302, commune_staff=403, commune_leader=302, secretary_a=302, member_a=403,
    secretary_b=404,
)  # fmt: skip
POST_ALL = {k: 302 for k in ALL}

API_ALL = {**ALL, "anonymous": 401}
API_IN_A = {**API_ALL, "secretary_b": 404}
API_ONLY_ADMIN = {**ONLY_ADMIN, "anonymous": 401}
API_OWN_CREATE = {**OWN, "anonymous": 401, "member_a": 201}
API_OWN = {**OWN, "anonymous": 401, "secretary_b": 404}
API_REVIEW = {
    **REVIEW_POST,
    "anonymous": 401,
    "province_admin": 200,
    "commune_leader": 200,
    "secretary_a": 200,
}


@pytest.fixture(autouse=True)
def study_objects(world, library):
    """The objects the URLs point at, hung on `world` (check_case only passes the world)."""
    c1_document = make_document(world.commune, number="12-KH/ĐU", title="Kế hoạch học tập của phường")
    campaign = make_campaign(world.commune, [library["nq57"]])
    second = make_campaign(world.commune, [library["nq57"]], title="Học tập Chỉ thị 50-CT/TW")
    c2_campaign = make_campaign(world.commune2, [library["nq57"]], title="Học tập của xã Vị Thanh")
    session = make_session(
        campaign, world.cell_a, attendance={world.member_a_record: AttendanceStatus.PRESENT}
    )
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    report = services.report_update(
        actor=world.member_a, report=report, body="Bài thu hoạch", expected_version=None
    )
    report = services.report_submit(actor=world.member_a, report=report)
    plan = services.plan_start(actor=world.member_a, member=world.member_a_record, year=dt.date.today().year)
    world.study = {
        "nq57": library["nq57"],
        "local": library["local"],
        "c1_document": c1_document,
        "campaign": campaign,
        "second": second,
        "c2_campaign": c2_campaign,
        "session": session,
        "report": report,
        "plan": plan,
    }
    return world.study


def url(name, key=None, suffix=""):
    if key is None:
        return lambda w: reverse(name) + suffix
    return lambda w: reverse(name, args=[w.study[key].pk]) + suffix


def campaign_form(w):
    return {
        "organization": w.commune.pk,
        "title": "Học tập Chỉ thị 50-CT/TW",
        "documents": [w.study["nq57"].pk],
        "starts_on": "01/10/2026",
        "deadline": "31/10/2026",
        "report_due_on": "10/11/2026",
    }


def document_form(w):
    return {
        "organization": w.commune.pk,
        "kind": "PLAN",
        "number": "20-KH/ĐU",
        "title": "Kế hoạch tuyên truyền",
        "issuing_body": "Đảng ủy phường Vị Tân",
        "issued_on": "01/10/2026",
    }


def document_edit_form(w):
    document = w.study["c1_document"]
    document.refresh_from_db()
    return {**document_form(w), "version": document.version}


def report_version(w):
    return LearningReport.objects.get(pk=w.study["report"].pk).version


CASES = [
    # --- pages ---
    Case("study:document_list", url("study:document_list"), ALL),
    Case("study:document_detail", url("study:document_detail", "nq57"), ALL),
    Case("study:document_detail", url("study:document_detail", "local"), ONLY_ADMIN, label="document of C2"),
    Case("study:document_create", url("study:document_create"), LIBRARY),
    Case(
        "study:document_create", url("study:document_create"), LIBRARY_POST, method="post", data=document_form
    ),
    Case("study:document_edit", url("study:document_edit", "c1_document"), LIBRARY),
    Case(
        "study:document_edit",
        url("study:document_edit", "c1_document"),
        LIBRARY_POST,
        method="post",
        data=document_edit_form,
    ),  # fmt: skip
    Case("study:document_bookmark", url("study:document_bookmark", "nq57"), POST_ALL, method="post"),
    Case("study:campaign_list", url("study:campaign_list"), ALL),
    Case("study:campaign_detail", url("study:campaign_detail", "campaign"), ALL),
    Case(
        "study:campaign_detail",
        url("study:campaign_detail", "c2_campaign"),
        ONLY_ADMIN,
        label="campaign of C2",
    ),
    Case("study:campaign_create", url("study:campaign_create"), LAUNCH),
    Case(
        "study:campaign_create", url("study:campaign_create"), LAUNCH_POST, method="post", data=campaign_form
    ),
    Case("study:campaign_edit", url("study:campaign_edit", "campaign"), LAUNCH),
    Case("study:campaign_members", url("study:campaign_members", "campaign"), RECORDS),
    Case("study:campaign_export_xlsx", url("study:campaign_export_xlsx", "campaign"), RECORDS),
    Case("study:campaign_export_docx", url("study:campaign_export_docx", "campaign"), RECORDS),
    Case("study:session_create", url("study:session_create", "campaign"), SESSION),
    Case(
        "study:session_create",
        url("study:session_create", "campaign"),
        SESSION_POST,
        method="post",
        data=lambda w: {
            "organization": w.cell_a.pk,
            "date": "20/10/2026",
            "time": "08:00",
            "duration_minutes": 120,
            "place": "Nhà văn hóa",
        },
    ),  # fmt: skip
    # The fixture report is already submitted: the author is sent to read it.
    Case("study:report_mine", url("study:report_mine", "campaign"), {**OWN, "member_a": 302}),
    Case("study:session_detail", url("study:session_detail", "session"), IN_A),
    Case("study:session_publish", url("study:session_publish", "session"), PUBLISH, method="post"),
    Case("study:report_list", url("study:report_list"), ALL),
    Case("study:report_detail", url("study:report_detail", "report"), IN_A),
    Case(
        "study:report_detail",
        url("study:report_detail", "report"),
        REVIEW_POST,
        method="post",
        data=lambda w: {"grade": "GOOD", "comment": "Tốt", "review": "1", "version": report_version(w)},
    ),  # fmt: skip
    Case("study:plan_list", url("study:plan_list"), ALL),
    Case("study:plan_mine", url("study:plan_mine"), OWN),
    Case(
        "study:plan_mine",
        url("study:plan_mine"),
        OWN_POST,
        method="post",
        data=lambda w: {
            "c-TOTAL_FORMS": "1",
            "c-INITIAL_FORMS": "0",
            "c-0-text": "Học tập và làm theo Bác",
            "c-0-target": "Hằng tháng",
            "c-0-deadline": f"31/12/{dt.date.today().year}",
            "version": FollowThroughPlan.objects.get(pk=w.study["plan"].pk).version,
        },
    ),  # fmt: skip
    Case("study:plan_detail", url("study:plan_detail", "plan"), IN_A),
    # --- API ---
    Case("api:study_document_list", url("api:study_document_list"), API_ALL),
    Case("api:study_document_detail", url("api:study_document_detail", "nq57"), API_ALL),
    Case(
        "api:study_document_detail",
        url("api:study_document_detail", "local"),
        API_ONLY_ADMIN,
        label="API doc C2",
    ),
    Case(
        "api:study_document_bookmark",
        url("api:study_document_bookmark", "nq57"),
        API_ALL,
        method="post",
        data=lambda w: {},
        content_type=JSON,
    ),  # fmt: skip
    Case("api:campaign_list", url("api:campaign_list"), API_ALL),
    Case("api:campaign_detail", url("api:campaign_detail", "campaign"), API_ALL),
    Case(
        "api:campaign_detail",
        url("api:campaign_detail", "c2_campaign"),
        API_ONLY_ADMIN,
        label="API campaign C2",
    ),
    Case("api:campaign_progress", url("api:campaign_progress", "campaign"), API_ALL),
    Case("api:report_list", url("api:report_list"), API_ALL),
    Case("api:report_detail", url("api:report_detail", "report"), API_IN_A),
    Case(
        "api:report_create",
        url("api:report_create"),
        API_OWN_CREATE,
        method="post",
        data=lambda w: {"campaign": w.study["second"].pk, "body": "..."},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:report_update",
        url("api:report_update", "report"),
        {**API_OWN, "member_a": 422, "commune_staff": 403},
        method="patch",
        data=lambda w: {"body": "sửa"},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:report_submit",
        url("api:report_submit", "report"),
        {**API_OWN, "member_a": 422},
        method="post",
        data=lambda w: {},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:report_review",
        url("api:report_review", "report"),
        API_REVIEW,
        method="post",
        data=lambda w: {"grade": "PASS"},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:report_return",
        url("api:report_return", "report"),
        API_REVIEW,
        method="post",
        data=lambda w: {"comment": "Viết lại phần liên hệ"},
        content_type=JSON,
    ),  # fmt: skip
    Case("api:plan_list", url("api:plan_list"), API_ALL),
    Case("api:plan_detail", url("api:plan_detail", "plan"), API_IN_A),
    Case(
        "api:plan_create",
        url("api:plan_create"),
        API_OWN_CREATE,
        method="post",
        data=lambda w: {"year": dt.date.today().year},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:plan_update",
        url("api:plan_update", "plan"),
        {**API_OWN, "member_a": 200},
        method="put",
        data=lambda w: {
            "commitments": [
                {"text": "Học tập", "target": "Hằng tháng", "deadline": f"{dt.date.today().year}-12-31"}
            ]
        },
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:plan_submit",
        url("api:plan_submit", "plan"),
        {**API_OWN, "member_a": 422},
        method="post",
        data=lambda w: {},
        content_type=JSON,
    ),  # fmt: skip
]


@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
