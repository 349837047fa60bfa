"""Permission matrix for the API's own routes: the OpenAPI schema and the interactive docs are public (they
describe the API, not data); the bare root has no operation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.testing.matrix import Case, check_case, matrix_params, statuses

PUBLIC = statuses(
    anonymous=200, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
NOT_FOUND = {persona: 404 for persona in PUBLIC}

CASES = [
    Case("api:openapi-json", lambda w: reverse("api:openapi-json"), PUBLIC),
    Case("api:openapi-view", lambda w: reverse("api:openapi-view"), PUBLIC),
    Case("api:api-root", lambda w: reverse("api:api-root"), NOT_FOUND),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)


def test_the_schema_lists_every_registered_operation(client):
    schema = client.get(reverse("api:openapi-json")).json()
    operation_ids = {op.get("operationId") for path in schema["paths"].values() for op in path.values()}
    assert operation_ids and None not in operation_ids
    assert "/api/v1/me" in schema["paths"] and "/api/v1/grants/" in schema["paths"]
