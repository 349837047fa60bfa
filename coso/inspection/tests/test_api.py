"""The inspection API: scoped, paginated lists and the error format."""

from __future__ import annotations

import pytest

from .conftest import ALL_STEPS, make_case, make_remedy

pytestmark = pytest.mark.django_db


def test_remedy_list_is_scoped_and_paginated(client, world):
    own = make_remedy(world.cell_a, responsible=world.member_a_record)
    make_remedy(world.cell_a, responsible=world.other_a_record)
    make_remedy(world.cell_b, responsible=world.member_b_record)
    client.force_login(world.member_a)
    data = client.get("/api/v1/inspection/remedies/").json()
    assert [row["id"] for row in data["results"]] == [own.pk]
    client.force_login(world.commune_staff)
    data = client.get("/api/v1/inspection/remedies/?page_size=2").json()
    assert data["count"] == 3 and data["pages"] == 2 and len(data["results"]) == 2


def test_errors_are_code_and_message(client, world):
    client.force_login(world.commune_staff)
    response = client.get("/api/v1/inspection/remedies/?box=everything")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"] and "box" in body["fields"]
    case = make_case(world.cell_a, steps=ALL_STEPS)
    response = client.get(f"/api/v1/inspection/cases/{case.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_case_detail_lists_its_steps(client, world):
    case = make_case(world.cell_a, steps=ALL_STEPS)
    client.force_login(world.commune_leader)
    data = client.get(f"/api/v1/inspection/cases/{case.pk}").json()
    assert [s["step"] for s in data["steps"]] == list(ALL_STEPS) and data["next_step"] is None


def test_the_inspection_role_reads_cases_of_its_subtree_only(client, world, inspector):
    own = make_case(world.cell_a, steps=ALL_STEPS)
    make_case(world.cell_d)
    client.force_login(inspector)
    data = client.get("/api/v1/inspection/cases/").json()
    assert [row["id"] for row in data["results"]] == [own.pk]
    client.force_login(world.secretary_a)
    assert client.get("/api/v1/inspection/cases/").status_code == 404
