"""Personal data across the product: national ID, phone, address and birth date are masked for roles without
members.view_personal, outsiders get 404, and every full view or export writes one access-log row."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coso.accounts.models import AccessAction, AccessLog, AccessLogItem

pytestmark = pytest.mark.django_db


def personal_values(member) -> list[str]:
    return [
        member.national_id,
        member.phone,
        member.current_address,
        member.date_of_birth.strftime("%d/%m/%Y"),
        member.date_of_birth.isoformat(),
    ]


def assert_hidden(text: str, member) -> None:
    for value in personal_values(member):
        assert value not in text, f"{value!r} shown"


def test_a_member_sees_another_members_page_masked_and_nothing_is_logged(client, world):
    other = world.other_a_record
    client.force_login(world.member_a)
    response = client.get(reverse("members:detail", args=[other.pk]))
    assert response.status_code == 200
    assert other.full_name in response.content.decode()
    assert_hidden(response.content.decode(), other)
    assert not AccessLog.objects.exists()


def test_a_member_sees_the_list_masked(client, world):
    other = world.other_a_record
    client.force_login(world.member_a)
    body = client.get(reverse("members:list")).content.decode()
    assert other.full_name in body
    assert_hidden(body, other)
    assert other.national_id[-3:] + "<" not in body  # not even the last digits of a peer's ID
    assert not AccessLog.objects.exists()


def test_a_member_gets_the_api_list_and_detail_masked(client, world):
    other = world.other_a_record
    client.force_login(world.member_a)
    listed = client.get(reverse("api:member_list")).json()["results"]
    row = next(r for r in listed if r["id"] == other.pk)
    assert row["personal_masked"] is True and row["date_of_birth"] is None and row["current_address"] == ""
    assert_hidden(str(listed), other)
    detail = client.get(reverse("api:member_detail", args=[other.pk])).json()
    assert detail["personal_masked"] is True
    assert_hidden(str(detail), other)
    assert not AccessLog.objects.exists()


def test_a_member_sees_their_own_record_in_full_and_it_is_logged(client, world):
    own = world.member_a_record
    client.force_login(world.member_a)
    body = client.get(reverse("members:detail", args=[own.pk])).content.decode()
    assert own.national_id in body
    assert AccessLog.objects.filter(user=world.member_a, object_id=str(own.pk)).count() == 1


def test_the_outsider_gets_404_and_an_empty_list(client, world):
    other = world.other_a_record
    client.force_login(world.secretary_b)
    assert client.get(reverse("members:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("api:member_detail", args=[other.pk])).status_code == 404
    body = client.get(reverse("members:list")).content.decode()
    assert other.full_name not in body
    assert_hidden(body, other)
    listed = client.get(reverse("api:member_list")).json()["results"]
    assert other.pk not in {r["id"] for r in listed}
    assert client.get(reverse("members:export")).status_code == 403
    # Their own cell's list was logged; nothing about a record outside their cell.
    assert not AccessLogItem.objects.filter(object_id=str(other.pk)).exists()


def test_each_full_view_writes_one_access_log_row(client, world):
    other = world.other_a_record
    client.force_login(world.secretary_a)
    page = client.get(reverse("members:detail", args=[other.pk])).content.decode()
    assert other.national_id in page and other.phone in page
    assert AccessLog.objects.count() == 1
    detail = client.get(reverse("api:member_detail", args=[other.pk])).json()
    assert detail["national_id"] == other.national_id and detail["personal_masked"] is False
    rows = list(AccessLog.objects.order_by("id"))
    assert len(rows) == 2
    assert {(r.user, r.object_id, r.organization_path) for r in rows} == {
        (world.secretary_a, str(other.pk), world.cell_a.path)
    }
    # A list page and an API page each write one entry, with every record they showed.
    client.get(reverse("members:list"))
    client.get(reverse("api:member_list"))
    assert AccessLog.objects.count() == 4
    lists = AccessLog.objects.filter(action=AccessAction.MEMBER_LIST).order_by("id")
    assert [entry.detail.split()[0] for entry in lists] == ["html", "api"]
    for entry in lists:
        assert str(other.pk) in set(entry.items.values_list("object_id", flat=True))
        assert entry.object_count == entry.items.count()


def test_an_export_with_personal_data_writes_one_row_and_a_member_cannot_export(client, world):
    client.force_login(world.member_a)
    assert client.get(reverse("members:export")).status_code == 403
    client.force_login(world.commune_staff)
    response = client.get(reverse("members:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None}
    assert world.other_a_record.national_id in values
    assert AccessLog.objects.filter(user=world.commune_staff, action="member.export").count() == 1
