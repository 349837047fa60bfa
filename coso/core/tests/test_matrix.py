"""Permission matrix for the core routes: the home page (every signed-in user) and the health check (anyone)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.testing.matrix import Case, check_case, matrix_params, statuses

CASES = [
    Case(
        "core:home",
        lambda w: reverse("core:home"),
        statuses(
            anonymous=200,  # the public start page
            province_admin=200,
            commune_staff=200,
            commune_leader=200,
            secretary_a=200,
            member_a=200,
            secretary_b=200,
        ),  # fmt: skip
    ),
    Case(
        "core:healthz",
        lambda w: reverse("core:healthz"),
        statuses(
            anonymous=200,
            province_admin=200,
            commune_staff=200,
            commune_leader=200,
            secretary_a=200,
            member_a=200,
            secretary_b=200,
        ),  # fmt: skip
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
