"""PATCH /api/v1/study/reports/{id}/ (issue 9 §12): the author changes the text only; status, grade and the
reviewer's comment are refused by name; a PATCH that changes nothing keeps the version and the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.study import services
from coso.study.models import LearningReport
from coso.testing.patching import assert_change_bumps_version, assert_refused, assert_unchanged_keeps_version

from .conftest import make_campaign


@pytest.fixture
def report(world, library):
    campaign = make_campaign(world.commune, [library["nq57"]])
    report = services.report_start(actor=world.member_a, campaign=campaign, member=world.member_a_record)
    return services.report_update(
        actor=world.member_a, report=report, body="Bài thu hoạch", expected_version=None
    )


@pytest.mark.parametrize("field, value", [("status", "REVIEWED"), ("grade", "GOOD"), ("comment", "Tốt")])
def test_a_field_the_author_may_not_change_is_refused_by_name(client, world, report, field, value):
    client.force_login(world.member_a)
    url = reverse("api:report_update", args=[report.pk])
    assert_refused(client, url, report, {"version": report.version, "body": "Sửa", field: value}, field)
    assert LearningReport.objects.get(pk=report.pk).body == "Bài thu hoạch"


def test_sending_the_same_text_keeps_the_version(client, world, report):
    client.force_login(world.member_a)
    url = reverse("api:report_update", args=[report.pk])
    assert_unchanged_keeps_version(client, url, report, {"version": report.version, "body": report.body})


def test_a_real_change_bumps_the_version(client, world, report):
    client.force_login(world.member_a)
    url = reverse("api:report_update", args=[report.pk])
    assert_change_bumps_version(
        client, url, report, {"version": report.version, "body": "Bài thu hoạch, đã sửa"}
    )
