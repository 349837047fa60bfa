"""The members JSON API: list with the page's filters, detail (access-logged), create, update, events, transfer."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.accounts.models import AccessAction, AccessLog
from coso.accounts.services import token_create
from coso.members.models import EventKind, Member, MemberStatus
from coso.members.personal import mask
from coso.testing.factories import make_member, national_id_for

pytestmark = pytest.mark.django_db
LIST = reverse("api:member_list")
CREATE = reverse("api:member_create")


def detail(member) -> str:
    return reverse("api:member_detail", args=[member.pk])


def events(member) -> str:
    return reverse("api:member_event_list", args=[member.pk])


def as_user(client, user):
    client.force_login(user)
    return client


def new_member_payload(world, **overrides) -> dict:
    born = dt.date(1988, 8, 8)
    data = {
        "organization": world.cell_a.pk,
        "full_name": "Lâm Thị Ngọc Ánh",
        "gender": "F",
        "date_of_birth": "08/08/1988",
        "admitted_on": "2014-02-03",
        "full_member_on": "2015-02-03",
        "national_id": national_id_for("F", born, 4242),
        "phone": "0911222333",
        "theory_level": "ELEMENTARY",
    }
    data.update(overrides)
    return data


# --- list ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["nguyen thi hoa", "Hòa", "Hoà", unicodedata.normalize("NFD", "Nguyễn Thị Hoà")]
)
def test_list_searches_like_the_page(client, world, query):
    body = as_user(client, world.commune_staff).get(LIST, {"q": query}).json()
    assert [m["full_name"] for m in body["results"]] == ["Nguyễn Thị Hoà"]
    assert body["count"] == 1


def test_list_sorts_and_pages(client, world):
    as_user(client, world.province_admin)
    first = client.get(LIST, {"page_size": 2}).json()
    second = client.get(LIST, {"page_size": 2, "page": 2}).json()
    names = [m["full_name"] for m in first["results"] + second["results"]]
    assert names == ["Trần Văn An", "Lê Văn Bình", "Phạm Văn Dũng", "Nguyễn Thị Hoà"]
    assert (first["count"], first["pages"]) == (4, 2)


def test_list_filters_by_organization(client, world):
    body = as_user(client, world.province_admin).get(LIST, {"org": world.commune2.pk}).json()
    assert [m["full_name"] for m in body["results"]] == ["Phạm Văn Dũng"]


def test_list_masks_personal_fields_for_a_member(client, world):
    results = as_user(client, world.member_a).get(LIST).json()["results"]
    by_name = {m["full_name"]: m for m in results}
    other, own = by_name["Trần Văn An"], by_name["Nguyễn Thị Hoà"]
    assert other["personal_masked"] is True
    assert other["date_of_birth"] is None and other["current_address"] == ""
    assert other["national_id"] == "" and other["phone"] == "" and other["birth_year"] is None
    assert other["card_number"] == ""
    assert own["personal_masked"] is False and own["national_id"] == world.member_a_record.national_id


def test_list_shows_personal_fields_to_a_secretary_masked_unless_revealed(client, world):
    api = as_user(client, world.secretary_a)
    ids = {world.member_a_record.national_id, world.other_a_record.national_id}
    results = api.get(LIST).json()["results"]
    assert {m["national_id"] for m in results} == {mask(n) for n in ids}
    assert all(m["personal_masked"] for m in results)
    revealed = api.get(LIST, {"reveal": "1"}).json()["results"]
    assert {m["national_id"] for m in revealed} == ids
    # Each page is one access-log entry with the ids it carried.
    entries = list(AccessLog.objects.order_by("id"))
    assert [e.action for e in entries] == [AccessAction.MEMBER_LIST, AccessAction.MEMBER_REVEAL]
    for entry in entries:
        assert set(entry.items.values_list("object_id", flat=True)) == {str(m["id"]) for m in results}


def test_list_bad_filters_are_400_with_field_names(client, world):
    response = as_user(client, world.commune_staff).get(LIST, {"status": "ALIVE", "org": world.cell_d.pk})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {"status", "org"} <= set(body["fields"])
    assert as_user(client, world.commune_staff).get(LIST, {"page_size": 1000}).status_code == 400
    assert "page" in as_user(client, world.commune_staff).get(LIST, {"page": "x"}).json()["fields"]


def test_list_requires_authentication(client, world):
    response = client.get(LIST)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_list_accepts_a_personal_token(client, world):
    _token, raw = token_create(user=world.secretary_b)
    response = client.get(LIST, headers={"Authorization": f"Bearer {raw}"})
    assert [m["full_name"] for m in response.json()["results"]] == ["Lê Văn Bình"]


def test_list_api_uses_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    as_user(client, world.member_a)
    for _i in range(5):
        make_member(world.cell_a)
    client.get(LIST)
    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST, {"sort": "org"})
    baseline = len(ctx.captured_queries)
    for _i in range(25):
        make_member(world.cell_a)
    with django_assert_num_queries(baseline):
        body = client.get(LIST, {"sort": "org"}).json()
    assert len(body["results"]) == 25
    assert baseline <= 6


# --- detail ----------------------------------------------------------------------------------------------------


def test_detail_returns_the_full_record_and_logs_it(client, world):
    member = world.other_a_record
    body = as_user(client, world.commune_staff).get(detail(member)).json()
    assert body["national_id"] == member.national_id and body["personal_masked"] is False
    assert body["periods"][0]["organization"]["code"] == "A"
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.object_id, log.detail) == (
        world.commune_staff,
        "member.view",
        str(member.pk),
        "api",
    )


def test_detail_for_a_member_viewing_another_is_masked_and_not_logged(client, world):
    body = as_user(client, world.member_a).get(detail(world.other_a_record)).json()
    assert body["personal_masked"] is True and body["phone"] != world.other_a_record.phone
    assert not AccessLog.objects.exists()


def test_detail_statuses(client, world):
    member = world.other_a_record
    assert client.get(detail(member)).status_code == 401
    assert as_user(client, world.secretary_b).get(detail(member)).json()["code"] == "not_found"
    assert as_user(client, world.secretary_b).get(detail(member)).status_code == 404
    assert (
        as_user(client, world.province_admin).get(reverse("api:member_detail", args=[987654])).status_code
        == 404
    )


# --- create ----------------------------------------------------------------------------------------------------


def test_create(client, world):
    response = as_user(client, world.commune_staff).post(
        CREATE, new_member_payload(world), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    member = Member.objects.get(pk=body["id"])
    assert member.date_of_birth == dt.date(1988, 8, 8) and member.status == MemberStatus.FULL
    assert body["version"] == 1 and body["organization"]["code"] == "A"


def test_create_missing_field_is_400_naming_it(client, world):
    payload = new_member_payload(world)
    del payload["full_name"]
    response = as_user(client, world.commune_staff).post(CREATE, payload, content_type="application/json")
    assert response.status_code == 400 and "full_name" in response.json()["fields"]


def test_create_bad_date_is_400_naming_it(client, world):
    payload = new_member_payload(world, date_of_birth="31/02/1988")
    response = as_user(client, world.commune_staff).post(CREATE, payload, content_type="application/json")
    assert response.status_code == 400 and "date_of_birth" in response.json()["fields"]


def test_create_rule_violation_is_422_naming_the_field(client, world):
    payload = new_member_payload(
        world, admitted_on="2000-01-01", national_id=world.member_b_record.national_id
    )
    response = as_user(client, world.commune_staff).post(CREATE, payload, content_type="application/json")
    assert response.status_code == 422
    assert {"admitted_on", "national_id"} <= set(response.json()["fields"])


def test_create_statuses(client, world):
    payload = new_member_payload(world)
    assert client.post(CREATE, payload, content_type="application/json").status_code == 401
    assert (
        as_user(client, world.secretary_a).post(CREATE, payload, content_type="application/json").status_code
        == 403
    )
    assert (
        as_user(client, world.secretary_b).post(CREATE, payload, content_type="application/json").status_code
        == 404
    )
    assert not Member.objects.filter(full_name="Lâm Thị Ngọc Ánh").exists()


# --- update ----------------------------------------------------------------------------------------------------


def test_update_changes_only_the_sent_fields(client, world):
    member = world.other_a_record
    url = reverse("api:member_update", args=[member.pk])
    response = as_user(client, world.commune_staff).patch(
        url, {"version": 1, "occupation": "Bác sĩ", "working_away": True}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert (member.occupation, member.working_away, member.version) == ("Bác sĩ", True, 2)
    assert member.phone != ""


def test_stale_update_is_409(client, world):
    member = world.other_a_record
    url = reverse("api:member_update", args=[member.pk])
    as_user(client, world.commune_staff)
    assert (
        client.patch(url, {"version": 1, "occupation": "A"}, content_type="application/json").status_code
        == 200
    )
    response = client.patch(url, {"version": 1, "occupation": "B"}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    member.refresh_from_db()
    assert member.occupation == "A"


def test_update_requires_the_version(client, world):
    url = reverse("api:member_update", args=[world.other_a_record.pk])
    response = as_user(client, world.commune_staff).patch(
        url, {"occupation": "B"}, content_type="application/json"
    )
    assert response.status_code == 400 and "version" in response.json()["fields"]


def test_update_rule_violation_is_422(client, world):
    url = reverse("api:member_update", args=[world.other_a_record.pk])
    response = as_user(client, world.commune_staff).patch(
        url, {"version": 1, "phone": "abc"}, content_type="application/json"
    )
    assert response.status_code == 422 and "phone" in response.json()["fields"]


def test_update_statuses(client, world):
    url = reverse("api:member_update", args=[world.other_a_record.pk])
    payload = {"version": 1, "occupation": "B"}
    assert client.patch(url, payload, content_type="application/json").status_code == 401
    assert (
        as_user(client, world.member_a).patch(url, payload, content_type="application/json").status_code
        == 403
    )
    assert (
        as_user(client, world.secretary_b).patch(url, payload, content_type="application/json").status_code
        == 404
    )


# --- events and transfers ----------------------------------------------------------------------------------------


def test_event_list(client, world):
    body = as_user(client, world.secretary_a).get(events(world.other_a_record)).json()
    assert [e["kind"] for e in body] == [EventKind.ADMISSION, EventKind.RECOGNITION]


def test_event_list_is_personal(client, world):
    assert as_user(client, world.member_a).get(events(world.other_a_record)).status_code == 403
    assert as_user(client, world.member_a).get(events(world.member_a_record)).status_code == 200
    assert as_user(client, world.secretary_b).get(events(world.other_a_record)).status_code == 404
    client.logout()
    assert client.get(events(world.other_a_record)).status_code == 401


def test_event_create(client, world):
    member = world.other_a_record
    response = as_user(client, world.commune_staff).post(
        events(member),
        {
            "kind": "DISCIPLINE",
            "occurred_on": "01/06/2026",
            "discipline_form": "WARNING",
            "decision_number": "7-QĐ/UBKT",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "DISCIPLINE" and body["recorded_by"] == str(world.commune_staff)


def test_event_create_errors(client, world):
    member = world.other_a_record
    as_user(client, world.commune_staff)
    impossible = client.post(
        events(member),
        {"kind": "EXEMPTION_END", "occurred_on": "2026-06-01"},
        content_type="application/json",
    )
    assert impossible.status_code == 422 and "kind" in impossible.json()["fields"]
    unknown = client.post(
        events(member), {"kind": "PROMOTION", "occurred_on": "2026-06-01"}, content_type="application/json"
    )
    assert unknown.status_code == 422 and "kind" in unknown.json()["fields"]
    missing = client.post(events(member), {"kind": "DEATH"}, content_type="application/json")
    assert missing.status_code == 400 and "occurred_on" in missing.json()["fields"]
    assert (
        as_user(client, world.secretary_a)
        .post(events(member), {"kind": "DEATH", "occurred_on": "2026-06-01"}, content_type="application/json")
        .status_code
        == 403
    )


def test_event_create_can_transfer(client, world):
    member = world.other_a_record
    response = as_user(client, world.commune_staff).post(
        events(member),
        {"kind": "TRANSFER", "occurred_on": "2026-06-01", "to_organization": world.cell_b.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    member.refresh_from_db()
    assert member.organization == world.cell_b


def test_transfer_route_to_a_cell_out_and_back(client, world):
    member = world.other_a_record
    url = reverse("api:member_transfer", args=[member.pk])
    as_user(client, world.commune_staff)
    out = client.post(
        url,
        {"occurred_on": "2026-06-01", "external_party": "Đảng bộ tỉnh Kiên Giang"},
        content_type="application/json",
    )
    assert out.status_code == 201 and out.json()["kind"] == EventKind.TRANSFER_OUT
    back = client.post(
        url,
        {"occurred_on": "2026-07-01", "to_organization": world.cell_b.pk},
        content_type="application/json",
    )
    assert back.status_code == 201 and back.json()["kind"] == EventKind.TRANSFER_IN
    member.refresh_from_db()
    assert member.status == MemberStatus.FULL and member.organization == world.cell_b


def test_transfer_route_errors(client, world):
    member = world.other_a_record
    url = reverse("api:member_transfer", args=[member.pk])
    as_user(client, world.commune_staff)
    nowhere = client.post(url, {"occurred_on": "2026-06-01"}, content_type="application/json")
    assert nowhere.status_code == 422 and "to_organization" in nowhere.json()["fields"]
    outside = client.post(
        url,
        {"occurred_on": "2026-06-01", "to_organization": world.cell_d.pk},
        content_type="application/json",
    )
    assert outside.status_code == 404
    assert (
        as_user(client, world.member_a)
        .post(
            url,
            {"occurred_on": "2026-06-01", "to_organization": world.cell_b.pk},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_openapi_lists_the_member_operations(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/members/")]
    assert "/api/v1/members/{member_id}/transfer" in paths
    assert "/api/v1/members/{member_id}/events" in paths
