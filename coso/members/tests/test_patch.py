"""PATCH /api/v1/members/{id} (issue 9 §12): derived fields (status, organization, sort keys) are refused by
name, not ignored; a PATCH that changes nothing keeps the version and the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.members.models import Member, MemberStatus
from coso.testing.patching import assert_change_bumps_version, assert_refused, assert_unchanged_keeps_version


@pytest.mark.parametrize(
    "field, value",
    [("status", MemberStatus.EXPELLED), ("organization", 1), ("name_sort", "0"), ("photo", "x")],
)
def test_a_derived_field_is_refused_by_name(client, world, field, value):
    member = Member.objects.get(pk=world.member_a_record.pk)
    client.force_login(world.commune_staff)
    url = reverse("api:member_update", args=[member.pk])
    assert_refused(
        client, url, member, {"version": member.version, "occupation": "Giáo viên", field: value}, field
    )
    assert Member.objects.get(pk=member.pk).occupation == member.occupation


def test_sending_the_same_values_keeps_the_version(client, world):
    member = Member.objects.get(pk=world.member_a_record.pk)
    client.force_login(world.commune_staff)
    url = reverse("api:member_update", args=[member.pk])
    same = {"version": member.version, "full_name": member.full_name, "phone": member.phone,
            "admitted_on": member.admitted_on.isoformat(), "occupation": member.occupation}  # fmt: skip
    events = member.events.count()
    assert_unchanged_keeps_version(client, url, member, same)
    assert member.events.count() == events


def test_a_real_change_bumps_the_version(client, world):
    member = Member.objects.get(pk=world.member_a_record.pk)
    client.force_login(world.commune_staff)
    url = reverse("api:member_update", args=[member.pk])
    assert_change_bumps_version(client, url, member, {"version": member.version, "occupation": "Giáo viên"})
