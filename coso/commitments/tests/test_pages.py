"""The hard-task pages: the upper committee's subtree list (filters, overdue flags, bounded queries), the export,
the task page's buttons, registering and reporting through the forms, panels on the home and member pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from coso.commitments.models import HardTask, HardTaskStatus

from .conftest import add_evidence, make_task, pdf_file

S = HardTaskStatus
TODAY = dt.datetime(2026, 7, 10, 9, 0)
pytestmark = pytest.mark.django_db


@pytest.fixture
def tree_of_tasks(world):
    """The province's task split into both communes' tasks, one overdue, one verified, plus cell tasks."""
    city = make_task(world.province, status=S.IN_PROGRESS, title="Giải quyết dứt điểm khiếu nại đất đai")
    c1 = make_task(
        world.commune, parent=city, status=S.IN_PROGRESS, own_progress=40, due_date=dt.date(2026, 6, 30)
    )
    c2 = make_task(world.commune2, parent=city, status=S.VERIFIED, own_progress=100)
    cell = make_task(world.cell_a, status=S.REGISTERED, title="Nâng cao chất lượng sinh hoạt chi bộ")
    draft = make_task(world.cell_d, title="Xóa nhà tạm cho hộ nghèo")
    from coso.core.tracking import refresh_progress

    refresh_progress(HardTask, [city.pk])
    return {"city": city, "c1": c1, "c2": c2, "cell": cell, "draft": draft}


@time_machine.travel(TODAY, tick=False)
def test_the_province_sees_every_commitment_with_progress_and_overdue_flags(client, world, tree_of_tasks):
    client.force_login(world.province_admin)
    response = client.get("/commitments/")
    html = response.content.decode()
    assert response.status_code == 200
    for task in tree_of_tasks.values():
        assert task.title in html
    assert html.count('data-testid="task-row"') == 5
    assert html.count('data-testid="overdue"') == 1
    assert "70%" in html  # the province's task: mean of 40 and 100
    assert response.context["summary"]["overdue"] == 1
    assert response.context["summary"]["VERIFIED"] == 1


@time_machine.travel(TODAY, tick=False)
def test_a_commune_sees_only_its_subtree(client, world, tree_of_tasks):
    client.force_login(world.commune_leader)
    titles = {row["task"].title for row in client.get("/commitments/").context["rows"]}
    assert titles == {tree_of_tasks["c1"].title, tree_of_tasks["cell"].title}


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("overdue=yes", {"c1"}),
        ("status=VERIFIED", {"c2"}),
        ("status=DRAFT", {"draft"}),
        ("org={commune2}", {"c2", "draft"}),
        ("q=nha tam", {"draft"}),
        ("year=2025", set()),
    ],
)
def test_filters(client, world, tree_of_tasks, query, expected):
    client.force_login(world.province_admin)
    response = client.get("/commitments/?" + query.format(commune2=world.commune2.pk), HTTP_HX_REQUEST="true")
    titles = {row["task"].title for row in response.context["rows"]}
    assert titles == {tree_of_tasks[key].title for key in expected}
    assert "<html" not in response.content.decode()


def test_an_organization_outside_scope_in_the_filter_is_an_error(client, world, tree_of_tasks):
    client.force_login(world.secretary_b)
    response = client.get(f"/commitments/?org={world.commune2.pk}")
    assert response.context["form"].errors["org"]
    assert response.context["rows"] == []


@time_machine.travel(TODAY, tick=False)
def test_the_list_page_costs_the_same_queries_whatever_the_number_of_tasks(
    client, world, django_assert_num_queries
):
    client.force_login(world.commune_staff)
    make_task(world.cell_a, status=S.IN_PROGRESS)
    client.get("/commitments/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        client.get("/commitments/?year=2026")
    for org in (world.cell_a, world.cell_b, world.commune):
        for _ in range(4):
            parent = make_task(org, status=S.IN_PROGRESS, due_date=dt.date(2026, 6, 1))
            make_task(org, parent=parent, status=S.REGISTERED, due_date=dt.date(2026, 5, 1))
    with django_assert_num_queries(len(baseline)):
        response = client.get("/commitments/?year=2026")
    assert len(response.context["rows"]) == 25


@time_machine.travel(TODAY, tick=False)
def test_the_export_has_the_filtered_rows_in_vietnamese(client, world, tree_of_tasks):
    client.force_login(world.province_admin)
    response = client.get("/commitments/export/?overdue=yes")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Tổ chức đảng", "Mã", "Năm", "Loại vấn đề", "Tên việc")
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Tên việc"] == tree_of_tasks["c1"].title
    assert row["Thuộc việc"] == tree_of_tasks["city"].title
    assert row["Hạn hoàn thành"] == "30/06/2026"
    assert row["Tiến độ (%)"] == 40
    assert row["Quá hạn"] == "có"
    assert row["Số ngày quá hạn"] == 10


def test_the_task_page_shows_the_upper_committee_its_buttons_and_not_the_cell(client, world, reported):
    client.force_login(world.commune_leader)
    html = client.get(f"/commitments/{reported.pk}/").content.decode()
    assert 'data-action="verify"' in html and 'data-action="return"' in html
    client.force_login(world.secretary_a)
    html = client.get(f"/commitments/{reported.pk}/").content.decode()
    assert 'data-action="verify"' not in html
    assert "bien-ban.pdf" in html


def test_the_task_page_of_the_commune_does_not_let_the_commune_verify_it(client, world):
    own = make_task(world.commune, status=S.REPORTED_DONE)
    add_evidence(own)
    client.force_login(world.commune_staff)
    assert 'data-action="verify"' not in client.get(f"/commitments/{own.pk}/").content.decode()
    response = client.post(f"/commitments/{own.pk}/verify/")
    assert response.status_code == 403


def test_the_task_page_query_count_is_bounded(client, world, django_assert_max_num_queries):
    whole = make_task(world.commune, status=S.IN_PROGRESS)
    for org in (world.cell_a, world.cell_b):
        for _ in range(3):
            add_evidence(make_task(org, parent=whole, status=S.IN_PROGRESS))
    add_evidence(whole)
    client.force_login(world.commune_staff)
    with django_assert_max_num_queries(20):
        response = client.get(f"/commitments/{whole.pk}/")
    assert len(response.context["children"]) == 6


def test_registering_through_the_form_then_submitting(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        f"/commitments/new/?org={world.cell_a.pk}",
        {"title": "Nâng cao chất lượng sinh hoạt chi bộ", "kind": "WEAK_LINK", "due_date": "30/11/2026",
         "responsible": world.member_a_record.pk, "weight": "1", "target_result": "100% kỳ họp đủ nội dung"},
    )  # fmt: skip
    task = HardTask.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/commitments/{task.pk}/"
    assert task.kind == "WEAK_LINK" and task.due_date == dt.date(2026, 11, 30)
    client.post(f"/commitments/{task.pk}/submit/")
    task.refresh_from_db()
    assert task.status == S.SUBMITTED


def test_the_form_keeps_what_was_typed_and_answers_in_vietnamese(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        f"/commitments/new/?org={world.cell_a.pk}",
        {"title": "Việc khó của chi bộ", "kind": "HARD_TASK", "due_date": "31/02/2026"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Việc khó của chi bộ" in html
    assert 'data-field="due_date"' in html
    assert "Vui lòng sửa các lỗi bên dưới." in html or "Hãy" in html
    assert not HardTask.objects.exists()


def test_a_progress_update_with_a_bad_file_is_refused_with_the_reason(client, world, registered):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.secretary_a)
    response = client.post(
        f"/commitments/{registered.pk}/updates/new/",
        {"date": "02/01/2026", "text": "Đã vận động", "evidence": SimpleUploadedFile("a.exe", b"MZ\x90")},
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not registered.updates.exists()
    response = client.post(
        f"/commitments/{registered.pk}/updates/new/",
        {"date": "02/01/2026", "text": "Đã vận động", "progress": "30", "evidence": pdf_file()},
    )
    assert response.status_code == 302
    update = registered.updates.get()
    evidence = client.get(f"/commitments/updates/{update.pk}/evidence/")
    assert evidence.status_code == 200
    assert b"".join(evidence.streaming_content).startswith(b"%PDF")


def test_returning_from_the_page_needs_a_reason(client, world, reported):
    client.force_login(world.commune_staff)
    response = client.post(f"/commitments/{reported.pk}/return/", {"reason": ""}, follow=True)
    assert "Hãy nêu lý do trả lại cam kết." in response.content.decode()
    reported.refresh_from_db()
    assert reported.status == S.REPORTED_DONE
    client.post(f"/commitments/{reported.pk}/return/", {"reason": "Chưa có biên bản nghiệm thu"})
    reported.refresh_from_db()
    assert reported.status == S.RETURNED and reported.returned_reason == "Chưa có biên bản nghiệm thu"


@time_machine.travel(TODAY, tick=False)
def test_the_home_panel_summarises_the_subtree_in_a_fixed_number_of_queries(client, world, tree_of_tasks):
    from django.test import RequestFactory

    from coso.commitments.panels import home_panels

    request = RequestFactory().get("/")
    request.user = world.province_admin
    home_panels(request, TODAY.date())  # grants cached on the user
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        (panel,) = home_panels(request, TODAY.date())
    assert len(queries) <= 3
    assert panel.context["summary"]["total"] == 5
    assert [row["task"].pk for row in panel.context["overdue"]] == [tree_of_tasks["c1"].pk]
    client.force_login(world.commune_leader)
    html = client.get("/").content.decode()
    assert 'data-testid="home-commitments"' in html


def test_a_member_without_a_role_to_act_gets_no_home_panel(client, world, tree_of_tasks):
    client.force_login(world.member_a)
    assert 'data-testid="home-commitments"' not in client.get("/").content.decode()


def test_the_member_page_lists_the_commitments_the_member_answers_for(client, world):
    make_task(
        world.cell_a, status=S.IN_PROGRESS, responsible=world.member_a_record, title="Vận động hiến đất"
    )
    client.force_login(world.member_a)
    html = client.get(f"/members/{world.member_a_record.pk}/").content.decode()
    assert 'data-testid="member-commitments"' in html and "Vận động hiến đất" in html
