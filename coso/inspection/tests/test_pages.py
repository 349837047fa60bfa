"""The inspection pages: the inspection role sees its cases, the overdue flag on the lists and the owner's home,
bounded query counts on the list pages, and the menu entries shown only to the roles that may use them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coso.inspection.models import DisciplineRecord, RemedyStatus

from .conftest import ALL_STEPS, make_case, make_plan, make_remedy

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 7, 1)


def test_the_inspection_role_sees_and_runs_cases_of_its_subtree(client, world, inspector):
    own = make_case(world.cell_a, steps=ALL_STEPS)
    outside = make_case(world.cell_d)
    client.force_login(inspector)
    page = client.get("/inspection/cases/").content.decode()
    assert own.title in page and outside.title not in page
    assert client.get(f"/inspection/cases/{outside.pk}/").status_code == 404
    detail = client.get(f"/inspection/cases/{own.pk}/").content.decode()
    assert "Thêm hạn chế từ kết luận" in detail
    response = client.post(
        f"/inspection/cases/{own.pk}/findings/",
        {"text": "Hạn chế", "remedy_title": "Khắc phục", "due_date": "30/09/2026",
         "responsible": world.other_a_record.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert own.shortcomings.get().remedies.get().responsible == world.other_a_record


def test_menu_shows_cases_only_to_inspection_roles(client, world, inspector):
    client.force_login(world.commune_staff)
    page = client.get("/").content.decode()
    assert "/inspection/remedies/" in page and "/inspection/cases/" not in page
    client.force_login(inspector)
    assert "/inspection/cases/" in client.get("/").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_overdue_remedy_on_the_owners_home_and_lists(client, world):
    late = make_remedy(world.cell_a, responsible=world.member_a_record, due_date=dt.date(2026, 6, 20))
    make_remedy(world.cell_a, responsible=world.member_a_record, due_date=dt.date(2026, 8, 1))
    client.force_login(world.member_a)
    home = client.get("/").content.decode()
    assert 'data-testid="home-remedies"' in home and late.title in home
    listing = client.get("/inspection/remedies/").content.decode()
    assert listing.count('data-testid="overdue"') == 1
    assert (
        client.get("/inspection/remedies/?overdue=yes").content.decode().count('data-testid="remedy-row"')
        == 1
    )
    client.force_login(world.commune_staff)
    assert late.title in client.get("/").content.decode()


def test_member_page_shows_open_remedies_to_those_who_see_them(client, world):
    remedy = make_remedy(world.cell_a, responsible=world.member_a_record)
    url = f"/members/{world.member_a_record.pk}/"
    for user, shown in ((world.member_a, True), (world.secretary_a, True), (world.commune_staff, True)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert (remedy.title in page) is shown, user
    hidden = make_remedy(world.cell_a, responsible=world.other_a_record)
    client.force_login(world.member_a)
    page = client.get(f"/members/{world.other_a_record.pk}/")
    assert page.status_code == 200 and hidden.title not in page.content.decode()


def test_remedies_to_verify_box(client, world):
    waiting = make_remedy(world.cell_a, responsible=world.member_a_record, status=RemedyStatus.REPORTED_DONE)
    make_remedy(world.cell_a, responsible=world.member_a_record)
    client.force_login(world.commune_leader)
    page = client.get("/inspection/remedies/?box=verify").content.decode()
    assert page.count('data-testid="remedy-row"') == 1 and waiting.title in page


LIST_PAGES = (
    "/inspection/remedies/?box=all",
    "/inspection/cases/",
    "/inspection/plans/",
    "/inspection/discipline/",
)


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_run_the_same_queries_for_one_row_or_many(client, world, django_assert_num_queries, url):
    """The number of queries of a list page does not grow with its rows (no query per row)."""

    def add_rows():
        make_remedy(world.cell_a, responsible=world.member_a_record)
        make_case(world.cell_a, steps=ALL_STEPS[:2], member=world.other_a_record)
        make_plan(world.cell_a)
        DisciplineRecord.objects.create(
            subject="MEMBER", member=world.other_a_record, organization=world.cell_a, form="REPRIMAND",
            reason="Vi phạm", decision_number="01", decided_on=dt.date(2026, 3, 2),
        )  # fmt: skip

    add_rows()
    client.force_login(world.province_admin)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(7):
        add_rows()
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
