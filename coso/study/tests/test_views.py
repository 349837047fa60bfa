"""Study pages and API: the normal flows, exports reopened, query budgets on lists, the campaign page and panels."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from docx import Document as Docx

from coso.meetings.models import AttendanceStatus
from coso.study import services
from coso.study.models import Grade, LearningReport, ReportStatus
from coso.testing.factories import make_member, make_org

from .conftest import TZ, make_document, make_session


@pytest.fixture
def running(world, campaign):
    """Cell A held its session (member_a present, An absent); member_a submitted, the secretary reviewed."""
    make_session(
        campaign,
        world.cell_a,
        attendance={
            world.member_a_record: AttendanceStatus.PRESENT,
            world.other_a_record: AttendanceStatus.ABSENT_UNEXCUSED,
        },
    )
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    services.report_update(actor=world.member_a, report=report, body="Tâm đắc nhất...", expected_version=None)
    report = services.report_submit(actor=world.member_a, report=report)
    services.report_review(actor=world.secretary_a, report=report, grade=Grade.GOOD, comment="Tốt")
    return campaign


def test_member_writes_and_submits_a_report_through_the_page(client, world, campaign):
    client.force_login(world.member_a)
    url = reverse("study:report_mine", args=[campaign.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": "Những điều tâm đắc khi học Nghị quyết 57", "save": "1"})
    assert response.status_code == 302
    report = LearningReport.objects.get(member=world.member_a_record)
    assert report.status == ReportStatus.DRAFT
    response = client.post(url, {"body": report.body, "version": report.version, "submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_report_page_keeps_the_text_when_html_is_refused(client, world, campaign):
    client.force_login(world.member_a)
    response = client.post(
        reverse("study:report_mine", args=[campaign.pk]), {"body": "<b>đậm</b>", "submit": "1"}
    )
    assert response.status_code == 200
    assert "&lt;b&gt;đậm&lt;/b&gt;" in response.content.decode()
    assert response.context["form"].errors["body"]


def test_secretary_returns_a_report_from_its_page(client, world, campaign):
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    services.report_update(actor=world.member_a, report=report, body="Nội dung", expected_version=None)
    report = services.report_submit(actor=world.member_a, report=report)
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("study:report_detail", args=[report.pk]),
        {"comment": "Bổ sung phần liên hệ bản thân", "return": "1", "version": report.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_xlsx_export_has_figures_and_members(client, world, running):
    client.force_login(world.commune_staff)
    response = client.get(reverse("study:campaign_export_xlsx", args=[running.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    orgs, members = book.worksheets
    header = [c.value for c in orgs[1]]
    assert len(header) == 11
    rows = {row[0].strip(): row for row in orgs.iter_rows(min_row=2, values_only=True)}
    cell_a = rows["Chi bộ khu vực 1"]
    # required, exempted, sessions held, attendance rate, not studied, submitted, reviewed
    assert cell_a[1:8] == (2, 0, 1, 50, 1, 1, 1)
    listed = {row[0]: row for row in members.iter_rows(min_row=2, values_only=True)}
    assert set(listed) == {"Nguyễn Thị Hoà", "Trần Văn An", "Lê Văn Bình"}
    assert listed["Nguyễn Thị Hoà"][4] and not listed["Trần Văn An"][4]


def test_docx_export_has_the_tables(client, world, running):
    client.force_login(world.secretary_a)
    response = client.get(reverse("study:campaign_export_docx", args=[running.pk]))
    assert response.status_code == 200
    document = Docx(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert running.title in text
    assert len(document.tables) == 2
    figures, members = document.tables
    assert [row.cells[0].text.strip() for row in figures.rows[1:]] == [
        "Chi bộ khu vực 1"
    ]  # secretary_a's scope
    names = [row.cells[0].text for row in members.rows[1:]]
    assert names == ["Trần Văn An", "Nguyễn Thị Hoà"] or set(names) == {"Trần Văn An", "Nguyễn Thị Hoà"}


def _more_cells(world, campaign, n):
    for i in range(n):
        cell = make_org(parent=world.commune, name=f"Chi bộ số {i}")
        member = make_member(cell)
        make_session(campaign, cell, attendance={member: AttendanceStatus.PRESENT})


def test_campaign_page_costs_the_same_with_more_cells(client, world, running, django_assert_max_num_queries):
    client.force_login(world.commune_staff)
    url = reverse("study:campaign_detail", args=[running.pk])
    client.get(url)
    _more_cells(world, running, 8)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["progress"].rows) == 11


def test_a_province_campaign_page_opens_the_tree_level_by_level(client, world, running):
    """The progress table lists the campaign's organization and its children only; an organization's link opens
    its own children (the breadcrumb leads back), and an organization outside the campaign's tree is not found."""
    from coso.study.tests.conftest import make_campaign

    province_campaign = make_campaign(world.province, list(running.documents.all()), title="Đợt học tỉnh")
    make_session(
        province_campaign, world.cell_a, attendance={world.member_a_record: AttendanceStatus.PRESENT}
    )
    client.force_login(world.province_admin)
    url = reverse("study:campaign_detail", args=[province_campaign.pk])
    response = client.get(url)
    rows = response.context["progress"].rows
    assert [row.organization.code for row in rows] == ["P", "C1", "C2"]
    assert rows[0].studied == 1 and rows[0].required == 4
    page = response.content.decode()
    assert f'href="?org={world.commune.pk}"' in page and f'href="?org={world.cell_a.pk}"' not in page

    opened = client.get(url, {"org": world.commune.pk})
    rows = opened.context["progress"].rows
    assert [row.organization.code for row in rows] == ["C1", "A", "B"]
    assert (rows[0].studied, rows[1].studied, rows[2].studied) == (1, 1, 0)
    assert [org.code for org in opened.context["trail"]] == ["P"]
    assert f'href="?org={world.province.pk}"' in opened.content.decode()

    # A commune campaign does not open the other commune, nor the province above it.
    assert (
        client.get(reverse("study:campaign_detail", args=[running.pk]), {"org": world.cell_d.pk}).status_code
        == 404
    )
    assert (
        client.get(
            reverse("study:campaign_detail", args=[running.pk]), {"org": world.province.pk}
        ).status_code
        == 404
    )
    assert client.get(url, {"org": "x"}).status_code == 404


def test_commune_staff_sees_their_commune_of_a_province_campaign(client, world, running):
    from coso.study.tests.conftest import make_campaign

    province_campaign = make_campaign(world.province, list(running.documents.all()), title="Đợt học tỉnh")
    client.force_login(world.commune_staff)
    url = reverse("study:campaign_detail", args=[province_campaign.pk])
    rows = client.get(url).context["progress"].rows
    assert [row.organization.code for row in rows] == ["C1", "A", "B"]
    assert client.get(url, {"org": world.commune2.pk}).status_code == 404


def test_reports_are_found_by_campaign_and_by_name_without_diacritics(client, world, running):
    from coso.core.text import fold
    from coso.study.tests.conftest import make_campaign

    other = make_campaign(world.commune, list(running.documents.all()), title="Đợt học khác")
    services.report_start(actor=world.member_a, campaign=other, member=world.member_a_record)
    client.force_login(world.secretary_a)
    url = reverse("study:report_list")
    names = fold(world.member_a_record.full_name).split()
    found = client.get(url, {"q": " ".join(names[-2:])}).context["page"].object_list
    assert {r.member_id for r in found} == {world.member_a_record.pk} and len(found) == 2
    in_campaign = client.get(url, {"campaign": running.pk}).context["page"].object_list
    assert {r.campaign_id for r in in_campaign} == {running.pk}
    assert client.get(url, {"q": "khong co ai ten nay"}).context["page"].paginator.count == 0
    api = client.get(reverse("api:report_list"), {"q": names[-1]}).json()
    assert api["count"] == 2
    elsewhere = make_campaign(world.commune2, list(running.documents.all()), title="Đợt học xã khác")
    assert client.get(url, {"campaign": elsewhere.pk}).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["study:document_list", "study:campaign_list", "study:report_list", "study:plan_list"],
)
def test_list_pages_have_a_fixed_query_budget(client, world, running, name, django_assert_max_num_queries):
    for i in range(6):
        make_document(world.province, number=f"{i}-HD/TW", title=f"Hướng dẫn {i}")
    client.force_login(world.commune_staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200


def test_campaign_members_page_has_a_fixed_query_budget(
    client, world, running, django_assert_max_num_queries
):
    _more_cells(world, running, 5)
    client.force_login(world.commune_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("study:campaign_members", args=[running.pk]))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 8


@pytest.mark.parametrize(
    "name", ["api:study_document_list", "api:campaign_list", "api:report_list", "api:plan_list"]
)
def test_list_apis_have_a_fixed_query_budget(client, world, running, name, django_assert_max_num_queries):
    client.force_login(world.commune_staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse(name)).status_code == 200


def test_api_search_without_accents(client, world, library):
    client.force_login(world.member_a)
    data = client.get(
        reverse("api:study_document_list"), {"q": "dieu le dang", "validity": "in_force"}
    ).json()
    assert [d["number"] for d in data["results"]] == ["232-QĐ/TW"]


def test_api_review_with_a_wrong_grade_names_the_field(client, world, campaign):
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    services.report_update(actor=world.member_a, report=report, body="x", expected_version=None)
    services.report_submit(actor=world.member_a, report=report)
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("api:report_review", args=[report.pk]),
        {"grade": "EXCELLENT"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "grade" in response.json()["fields"]


def test_member_home_shows_study_to_do_and_the_plan(client, world, campaign, django_assert_max_num_queries):
    client.force_login(world.member_a)
    response = client.get(reverse("core:home"))
    body = response.content.decode()
    assert 'data-testid="home-study"' in body and campaign.title in body
    assert reverse("study:report_mine", args=[campaign.pk]) in body
    assert 'data-testid="home-plan"' in body


@pytest.mark.parametrize(("today", "overdue"), [("2026-04-10 20:00", False), ("2026-04-11 08:00", True)])
def test_member_home_marks_a_learning_report_past_its_due_date_overdue(
    client, world, campaign, today, overdue
):
    with time_machine.travel(dt.datetime.fromisoformat(today).replace(tzinfo=TZ), tick=False):
        client.force_login(world.member_a)
        body = client.get(reverse("core:home")).content.decode()
    assert campaign.title in body
    assert ('data-testid="report-overdue"' in body) is overdue


def test_secretary_home_lists_reports_to_review(client, world, campaign):
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    services.report_update(actor=world.member_a, report=report, body="x", expected_version=None)
    services.report_submit(actor=world.member_a, report=report)
    client.force_login(world.secretary_a)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-reports-to-review"' in body and "Nguyễn Thị Hoà" in body
    client.force_login(world.secretary_b)
    assert 'data-testid="home-reports-to-review"' not in client.get(reverse("core:home")).content.decode()


def test_the_home_lists_the_reports_waiting_longest_first(client, world, campaign):
    from coso.accounts.models import Role
    from coso.testing.factories import make_user

    other = make_user("member_an", role=Role.MEMBER, organization=world.cell_a, member=world.other_a_record)
    for user, day in ((world.member_a, 2), (other, 3)):
        with time_machine.travel(dt.datetime(2026, 4, day, 9, 0, tzinfo=TZ), tick=False):
            report = services.report_start(actor=user, campaign=campaign, member=user.member)
            services.report_update(actor=user, report=report, body="x", expected_version=None)
            services.report_submit(actor=user, report=report)
    client.force_login(world.secretary_a)
    body = client.get(reverse("core:home")).content.decode()
    panel = body[body.index('data-testid="home-reports-to-review"') :]
    # Nguyễn Thị Hoà submitted a day before Trần Văn An, whose name sorts first (by the given name).
    assert panel.index("Nguyễn Thị Hoà") < panel.index("Trần Văn An")


def test_committee_home_shows_campaign_progress(client, world, running):
    client.force_login(world.commune_leader)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-campaigns"' in body and running.title in body


def test_panels_cost_a_fixed_number_of_queries(rf, world, running):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coso.accounts import permissions
    from coso.study.home import home_panels, member_panels

    for user, most in [(world.member_a, 4), (world.secretary_a, 2), (world.commune_leader, 5)]:
        request = rf.get("/")
        request.user = user
        permissions.grants_of(user)
        with CaptureQueriesContext(connection) as queries:
            home_panels(request, dt.date(2026, 3, 20))
        assert len(queries) <= most, (user.username, [q["sql"] for q in queries])
    request = rf.get("/")
    request.user = world.secretary_a
    with CaptureQueriesContext(connection) as queries:
        panels = member_panels(request, dt.date(2026, 3, 20), world.member_a_record)
    assert len(queries) <= 2 and panels


def test_member_page_shows_the_study_panel(client, world, running):
    client.force_login(world.secretary_a)
    body = client.get(reverse("members:detail", args=[world.member_a_record.pk])).content.decode()
    assert 'data-testid="member-study"' in body and running.title in body


def test_a_campaign_is_launched_from_its_page(client, world, library):
    client.force_login(world.commune_leader)
    response = client.post(
        reverse("study:campaign_create"),
        {
            "organization": world.commune.pk,
            "title": "Học tập Kết luận 215-KL/TW",
            "documents": [library["nq57"].pk],
            "starts_on": "01/10/2026",
            "deadline": "20/09/2026",
            "report_due_on": "10/11/2026",
        },
    )
    assert response.status_code == 200
    assert "deadline" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "Học tập Kết luận 215-KL/TW"


def test_session_planned_from_the_campaign_page(client, world, campaign):
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("study:session_create", args=[campaign.pk]),
        {"organization": world.cell_a.pk, "date": "12/03/2026", "time": "08:00", "duration_minutes": 120},
    )
    assert response.status_code == 302
    assert campaign.sessions.get().organization == world.cell_a


def test_a_secretary_with_one_cell_finds_it_chosen(client, world, campaign):
    client.force_login(world.secretary_a)
    form = client.get(reverse("study:session_create", args=[campaign.pk])).context["form"]
    assert form["organization"].value() == world.cell_a.pk
    client.force_login(world.commune_staff)
    form = client.get(reverse("study:session_create", args=[campaign.pk])).context["form"]
    assert form["organization"].value() is None


def test_plan_page_flow(client, world):
    client.force_login(world.member_a)
    url = reverse("study:plan_mine") + "?year=2026"
    # The "start" button posts nothing but the CSRF token (a non-empty POST, as a browser sends it).
    response = client.post(url, {"csrfmiddlewaretoken": "x"}, follow=True)
    body = response.content.decode()
    assert "ManagementForm" not in body
    formset = response.context["formset"]
    assert not formset.is_bound and len(formset.forms) == 2
    assert 'name="c-0-text"' in body and 'name="c-TOTAL_FORMS"' in body
    data = {
        "version": str(response.context["plan"].version),
        "c-TOTAL_FORMS": formset.management_form["TOTAL_FORMS"].value(),
        "c-INITIAL_FORMS": formset.management_form["INITIAL_FORMS"].value(),
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "30",
        "c-0-text": "Thực hành tiết kiệm",
        "c-0-target": "Giảm 10% chi phí",
        "c-0-deadline": "30/11/2026",
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    plan = world.member_a_record.follow_through_plans.get(year=2026)
    assert plan.status == "SUBMITTED" and plan.commitments.count() == 1


def test_the_progress_api_reads_a_province_campaign_level_by_level(client, world, running):
    from coso.study.tests.conftest import make_campaign

    province_campaign = make_campaign(world.province, list(running.documents.all()), title="Đợt học tỉnh")
    make_session(
        province_campaign, world.cell_a, attendance={world.member_a_record: AttendanceStatus.PRESENT}
    )
    client.force_login(world.province_admin)
    url = reverse("api:campaign_progress", args=[province_campaign.pk])
    top = client.get(url).json()
    assert [row["organization"]["code"] for row in top] == ["P", "C1", "C2"]
    assert top[0]["studied"] == top[1]["studied"] + top[2]["studied"] == 1
    commune = client.get(url, {"org": world.commune.pk}).json()
    assert [row["organization"]["code"] for row in commune] == ["C1", "A", "B"]
    assert {**commune[0], "depth": 1} == top[1]  # depth counts from the first row listed
    whole = client.get(url, {"levels": 2}).json()
    assert len(whole) == 6
    refused = client.get(url, {"levels": 9})
    assert refused.status_code in (400, 422) and "levels" in refused.json()["fields"]
    assert client.get(url, {"org": world.cell_d.pk + 1000}).status_code == 404
