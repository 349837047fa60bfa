"""PATCH /api/v1/meetings/{id} (issue 9 §12): fields the caller may not change are refused by name; a PATCH
that changes nothing keeps the version and the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.meetings.models import Meeting, MeetingStatus
from coso.testing.patching import assert_change_bumps_version, assert_refused, assert_unchanged_keeps_version


@pytest.fixture
def url(meeting_a):
    return reverse("api:meeting_update", args=[meeting_a.pk])


@pytest.mark.parametrize(
    "field, value", [("status", MeetingStatus.HELD), ("organization", 1), ("nonsense", 1)]
)
def test_a_field_not_editable_here_is_refused_by_name(client, world, meeting_a, url, field, value):
    client.force_login(world.secretary_a)
    assert_refused(
        client, url, meeting_a, {"version": meeting_a.version, "place": "Hội trường", field: value}, field
    )
    assert Meeting.objects.get(pk=meeting_a.pk).place == "Nhà văn hoá khu vực 1"


def test_sending_the_same_values_keeps_the_version(client, world, meeting_a, url):
    client.force_login(world.secretary_a)
    same = {"version": meeting_a.version, "place": meeting_a.place, "kind": meeting_a.kind,
            "starts_at": meeting_a.starts_at.isoformat(), "title": meeting_a.title}  # fmt: skip
    assert_unchanged_keeps_version(client, url, meeting_a, same)


def test_a_real_change_bumps_the_version(client, world, meeting_a, url):
    client.force_login(world.secretary_a)
    assert_change_bumps_version(client, url, meeting_a, {"version": meeting_a.version, "place": "Hội trường"})


def test_a_held_meeting_sent_back_unchanged_is_not_refused(client, world, meeting_a, url):
    Meeting.objects.filter(pk=meeting_a.pk).update(status=MeetingStatus.HELD)
    client.force_login(world.secretary_a)
    same = {
        "version": meeting_a.version,
        "kind": meeting_a.kind,
        "starts_at": meeting_a.starts_at.isoformat(),
    }
    assert_unchanged_keeps_version(client, url, meeting_a, same)
    moved = {"version": meeting_a.version, "duration_minutes": 150}
    assert client.patch(url, moved, content_type="application/json").status_code == 422
