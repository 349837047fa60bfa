"""PATCH /api/v1/orgs/{id} (issue 9 §12): the place in the tree, the kind and the status change only through
restructuring and are refused by name; a PATCH that changes nothing keeps the version and the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.orgs.models import Organization
from coso.testing.patching import assert_change_bumps_version, assert_refused, assert_unchanged_keeps_version


def _org(world):
    return Organization.objects.get(pk=world.cell_a.pk)


@pytest.mark.parametrize(
    "field, value", [("parent", 0), ("kind", "CELL"), ("status", "DISSOLVED"), ("org", 1)]
)
def test_a_field_not_editable_here_is_refused_by_name(client, world, field, value):
    org = _org(world)
    client.force_login(world.commune_staff)
    url = reverse("api:organization_update", args=[org.pk])
    assert_refused(client, url, org, {"version": org.version, "address": "Khu vực 1", field: value}, field)
    assert _org(world).address == org.address


def test_sending_the_same_values_keeps_the_version(client, world):
    org = _org(world)
    client.force_login(world.commune_staff)
    url = reverse("api:organization_update", args=[org.pk])
    same = {"version": org.version, "name": org.name, "code": org.code, "address": org.address,
            "residential": org.residential}  # fmt: skip
    assert_unchanged_keeps_version(client, url, org, same)


def test_a_real_change_bumps_the_version(client, world):
    org = _org(world)
    client.force_login(world.commune_staff)
    url = reverse("api:organization_update", args=[org.pk])
    assert_change_bumps_version(
        client, url, org, {"version": org.version, "address": "Khu vực 1, phường Vị Tân"}
    )
