"""Permission matrix for every inspection page and API operation.

Objects live in cell A (commune C1). Cases, plans and discipline records are confidential: only the commune's
leader (reads) and the administrator (and the inspection role, see test_pages) know they exist; everyone else,
the commune's office included, gets 404. Remedies: member_a owns the remedy; the cell's secretary and the
commune's office report on it; the commune (the upper level) verifies; secretary_b is the outsider.
"""

from __future__ import annotations

import pytest

from coso.inspection.models import RemedyStatus
from coso.testing.matrix import Case, check_case, matrix_params, statuses

from .conftest import ALL_STEPS, add_evidence, make_case, make_plan, make_remedy, pdf_file

S = RemedyStatus

LOGGED_IN = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
REMEDY_VIEW = {**LOGGED_IN, "secretary_b": 404}
REMEDY_REPORT = {**REMEDY_VIEW, "commune_leader": 403}
REMEDY_REPORT_POST = {**REMEDY_REPORT, "province_admin": 302, "commune_staff": 302, "secretary_a": 302,
                      "member_a": 302}  # fmt: skip
REMEDY_VERIFY_POST = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=302, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
SHORTCOMING_PICK = {**LOGGED_IN, "commune_leader": 403, "member_a": 403}
CASES_VIEW = statuses(
    anonymous=302, province_admin=200, commune_staff=404, commune_leader=200, secretary_a=404, member_a=404,
    secretary_b=404,
)  # fmt: skip
CASES_MANAGE = {**CASES_VIEW, "commune_leader": 403}
CASES_MANAGE_POST = {**CASES_MANAGE, "province_admin": 302}
API_LOGGED_IN = {**LOGGED_IN, "anonymous": 401}
API_REMEDY_VIEW = {**REMEDY_VIEW, "anonymous": 401}
API_CASES_VIEW = {**CASES_VIEW, "anonymous": 401}


def _remedy(status=S.IN_PROGRESS):
    def build(world):
        remedy = make_remedy(world.cell_a, responsible=world.member_a_record, status=status)
        if status == S.IN_PROGRESS:
            add_evidence(remedy)
        return remedy

    return build


def _remedy_url(status=S.IN_PROGRESS, suffix=""):
    return lambda w: f"/inspection/remedies/{_remedy(status)(w).pk}/{suffix}"


def _evidence_url(world):
    return f"/inspection/remedies/updates/{add_evidence(_remedy(S.OPEN)(world)).pk}/evidence/"


def _case_url(steps=(), suffix=""):
    return lambda w: f"/inspection/cases/{make_case(w.cell_a, steps=steps).pk}/{suffix}"


def _document_url(world):
    case = make_case(world.cell_a, steps=("PLAN",))
    return f"/inspection/cases/steps/{case.steps.get().pk}/document/"


def _shortcoming_api(world):
    remedy = make_remedy(world.cell_a, responsible=world.member_a_record)
    remedy.shortcoming.member = world.member_a_record
    remedy.shortcoming.save()
    return f"/api/v1/inspection/shortcomings/{remedy.shortcoming_id}"


def _discipline_api(world):
    from coso.inspection.models import DisciplineRecord

    record = DisciplineRecord.objects.create(
        subject="ORGANIZATION", organization=world.cell_a, form="REPRIMAND", reason="Vi phạm",
        decision_number="01-QĐ/UBKT", decided_on="2026-03-02",
    )  # fmt: skip
    return f"/api/v1/inspection/discipline/{record.pk}"


CASES = [
    Case("inspection:remedy_list", lambda w: "/inspection/remedies/", LOGGED_IN),
    Case("inspection:remedy_detail", _remedy_url(), REMEDY_VIEW),
    Case("inspection:remedy_update_create", _remedy_url(S.OPEN, "updates/new/"), REMEDY_REPORT),
    Case(
        "inspection:remedy_update_create",
        _remedy_url(S.OPEN, "updates/new/"),
        REMEDY_REPORT_POST,
        method="post",
        data=lambda w: {
            "date": "02/01/2026",
            "text": "Đã dự sinh hoạt",
            "progress": "40",
            "evidence": pdf_file(),
        },
    ),  # fmt: skip
    Case(
        "inspection:remedy_transition",
        _remedy_url(S.IN_PROGRESS, "report_done/"),
        REMEDY_REPORT_POST,
        method="post",
        label="POST report_done",
    ),  # fmt: skip
    Case(
        "inspection:remedy_transition",
        _remedy_url(S.REPORTED_DONE, "verify/"),
        REMEDY_VERIFY_POST,
        method="post",
        label="POST verify",
    ),  # fmt: skip
    Case(
        "inspection:remedy_transition",
        _remedy_url(S.REPORTED_DONE, "return/"),
        REMEDY_VERIFY_POST,
        method="post",
        data=lambda w: {"reason": "Chưa đạt"},
        label="POST return",
    ),  # fmt: skip
    Case("inspection:remedy_evidence", _evidence_url, REMEDY_VIEW),
    Case(
        "inspection:shortcoming_create",
        lambda w: "/inspection/shortcomings/new/",
        SHORTCOMING_PICK,
        label="GET shortcoming pick",
    ),  # fmt: skip
    Case(
        "inspection:shortcoming_create",
        lambda w: f"/inspection/shortcomings/new/?org={w.cell_a.pk}",
        {**REMEDY_REPORT_POST, "member_a": 404},
        method="post",
        data=lambda w: {
            "source": "MEETING",
            "year": "2026",
            "text": "Sinh hoạt chưa đều",
            "remedy_title": "Sinh hoạt đúng kỳ",
            "due_date": "30/09/2026",
            "responsible": w.other_a_record.pk,
        },
    ),  # fmt: skip
    Case("inspection:plan_list", lambda w: "/inspection/plans/", CASES_VIEW),
    Case("inspection:plan_detail", lambda w: f"/inspection/plans/{make_plan(w.cell_a).pk}/", CASES_VIEW),
    Case("inspection:plan_create", lambda w: "/inspection/plans/new/", CASES_MANAGE, label="GET plan pick"),
    Case(
        "inspection:plan_create",
        lambda w: f"/inspection/plans/new/?org={w.cell_a.pk}",
        CASES_MANAGE_POST,
        method="post",
        data=lambda w: {
            "year": "2026",
            "title": "Kế hoạch năm 2026",
            "subjects": "Chi bộ",
            "content": "Nghị quyết",
            "starts_on": "01/03/2026",
            "ends_on": "30/11/2026",
        },
    ),  # fmt: skip
    Case("inspection:case_list", lambda w: "/inspection/cases/", CASES_VIEW),
    Case("inspection:case_create", lambda w: "/inspection/cases/new/", CASES_MANAGE, label="GET case pick"),
    Case(
        "inspection:case_create",
        lambda w: f"/inspection/cases/new/?org={w.cell_a.pk}",
        CASES_MANAGE,
        label="GET case form",
    ),  # fmt: skip
    Case(
        "inspection:case_create",
        lambda w: f"/inspection/cases/new/?org={w.cell_a.pk}",
        CASES_MANAGE_POST,
        method="post",
        data=lambda w: {"kind": "REGULAR", "title": "Giám sát", "year": "2026"},
    ),  # fmt: skip
    Case("inspection:case_detail", _case_url(ALL_STEPS), CASES_VIEW),
    Case(
        "inspection:case_step",
        _case_url((), "steps/"),
        CASES_MANAGE_POST,
        method="post",
        data=lambda w: {"step": "PLAN", "date": "02/01/2026"},
    ),  # fmt: skip
    Case(
        "inspection:case_finding",
        _case_url(ALL_STEPS, "findings/"),
        CASES_MANAGE_POST,
        method="post",
        data=lambda w: {
            "text": "Hạn chế",
            "remedy_title": "Khắc phục",
            "due_date": "30/09/2026",
            "responsible": w.other_a_record.pk,
        },
    ),  # fmt: skip
    Case("inspection:case_document", _document_url, CASES_VIEW),
    Case("inspection:discipline_list", lambda w: "/inspection/discipline/", CASES_VIEW),
    Case(
        "inspection:discipline_create",
        lambda w: "/inspection/discipline/new/",
        CASES_MANAGE,
        label="GET discipline pick",
    ),  # fmt: skip
    Case(
        "inspection:discipline_create",
        lambda w: f"/inspection/discipline/new/?org={w.cell_a.pk}",
        CASES_MANAGE_POST,
        method="post",
        data=lambda w: {
            "member": w.other_a_record.pk,
            "form": "REPRIMAND",
            "decision_number": "03-QĐ/UBKT",
            "decided_on": "02/01/2026",
            "reason": "Vi phạm",
        },
    ),  # fmt: skip
    Case("api:remedy_list", lambda w: "/api/v1/inspection/remedies/", API_LOGGED_IN),
    Case("api:remedy_detail", lambda w: f"/api/v1/inspection/remedies/{_remedy()(w).pk}", API_REMEDY_VIEW),
    Case("api:shortcoming_list", lambda w: "/api/v1/inspection/shortcomings/", API_LOGGED_IN),
    Case("api:shortcoming_detail", _shortcoming_api, API_REMEDY_VIEW),
    Case("api:inspection_plan_list", lambda w: "/api/v1/inspection/plans/", API_CASES_VIEW),
    Case(
        "api:inspection_plan_detail",
        lambda w: f"/api/v1/inspection/plans/{make_plan(w.cell_a).pk}",
        API_CASES_VIEW,
    ),  # fmt: skip
    Case("api:inspection_case_list", lambda w: "/api/v1/inspection/cases/", API_CASES_VIEW),
    Case(
        "api:inspection_case_detail",
        lambda w: f"/api/v1/inspection/cases/{make_case(w.cell_a, steps=ALL_STEPS).pk}",
        API_CASES_VIEW,
    ),
    Case("api:inspection_discipline_list", lambda w: "/api/v1/inspection/discipline/", API_CASES_VIEW),
    Case("api:inspection_discipline_detail", _discipline_api, API_CASES_VIEW),
]


@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
