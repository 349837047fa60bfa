"""Permission matrix of the notifications routes: a notification exists only for its recipient (member_a)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.notifications import services
from coso.testing.matrix import Case, check_case, matrix_params, statuses

EVERYONE = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
EVERYONE_POST = {persona: 302 for persona in EVERYONE}
OWNER_OPEN = statuses(
    anonymous=302, province_admin=404, commune_staff=404, commune_leader=404, secretary_a=404, member_a=302,
    secretary_b=404,
)  # fmt: skip
API_EVERYONE = {**{persona: 200 for persona in EVERYONE}, "anonymous": 401}
API_OWNER = {**{persona: 404 for persona in EVERYONE}, "anonymous": 401, "member_a": 200}


def note(world):
    if not hasattr(world, "_note"):
        [world._note] = services.notify(
            recipients=[world.member_a], kind="test.matrix", title="x", email=False
        )
    return world._note


CASES = [
    Case("notifications:list", lambda w: reverse("notifications:list"), EVERYONE),
    Case("notifications:open", lambda w: reverse("notifications:open", args=[note(w).pk]), OWNER_OPEN),
    Case("notifications:read_all", lambda w: reverse("notifications:read_all"), EVERYONE_POST, method="post"),
    Case("api:notification_list", lambda w: "/api/v1/notifications/", API_EVERYONE),
    Case(
        "api:notification_read",
        lambda w: f"/api/v1/notifications/{note(w).pk}/read",
        API_OWNER,
        method="post",
    ),
    Case(
        "api:notification_read_all", lambda w: "/api/v1/notifications/read-all", API_EVERYONE, method="post"
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
