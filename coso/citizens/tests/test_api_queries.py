"""A query parameter that cannot be read is bad input: 400 with code `invalid` naming the field, as the OpenAPI
document says for every route (the schemathesis run checks every status against it)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "route, query, field",
    [
        ("api:reception_compliance", {"month": "then"}, "month"),
        ("api:reception_day_list", {"month": "13/2026"}, "month"),
        ("api:feedback_list", {"category": "không-có"}, "category"),
    ],
)
def test_an_unreadable_filter_is_a_400_naming_the_field(client, world, route, query, field):
    client.force_login(world.commune_staff)
    response = client.get(reverse(route), query)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"]
