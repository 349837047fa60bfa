"""The emulation API: the scorecards carry the page's points and totals, errors name the field, lists are paged
with fixed queries and scoped."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from coso.orgs.models import OrgKind
from coso.testing.factories import make_org

from .conftest import self_scored, sign, upper_scored

JSON = "application/json"


def test_scorecards_give_the_same_points_and_totals_as_the_page(client, world, movement):
    upper_scored(self_scored(movement, world.cell_a, scores=(8, 9, 7, 10)), scores=(8, 8, 7, 9))
    client.force_login(world.commune_staff)
    body = client.get(f"/api/v1/emulation/movements/{movement.pk}/scorecards?year=2024").json()
    assert body["count"] == 1
    card = body["results"][0]
    assert [float(row["upper_points"]) for row in card["scores"]] == [20.0, 20.0, 17.5, 22.5]
    assert float(card["upper_total"]) == 80.0 and float(card["self_total"]) == 85.0
    assert card["result"] == "PENDING"


def test_weights_that_do_not_add_up_are_a_422_naming_the_field(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        "/api/v1/emulation/movements",
        {"organization": world.commune.pk, "name": "Bốn tốt", "start_year": 2023, "end_year": 2025,
         "criteria": [{"name": "A", "weight": 60}, {"name": "B", "weight": 30}]},
        content_type=JSON,
    )  # fmt: skip
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "rule_violation" and "criteria" in body["fields"]


def test_the_upper_score_before_the_self_score_is_refused(client, world, movement):
    client.force_login(world.commune_staff)
    criteria = list(movement.criteria.all())
    response = client.post(
        f"/api/v1/emulation/movements/{movement.pk}/scorecards/{world.cell_a.pk}/2024/upper",
        {"scores": {str(c.pk): 8 for c in criteria}},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_state"


def test_the_covenant_list_filters_signed_and_is_scoped(client, world, movement):
    sign(movement, world.cell_a)
    client.force_login(world.commune_staff)
    body = client.get(f"/api/v1/emulation/movements/{movement.pk}/covenants?signed=false").json()
    assert [row["organization"]["code"] for row in body["results"]] == ["B"]
    client.force_login(world.secretary_b)
    body = client.get(f"/api/v1/emulation/movements/{movement.pk}/covenants").json()
    assert [row["organization"]["code"] for row in body["results"]] == ["B"]


def test_the_scorecard_list_costs_fixed_queries(client, world, movement, django_assert_num_queries):
    client.force_login(world.commune_staff)
    upper_scored(self_scored(movement, world.cell_a))
    url = f"/api/v1/emulation/movements/{movement.pk}/scorecards?year=2024"
    client.get(url)
    with CaptureQueriesContext(connection) as baseline:
        client.get(url)
    for n in range(10):
        upper_scored(
            self_scored(movement, make_org(name=f"Chi bộ {n}", kind=OrgKind.CELL, parent=world.commune))
        )
    with django_assert_num_queries(len(baseline)):
        body = client.get(url).json()
    assert body["count"] == 11


def test_a_page_size_out_of_range_is_a_400(client, world):
    client.force_login(world.commune_staff)
    response = client.get("/api/v1/emulation/awards?page_size=1000")
    assert response.status_code == 400 and "page_size" in response.json()["fields"]
