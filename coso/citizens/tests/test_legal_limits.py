"""Legal time limits encoded as the laws say: second complaints, denunciation acceptance in working days, the
second extension only for an especially complex denunciation, reception quotas only for territorial heads, and
operator overrides of the dated policy table through COSO_CITIZENS_POLICIES."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from coso.citizens import services
from coso.citizens.models import Category, FeedbackKind, ReceptionDay
from coso.citizens.selectors import reception_compliance, required_reception_days
from coso.core import workdays
from coso.core.exceptions import RuleViolation
from coso.orgs.models import OrgKind
from coso.testing.factories import make_member, make_org

from .conftest import file_report
from .test_staff import make_head

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 6, 1, 9, 0, tzinfo=VN)  # no holiday until 2 September: the days fall as counted


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(17, 0), tzinfo=VN)


def accept_complaint(world, land, **flags):
    with time_machine.travel(MONDAY, tick=False):
        return services.feedback_assign(
            actor=world.commune_staff, feedback=file_report(world, land), organization=world.commune, **flags
        )


# ---------------------------------------------------------------------------------------------- second complaint


@pytest.mark.parametrize(
    ("round_", "complex_", "remote", "days"),
    [
        ("FIRST", False, False, 30),  # Luật Khiếu nại 2011, Art. 28
        ("FIRST", True, False, 45),
        ("FIRST", False, True, 45),
        ("FIRST", True, True, 60),
        ("SECOND", False, False, 45),  # Art. 37
        ("SECOND", True, False, 60),
        ("SECOND", False, True, 60),
        ("SECOND", True, True, 70),
    ],
)
def test_each_complaint_round_has_its_own_limits(world, land, round_, complex_, remote, days):
    item = accept_complaint(world, land, complaint_round=round_, is_complex=complex_, remote_area=remote)
    due = MONDAY.date() + dt.timedelta(days=days)
    assert item.deadline_at == end_of(due)  # by the close of the last day, not a day earlier nor later


def test_extending_a_second_complaint_gives_sixty_days(world, land):
    item = accept_complaint(world, land, complaint_round="SECOND")
    assert item.deadline_at == end_of(dt.date(2026, 7, 16))  # 45 days
    with time_machine.travel(MONDAY, tick=False):
        item = services.feedback_extend(actor=world.commune_staff, feedback=item, reason="Phức tạp")
    assert item.deadline_at == end_of(dt.date(2026, 7, 31))  # 60 days


def test_staff_classify_a_second_complaint_on_the_page_and_see_it(client, world, land):
    with time_machine.travel(MONDAY, tick=False):
        item = file_report(world, land)
        client.force_login(world.commune_staff)
        page = client.get(reverse("citizens:feedback_detail", args=[item.pk])).content.decode()
        assert 'name="assign-complaint_round"' in page or 'name="complaint_round"' in page
        response = client.post(
            reverse("citizens:feedback_act", args=[item.pk, "assign"]),
            {
                "organization": world.commune.pk,
                "kind": "COMPLAINT",
                "category": land.pk,
                "complaint_round": "SECOND",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        page = client.get(reverse("citizens:feedback_detail", args=[item.pk])).content.decode()
    item.refresh_from_db()
    assert item.complaint_round == "SECOND" and item.deadline_at == end_of(dt.date(2026, 7, 16))
    assert "Khiếu nại lần hai" in page and "16/07/2026" in page


def test_the_api_classifies_a_second_complaint_and_returns_the_round(client, world, land):
    with time_machine.travel(MONDAY, tick=False):
        item = file_report(world, land)
        client.force_login(world.commune_staff)
        url = reverse("api:feedback_act", args=[item.pk, "assign"])
        body = {"organization": world.commune.code, "complaint_round": "SECOND", "remote_area": "true"}
        response = client.post(url, body)
        bad = client.post(url, {"complaint_round": "THIRD"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["complaint_round"], data["remote_area"]) == ("SECOND", True)
    assert dt.datetime.fromisoformat(data["deadline_at"]) == end_of(dt.date(2026, 7, 31))  # 60 days, remote
    assert bad.status_code in (400, 422) and "complaint_round" in bad.content.decode()


# ---------------------------------------------------------------------------------------------- denunciations


def test_a_denunciation_is_accepted_within_seven_working_days(world, order_cat):
    # Luật Tố cáo 2018, Art. 24 §1: "07 ngày làm việc". Received Friday 05/06/2026: the weekends do not count,
    # so the last day is Tuesday 16/06 (seven calendar days would end on Friday 12/06).
    with time_machine.travel(dt.datetime(2026, 6, 5, 9, 0, tzinfo=VN), tick=False):
        item = file_report(world, order_cat, kind=FeedbackKind.DENUNCIATION)
    assert item.deadline_at == end_of(dt.date(2026, 6, 16))


def test_denunciation_acceptance_skips_national_day(world, order_cat):
    # Received Monday 31/08/2026: 1 and 2 September are the National Day holiday.
    with time_machine.travel(dt.datetime(2026, 8, 31, 9, 0, tzinfo=VN), tick=False):
        item = file_report(world, order_cat, kind=FeedbackKind.DENUNCIATION)
    assert timezone.localtime(item.deadline_at).date() == dt.date(2026, 9, 11)


def test_a_complaint_is_still_accepted_within_ten_calendar_days(world, land):
    with time_machine.travel(dt.datetime(2026, 6, 5, 9, 0, tzinfo=VN), tick=False):
        item = file_report(world, land)
    assert item.deadline_at == end_of(dt.date(2026, 6, 15))  # 15/06 is a Monday: no shift needed


def _accepted_denunciation(world, order_cat, **flags):
    with time_machine.travel(MONDAY, tick=False):
        item = file_report(world, order_cat, kind=FeedbackKind.DENUNCIATION)
        return services.feedback_assign(
            actor=world.commune_staff, feedback=item, organization=world.cell_a, **flags
        )


def test_a_second_extension_is_refused_for_a_merely_complex_denunciation(world, order_cat):
    item = _accepted_denunciation(world, order_cat)
    item = services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Phải xác minh 2 nơi")
    assert (item.extensions, item.is_complex, item.especially_complex) == (1, True, False)
    with pytest.raises(RuleViolation) as exc:
        services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Chưa kịp xác minh")
    assert exc.value.code == "extension_needs_especially_complex" and "especially_complex" in exc.value.fields
    item.refresh_from_db()
    assert item.extensions == 1


def test_an_especially_complex_denunciation_recorded_at_acceptance_extends_twice(world, order_cat):
    item = _accepted_denunciation(world, order_cat, especially_complex=True)
    assert item.is_complex and item.especially_complex
    for _ in range(2):
        item = services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Đặc biệt phức tạp")
    # 30 + 2 × 30 days from Monday 01/06/2026: Sunday 30/08, moved past the National Day days off.
    assert item.deadline_at == end_of(workdays.add_days(MONDAY.date(), 90))
    assert timezone.localtime(item.deadline_at).date() > dt.date(2026, 8, 29)
    with pytest.raises(RuleViolation) as exc:
        services.feedback_extend(actor=world.secretary_a, feedback=item, reason="Lần ba")
    assert exc.value.code == "extension_limit"


def test_the_extend_form_records_the_case_as_especially_complex(client, world, order_cat):
    item = _accepted_denunciation(world, order_cat)
    client.force_login(world.secretary_a)
    url = reverse("citizens:feedback_act", args=[item.pk, "extend"])
    assert client.post(url, {"reason": "Phức tạp"}).status_code == 302
    refused = client.post(url, {"reason": "Thêm thời gian"})
    assert (
        refused.status_code == 400
        and "especially complex" in refused.content.decode().lower()
        or (refused.status_code == 400 and "đặc biệt phức tạp" in refused.content.decode())
    )
    assert client.post(url, {"reason": "Nhiều nội dung", "especially_complex": "on"}).status_code == 302
    item.refresh_from_db()
    assert (item.extensions, item.especially_complex) == (2, True)
    page = client.get(reverse("citizens:feedback_detail", args=[item.pk])).content.decode()
    assert 'data-testid="legal-case"' in page


def test_the_api_refuses_a_second_extension_without_the_record(client, world, order_cat):
    item = _accepted_denunciation(world, order_cat)
    client.force_login(world.secretary_a)
    url = reverse("api:feedback_act", args=[item.pk, "extend"])
    assert client.post(url, {"reason": "Phức tạp"}).status_code == 200
    refused = client.post(url, {"reason": "Lần hai"})
    assert refused.status_code in (400, 422)
    done = client.post(url, {"reason": "Lần hai", "especially_complex": "true"})
    assert done.status_code == 200, done.content
    assert (done.json()["extensions"], done.json()["especially_complex"]) == (2, True)


# ---------------------------------------------------------------------------------------------- reception quotas


def test_only_territorial_committees_are_flagged_for_reception_days(world):
    police = make_org(
        name="Đảng bộ Công an thành phố", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province
    )
    agency = make_org(name="Chi bộ Trung tâm Y tế", kind=OrgKind.GRASSROOTS_CELL, parent=world.province)
    make_head(police, make_member(make_org(kind=OrgKind.CELL, parent=police), full_name="Trần Công An"))
    make_head(agency, make_member(agency, full_name="Lê Y Tế"))
    make_head(world.commune, world.member_b_record)
    month = dt.date(2026, 3, 1)
    assert required_reception_days(police, month) == 0 and required_reception_days(agency, month) == 0
    assert required_reception_days(world.commune, month) == 2
    rows = {r.organization: r for r in reception_compliance(actor=world.province_admin, month=month)}
    assert police not in rows and agency not in rows
    assert rows[world.commune].short and rows[world.province].required == 1


def test_a_police_committee_that_records_a_day_is_listed_but_not_short(world):
    police = make_org(
        name="Đảng bộ Quân sự thành phố", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province
    )
    head = make_head(
        police, make_member(make_org(kind=OrgKind.CELL, parent=police), full_name="Phạm Quân Sự")
    )
    ReceptionDay.objects.create(
        organization=police, head=head, date=dt.date(2026, 3, 4), status="PLANNED", place="x"
    )
    rows = {
        r.organization: r for r in reception_compliance(actor=world.province_admin, month=dt.date(2026, 3, 1))
    }
    assert rows[police].required == 0 and not rows[police].short


def test_a_district_committee_counts_only_when_communes_are_under_it(world):
    city = make_org(name="Đảng bộ thành phố Vị Thanh", kind=OrgKind.DISTRICT, parent=world.province)
    make_org(name="Đảng bộ phường I", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=city, residential=True)
    bloc = make_org(name="Đảng bộ Khối cơ quan tỉnh", kind=OrgKind.DISTRICT, parent=world.province)
    make_org(name="Đảng bộ Sở Tài chính", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=bloc)
    before_kl215 = dt.date(2025, 6, 1)
    assert required_reception_days(city, before_kl215) == 1
    assert required_reception_days(bloc, before_kl215) == 0
    assert required_reception_days(city, dt.date(2026, 6, 1)) == 0  # KL 215 dropped the district level


# ---------------------------------------------------------------------------------------------- overrides


def test_a_settings_override_changes_the_computed_deadline(world, land, settings):
    settings.COSO_CITIZENS_POLICIES = {"citizens.complaint2.days": 50}
    item = accept_complaint(world, land, complaint_round="SECOND")
    assert item.deadline_at == end_of(dt.date(2026, 7, 21))  # 50 days instead of 45


def test_a_new_category_takes_its_time_limits_from_the_policy_table(db, settings):
    assert Category(code="x", name="x").deadline_working_days == 10
    settings.COSO_CITIZENS_POLICIES = {
        "citizens.report.working_days": 7,
        "citizens.report.working_days_multi": 12,
    }
    category = Category(code="y", name="y")
    assert (category.deadline_working_days, category.deadline_working_days_multi) == (7, 12)


SCRIPT = """
import datetime as dt, django
django.setup()
from zoneinfo import ZoneInfo
from coso.citizens import services
from coso.citizens.models import Feedback
item = Feedback(kind="COMPLAINT", complaint_round="SECOND")
print(services.deadline_for(item, start=dt.datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))).date())
"""


def _run(env_value: str | None, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COSO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "coso.settings", "COSO_DATA_DIR": str(tmp_path)}
    if env_value is not None:
        env["COSO_CITIZENS_POLICIES"] = env_value
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_environment_variable_changes_a_computed_deadline(tmp_path):
    assert _run(None, tmp_path).stdout.strip() == "2026-07-16"
    done = _run(json.dumps({"citizens.complaint2.days": 50}), tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2026-07-21"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{not json", "COSO_CITIZENS_POLICIES must be a JSON object"),
        ("[45]", "COSO_CITIZENS_POLICIES must be a JSON object"),
        ('{"citizens.complaint2.dayz": 50}', "unknown rule 'citizens.complaint2.dayz'"),
        ('{"citizens.complaint2.days": "50"}', "must be a whole number"),
    ],
)
def test_a_mistyped_environment_variable_stops_with_a_clear_error(tmp_path, value, message):
    done = _run(value, tmp_path)
    assert done.returncode != 0 and "ImproperlyConfigured" in done.stderr and message in done.stderr


def test_the_compliance_page_and_api_leave_out_police_and_agency_committees(client, world):
    police = make_org(
        name="Đảng bộ Công an thành phố", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province
    )
    make_head(police, make_member(make_org(kind=OrgKind.CELL, parent=police), full_name="Trần Công An"))
    make_head(world.commune, world.member_b_record)
    client.force_login(world.province_admin)
    page = client.get(reverse("citizens:reception_overview"), {"month": "2026-03"}).content.decode()
    assert world.commune.name in page and "Đảng bộ Công an thành phố" not in page
    response = client.get(reverse("api:reception_compliance"), {"month": "2026-03"})
    names = [row["organization"]["name"] for row in response.json()]
    assert world.commune.name in names and police.name not in names
