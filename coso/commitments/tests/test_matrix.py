"""Permission matrix for every hard-task page and API operation.

Tasks live in cell A, committed to commune C1: secretary_b is the outsider (404); secretary_a manages the cell's
tasks; the commune's staff and leader are the upper committee that accepts and verifies (the leader cannot
register for the cell); member_a only reads.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coso.commitments.models import HardTaskStatus
from coso.testing.matrix import Case, check_case, matrix_params, statuses

from .conftest import add_evidence, make_task, pdf_file

JSON = "application/json"
S = HardTaskStatus

VIEW_ALL = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
VIEW_IN_A = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=404,
)  # fmt: skip
MANAGE_GET = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=200, member_a=403,
    secretary_b=404,
)  # fmt: skip
MANAGE_ANY = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=200, member_a=403,
    secretary_b=200,
)  # fmt: skip
MANAGE_POST = {**MANAGE_GET, "province_admin": 302, "commune_staff": 302, "secretary_a": 302}
VERIFY_POST = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=302, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
API_VIEW_ALL = {**VIEW_ALL, "anonymous": 401}
API_VIEW_IN_A = {**VIEW_IN_A, "anonymous": 401}
API_MANAGE = {**MANAGE_GET, "anonymous": 401}
API_CREATE = {**API_MANAGE, "province_admin": 201, "commune_staff": 201, "secretary_a": 201}
API_VERIFY = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip


def _task(status):
    def url_task(world):
        task = make_task(world.cell_a, status=status)
        if status == S.REPORTED_DONE:
            add_evidence(task)
        return task

    return url_task


def _url(route_status, suffix=""):
    def build(world):
        return f"/commitments/{_task(route_status)(world).pk}/{suffix}"

    return build


def _api(route_status, suffix=""):
    def build(world):
        return f"/api/v1/commitments/{_task(route_status)(world).pk}{suffix}"

    return build


def _evidence_url(world):
    task = make_task(world.cell_a, status=S.IN_PROGRESS)
    return f"/commitments/updates/{add_evidence(task).pk}/evidence/"


def _new_task(world):
    return {"title": "Xóa nhà tạm cho hộ nghèo", "kind": "HARD_TASK", "due_date": "31/10/2026", "weight": "1",
            "responsible": world.member_a_record.pk}  # fmt: skip


def _edit_form(world):
    return {**_new_task(world), "version": 1}


def _update_form(world):
    return {"date": "02/01/2026", "text": "Đã vận động 3 hộ", "progress": "30", "evidence": pdf_file()}


CASES = [
    Case("commitments:list", lambda w: "/commitments/", VIEW_ALL),
    Case("commitments:export", lambda w: "/commitments/export/", VIEW_ALL),
    Case("commitments:create", lambda w: "/commitments/new/", MANAGE_ANY, label="GET create (pick)"),
    Case(
        "commitments:create",
        lambda w: f"/commitments/new/?org={w.cell_a.pk}",
        MANAGE_GET,
        label="GET create A",
    ),
    Case(
        "commitments:create",
        lambda w: f"/commitments/new/?org={w.cell_a.pk}",
        MANAGE_POST,
        method="post",
        data=_new_task,
    ),  # fmt: skip
    Case("commitments:detail", _url(S.IN_PROGRESS), VIEW_IN_A),
    Case("commitments:edit", _url(S.DRAFT, "edit/"), MANAGE_GET),
    Case("commitments:edit", _url(S.DRAFT, "edit/"), MANAGE_POST, method="post", data=_edit_form),
    Case("commitments:update_create", _url(S.REGISTERED, "updates/new/"), MANAGE_GET),
    Case(
        "commitments:update_create",
        _url(S.REGISTERED, "updates/new/"),
        MANAGE_POST,
        method="post",
        data=_update_form,
    ),  # fmt: skip
    Case("commitments:transition", _url(S.DRAFT, "submit/"), MANAGE_POST, method="post", label="POST submit"),
    Case(
        "commitments:transition",
        _url(S.SUBMITTED, "accept/"),
        VERIFY_POST,
        method="post",
        label="POST accept",
    ),
    Case(
        "commitments:transition",
        _url(S.REPORTED_DONE, "verify/"),
        VERIFY_POST,
        method="post",
        label="POST verify",
    ),  # fmt: skip
    Case(
        "commitments:transition",
        _url(S.REPORTED_DONE, "return/"),
        VERIFY_POST,
        method="post",
        data=lambda w: {"reason": "Chưa đạt"},
        label="POST return",
    ),  # fmt: skip
    Case("commitments:evidence", _evidence_url, VIEW_IN_A),
    Case("api:hard_task_list", lambda w: "/api/v1/commitments/", API_VIEW_ALL),
    Case("api:hard_task_detail", _api(S.IN_PROGRESS), API_VIEW_IN_A),
    Case(
        "api:hard_task_create",
        lambda w: "/api/v1/commitments/",
        API_CREATE,
        method="post",
        content_type=JSON,
        data=lambda w: {"organization": w.cell_a.pk, "title": "Xóa nhà tạm", "due_date": "2026-10-31"},
    ),  # fmt: skip
    Case(
        "api:hard_task_update",
        _api(S.DRAFT),
        API_MANAGE,
        method="patch",
        content_type=JSON,
        data=lambda w: {"version": 1, "title": "Xóa nhà tạm cho hộ nghèo"},
    ),  # fmt: skip
    Case(
        "api:hard_task_transition",
        _api(S.REPORTED_DONE, "/transitions"),
        API_VERIFY,
        method="post",
        content_type=JSON,
        data=lambda w: {"action": "verify", "reason": "Đạt"},
    ),  # fmt: skip
    Case(
        "api:hard_task_transition",
        _api(S.DRAFT, "/transitions"),
        {**API_MANAGE},
        method="post",
        content_type=JSON,
        data=lambda w: {"action": "submit"},
        label="POST api submit",
    ),  # fmt: skip
    Case("api:hard_task_update_list", _api(S.IN_PROGRESS, "/updates"), API_VIEW_IN_A),
    Case(
        "api:hard_task_update_create",
        _api(S.REGISTERED, "/updates"),
        {**API_MANAGE, "province_admin": 201, "commune_staff": 201, "secretary_a": 201},
        method="post",
        data=lambda w: {
            "date": dt.date(2026, 1, 2).isoformat(),
            "text": "Đã làm",
            "progress": 10,
            "evidence": pdf_file(),
        },
    ),  # fmt: skip
]


@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
