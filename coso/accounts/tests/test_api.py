"""The accounts API: who am I, and role grants listed, given and revoked within the caller's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.accounts.models import Role, RoleGrant
from coso.accounts.services import token_create
from coso.testing.factories import make_user

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_me_tells_who_i_am_and_what_i_may_do(client, world):
    client.force_login(world.member_a)
    data = client.get(reverse("api:me")).json()
    assert data["username"] == "member_a"
    assert data["member"] == {"id": world.member_a_record.pk, "full_name": "Nguyễn Thị Hoà"}
    assert data["roles"] == ["MEMBER"]
    assert [g["organization"]["code"] for g in data["grants"]] == ["A"]
    assert "members.view" in data["permissions"] and "members.view_personal" not in data["permissions"]


def test_me_with_a_token(client, world):
    _token, raw = token_create(user=world.province_admin)
    data = client.get(reverse("api:me"), headers={"Authorization": f"Bearer {raw}"}).json()
    assert data["roles"] == ["SYSTEM_ADMIN"]
    assert "accounts.manage_grants" in data["permissions"]


def test_me_needs_authentication(client, world):
    response = client.get(reverse("api:me"))
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_the_grant_list_is_scoped(client, world):
    RoleGrant.objects.create(user=world.secretary_a, organization=world.cell_d, role=Role.CELL_SECRETARY)
    client.force_login(world.commune_staff)
    data = client.get(reverse("api:grant_list")).json()
    codes = sorted(g["organization"]["code"] for g in data["results"])
    assert codes == ["A", "A", "B", "C1", "C1"]
    assert data["count"] == 5


def test_the_grant_list_filters_by_user_and_keeps_revoked_on_request(client, world):
    grant = RoleGrant.objects.get(user=world.secretary_a)
    client.force_login(world.province_admin)
    client.post(reverse("api:grant_revoke", args=[grant.pk]))
    url = reverse("api:grant_list")
    assert client.get(url, {"user": world.secretary_a.pk}).json()["count"] == 0
    [row] = client.get(url, {"user": world.secretary_a.pk, "include_revoked": "true"}).json()["results"]
    assert row["revoked_at"] is not None


def test_the_grant_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    for n in range(10):
        make_user(f"extra{n}", role=Role.MEMBER, organization=world.cell_b)
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("api:grant_list"))
    assert response.json()["count"] == 16


def test_bad_paging_names_the_field(client, world):
    client.force_login(world.province_admin)
    response = client.get(reverse("api:grant_list"), {"page_size": 0})
    assert response.status_code == 400
    assert "page_size" in response.json()["fields"]


def test_an_admin_grants_a_role_by_organization_code(client, world):
    client.force_login(world.province_admin)
    payload = {"user": world.member_a.pk, "organization": "A", "role": "CELL_SECRETARY"}
    response = client.post(reverse("api:grant_create"), payload, content_type=JSON)
    assert response.status_code == 201
    data = response.json()
    assert (data["role"], data["organization"]["code"], data["granted_by"]) == (
        "CELL_SECRETARY",
        "A",
        "province_admin",
    )


def test_an_unknown_role_is_a_400_naming_the_field(client, world):
    client.force_login(world.province_admin)
    payload = {"user": world.member_a.pk, "organization": "A", "role": "KING"}
    response = client.post(reverse("api:grant_create"), payload, content_type=JSON)
    assert response.status_code == 400
    assert "role" in response.json()["fields"]


def test_a_duplicate_grant_is_a_422(client, world):
    client.force_login(world.province_admin)
    payload = {"user": world.secretary_a.pk, "organization": "A", "role": "CELL_SECRETARY"}
    response = client.post(reverse("api:grant_create"), payload, content_type=JSON)
    assert response.status_code == 422
    assert response.json()["code"] == "duplicate"
    assert "role" in response.json()["fields"]


def test_granting_outside_the_scope_is_a_404_and_too_low_a_role_a_403(client, world):
    admin_c2 = make_user("admin_c2", role=Role.SYSTEM_ADMIN, organization=world.commune2)
    client.force_login(admin_c2)
    payload = {"user": world.member_a.pk, "organization": "A", "role": "MEMBER"}
    assert client.post(reverse("api:grant_create"), payload, content_type=JSON).status_code == 404
    client.force_login(world.commune_staff)
    assert client.post(reverse("api:grant_create"), payload, content_type=JSON).status_code == 403
    assert RoleGrant.objects.filter(user=world.member_a).count() == 1


def test_revoking_twice_keeps_the_first_time(client, world):
    grant = RoleGrant.objects.get(user=world.secretary_a)
    client.force_login(world.province_admin)
    first = client.post(reverse("api:grant_revoke", args=[grant.pk])).json()["revoked_at"]
    second = client.post(reverse("api:grant_revoke", args=[grant.pk])).json()["revoked_at"]
    assert first is not None and first == second
