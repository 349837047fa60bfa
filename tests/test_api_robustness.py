"""Bad input is a 400/404/422 in the API's JSON error format, never a 500 (issue 9 §6)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from coso.accounts.models import ApiToken
from coso.accounts.permissions import SYSTEM
from coso.core.text import as_id
from coso.meetings import services as meeting_services
from coso.meetings.models import Meeting, MeetingKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def api(world):
    _, raw = ApiToken.issue(user=world.commune_staff, name="robustness")
    client = Client(raise_request_exception=False, headers={"Authorization": f"Bearer {raw}"})
    return client


@pytest.fixture
def meeting(world):
    return meeting_services.meeting_schedule(
        actor=SYSTEM,
        organization=world.cell_a,
        kind=MeetingKind.REGULAR,
        starts_at=dt.datetime(2030, 6, 20, 8, 0, tzinfo=TZ),
        place="Nhà văn hoá",
        agenda=["Thông tin thời sự"],
    )


def assert_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    return body


def test_minutes_part_sent_as_null_is_left_as_it_is(api, meeting):
    response = api.put(
        f"/api/v1/meetings/{meeting.pk}/minutes",
        data={"version": 1, "opening": "Khai mạc", "items": None, "resolutions": None},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["opening"] == "Khai mạc"
    assert response.json()["items"][0]["title"] == "Thông tin thời sự"


def test_multipart_without_boundary_is_a_json_400(world):
    response = Client(raise_request_exception=False).post(
        "/api/v1/citizens/public/feedback", data="area=C1", content_type="multipart/form-data"
    )
    assert_json_error(response, 400)


def test_unparseable_json_body_is_a_json_400(api, meeting):
    response = api.put(
        f"/api/v1/meetings/{meeting.pk}/minutes", data="{not json", content_type="application/json"
    )
    assert assert_json_error(response, 400)["code"] == "invalid"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no/such/route",
        "/api/v2/members/",
        "/api/v1/meetings/١٢",  # Arabic-Indic digits
        "/api/v1/members/１２",  # fullwidth digits
        "/api/v1/meetings/99999999999999999999999",
    ],
)
def test_unknown_api_paths_answer_json_404(api, path):
    assert assert_json_error(api.get(path), 404)["code"] == "not_found"


def test_wrong_method_under_api_is_json_405(api):
    response = api.delete("/api/v1/me")
    assert assert_json_error(response, 405)["code"] == "method_not_allowed"


def test_html_error_pages_stay_html(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.commune_staff)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("value", ["١٢", "１２", "²", "99999999999999999999999", "-1", "1.5", "", None, True])
def test_as_id_takes_only_ascii_digits_in_range(value):
    assert as_id(value) is None


def test_as_id_reads_plain_ids():
    assert as_id("12") == 12
    assert as_id(12) == 12


@pytest.mark.parametrize("key", ["²", "١٢", "99999999999999999999999"])
def test_org_key_in_other_digits_is_404_not_500(api, key):
    assert_json_error(api.get(f"/api/v1/orgs/{key}"), 404)


@pytest.mark.parametrize("org", ["²", "99999999999999999999999"])
def test_html_org_parameter_in_other_digits_is_404_not_500(world, org):
    client = Client(raise_request_exception=False)
    client.force_login(world.commune_staff)
    response = client.get("/meetings/calendar/", {"org": org})
    assert response.status_code == 404


@pytest.mark.parametrize("year", ["99999", "0", "١٢"])
def test_calendar_with_a_year_out_of_range_shows_this_year(world, year):
    client = Client(raise_request_exception=False)
    client.force_login(world.secretary_a)
    assert client.get("/meetings/calendar/", {"year": year}).status_code == 200


def test_plan_year_takes_a_time_with_an_offset(api, world):
    response = api.post(
        "/api/v1/meetings/calendar/plan",
        data={"organization": world.cell_a.pk, "year": 2031, "day": 5, "time": "08:00:00+07:00"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    first = Meeting.objects.filter(organization=world.cell_a).order_by("starts_at").first()
    assert first.starts_at.astimezone(TZ).time() == dt.time(8, 0)


def test_plan_year_out_of_range_is_422(api, world):
    response = api.post(
        "/api/v1/meetings/calendar/plan",
        data={"organization": world.cell_a.pk, "year": 99999, "day": 5, "time": "08:00"},
        content_type="application/json",
    )
    assert "year" in assert_json_error(response, 422)["fields"]
