"""The access log page: administrators, committee leaders and inspection, scoped, filtered, paged and exported to XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from coso.accounts.models import AccessLog, Role
from coso.testing.factories import make_user

pytestmark = pytest.mark.django_db


def test_an_administrator_reads_the_log_of_their_subtree_only(client, world, log_rows):
    a, d = log_rows
    admin_c1 = make_user("admin_c1", role=Role.SYSTEM_ADMIN, organization=world.commune)
    client.force_login(admin_c1)
    response = client.get(reverse("accounts:access_log"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [a]
    client.force_login(world.province_admin)
    assert set(client.get(reverse("accounts:access_log")).context["page"].object_list) == {a, d}


@pytest.mark.parametrize("role", [Role.COMMITTEE_LEADER, Role.INSPECTION])
def test_leaders_and_inspection_read_the_log_of_their_subtree(client, world, log_rows, role):
    a, _d = log_rows
    reader = make_user(f"reader_{role}", role=role, organization=world.commune)
    client.force_login(reader)
    response = client.get(reverse("accounts:access_log"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [a]
    assert client.get(reverse("accounts:access_log_export")).status_code == 200


def test_other_roles_are_refused(client, world, log_rows):
    for user in (world.commune_staff, world.secretary_a, world.member_a):
        client.force_login(user)
        assert client.get(reverse("accounts:access_log")).status_code == 403
        assert client.get(reverse("accounts:access_log_export")).status_code == 403


def test_the_log_filters_by_user_record_and_dates(client, world, log_rows):
    a, d = log_rows
    AccessLog.objects.filter(pk=d.pk).update(at=timezone.make_aware(dt.datetime(2026, 1, 15, 10, 0)))
    client.force_login(world.province_admin)

    def listed(**params):
        return list(client.get(reverse("accounts:access_log"), params).context["page"].object_list)

    assert listed(user="commune_staff") == [a]
    assert listed(record="Phạm Văn") == [d]
    assert listed(record=str(world.other_a_record.pk)) == [a]
    assert listed(date_from="15/01/2026", date_to="15/01/2026") == [d]
    assert listed(date_to="14/01/2026") == []


def test_a_bad_date_range_is_reported_in_vietnamese(client, world, log_rows):
    client.force_login(world.province_admin)
    response = client.get(
        reverse("accounts:access_log"), {"date_from": "20/11/2026", "date_to": "01/11/2026"}
    )
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()
    assert response.context["form"]["date_from"].value() == "20/11/2026"


def test_the_log_is_paged_with_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    AccessLog.objects.bulk_create(
        AccessLog(
            user=world.commune_staff,
            action="member.view",
            object_type="members.member",
            object_id=str(n),
            object_label=f"Hồ sơ {n}",
            organization_path=world.cell_a.path,
        )
        for n in range(120)
    )
    client.force_login(world.province_admin)
    client.get(reverse("accounts:access_log"))
    with django_assert_max_num_queries(7):  # + the tree's roots: the administrator's scope holds them all
        response = client.get(reverse("accounts:access_log"), {"page": 3})
    page = response.context["page"]
    assert page.number == 3 and page.paginator.num_pages == 3 and len(page.object_list) == 20


def test_the_export_reopens_with_the_filtered_rows(client, world, log_rows):
    a, _d = log_rows
    client.force_login(world.province_admin)
    response = client.get(reverse("accounts:access_log_export"), {"user": "commune_staff"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="access-log-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Thời gian" and rows[0][3] == "Hồ sơ"
    assert len(rows) == 2
    assert rows[1][1:4] == (
        "commune_staff",
        "Xem hồ sơ đảng viên",
        a.object_label,
    )  # the action's Vietnamese name
    assert rows[1][6] == "10.0.0.1"
