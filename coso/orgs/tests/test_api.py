"""The organizations JSON API: reads with counts and warnings, the tree as of a date, writes through the services
with the JSON error format (400/422 naming the field, 404 outsider, 403 too low a role, 409 stale version)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from coso.accounts.permissions import SYSTEM
from coso.orgs import services
from coso.orgs.models import Organization, OrgKind, OrgStatus, Position, SupervisionAssignment, Term
from coso.testing.factories import make_member, make_org

pytestmark = pytest.mark.django_db
JSON = "application/json"


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(f"api:{name}", args=args), params)


def send(client, user, name, *args, data, method="post"):
    client.force_login(user)
    return getattr(client, method)(reverse(f"api:{name}", args=args), data, content_type=JSON)


# --- reads ------------------------------------------------------------------------------------------------------


def test_list_is_scoped_paginated_and_counted(client, world):
    body = get(client, world.commune_staff, "organization_list").json()
    assert body["count"] == 3 and [o["code"] for o in body["results"]] == ["C1", "A", "B"]
    assert body["results"][0]["counts"] == {"full": 3, "probationary": 0, "exempt": 0, "total": 3}
    body = get(client, world.province_admin, "organization_list", page_size=2, page=2).json()
    assert (body["count"], body["pages"], len(body["results"])) == (6, 3, 2)


def test_list_filters_by_search_kind_status_and_parent(client, world):
    services.organization_merge(
        actor=SYSTEM, sources=[world.cell_b], target=world.cell_a, effective_on=dt.date(2026, 3, 1)
    )
    admin = world.province_admin
    assert [o["code"] for o in get(client, admin, "organization_list", q="khu vuc").json()["results"]] == [
        "A"
    ]
    assert [
        o["code"]
        for o in get(client, admin, "organization_list", q="khu vuc", status="all").json()["results"]
    ] == ["A", "B"]
    assert [
        o["code"] for o in get(client, admin, "organization_list", status="MERGED").json()["results"]
    ] == ["B"]
    kinds = get(client, admin, "organization_list", kind="GRASSROOTS_COMMITTEE").json()["results"]
    assert [o["code"] for o in kinds] == ["C1", "C2"]
    children = get(client, admin, "organization_list", parent=world.commune2.pk).json()["results"]
    assert [o["code"] for o in children] == ["D"]


def test_list_bad_parameters_name_the_field(client, world):
    response = get(client, world.province_admin, "organization_list", page_size=1000)
    assert response.status_code == 400 and "page_size" in response.json()["fields"]
    response = get(client, world.province_admin, "organization_list", kind="PLANET")
    assert response.status_code == 400 and "kind" in response.json()["fields"]
    response = get(client, world.province_admin, "organization_list", status="GONE")
    assert response.status_code == 400 and "status" in response.json()["fields"]


def test_list_parent_outside_scope_is_not_found(client, world):
    assert get(client, world.secretary_b, "organization_list", parent=world.cell_a.pk).status_code == 404


def test_list_query_count_does_not_grow_with_the_page(client, world, django_assert_max_num_queries):
    for i in range(10):
        make_member(make_org(name=f"Chi bộ {i}", parent=world.commune))
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(7):  # session, user, count, page, counts (+ grants, the tree's roots)
        response = client.get(reverse("api:organization_list"), {"page_size": 100})
    assert response.json()["count"] == 16


def test_tree_is_nested_with_counts_and_accepts_a_root(client, world):
    body = get(client, world.province_admin, "organization_tree").json()
    (province,) = body
    assert [c["code"] for c in province["children"]] == ["C1", "C2"]
    assert province["counts"]["total"] == 4
    (commune,) = get(client, world.province_admin, "organization_tree", root="C1").json()
    assert [c["code"] for c in commune["children"]] == ["A", "B"]
    assert get(client, world.secretary_b, "organization_tree", root="C1").status_code == 404


def test_tree_gives_one_level_by_default_and_says_which_nodes_open_further(client, world):
    (province,) = get(client, world.province_admin, "organization_tree").json()
    c1 = next(c for c in province["children"] if c["code"] == "C1")
    assert c1["has_children"] and c1["children"] == [] and c1["counts"]["total"] > 0
    (deep,) = get(client, world.province_admin, "organization_tree", max_depth=2).json()
    c1 = next(c for c in deep["children"] if c["code"] == "C1")
    assert [c["code"] for c in c1["children"]] == ["A", "B"]
    (past,) = get(client, world.province_admin, "organization_tree", as_of="2026-02-01").json()
    assert (
        all(c["children"] == [] for c in past["children"])
        and past["total_as_of"] == province["counts"]["total"]
    )
    for bad in (-1, 4):
        response = get(client, world.province_admin, "organization_tree", max_depth=bad)
        assert response.status_code == 400 and "max_depth" in response.json()["fields"]


def test_tree_as_of_a_date(client, world):
    services.organization_merge(
        actor=SYSTEM, sources=[world.cell_b], target=world.cell_a, effective_on=dt.date(2026, 3, 1)
    )
    (before,) = get(client, world.commune_staff, "organization_tree", as_of="2026-02-01").json()
    assert [c["code"] for c in before["children"]] == ["A", "B"] and before["total_as_of"] == 3
    (after,) = get(client, world.commune_staff, "organization_tree", as_of="01/04/2026").json()
    assert [c["code"] for c in after["children"]] == ["A"]
    response = get(client, world.commune_staff, "organization_tree", as_of="2030-01-01")
    assert response.status_code == 400 and "as_of" in response.json()["fields"]


def test_detail_has_counts_warnings_committees_and_supervisors(client, world, seats):
    services.supervision_assign(
        actor=SYSTEM, supervisor=seats.executive_member, organization=world.cell_a, assigned_by=world.commune,
        kind="ATTEND", starts_on=dt.date(2025, 7, 1),
    )  # fmt: skip
    body = get(client, world.commune_staff, "organization_detail", world.commune.pk).json()
    assert body["counts"]["total"] == 5
    assert [w["code"] for w in body["warnings"]] == ["grassroots_committee_small"]
    standing = next(c for c in body["committees"] if c["kind"] == "STANDING")
    assert standing["positions"][0]["member"]["full_name"] == "Võ Thanh Tâm"
    assert body["supervises"][0]["organization"]["code"] == "A"
    cell = get(client, world.commune_staff, "organization_detail", world.cell_a.pk).json()
    assert cell["supervisors"][0]["supervisor"]["full_name"] == "Đặng Thị Mai"
    assert [a["code"] for a in cell["ancestors"]] == ["P", "C1"]


def test_detail_outside_scope_is_not_found(client, world):
    response = get(client, world.secretary_b, "organization_detail", world.cell_a.pk)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_subtree_is_flat_in_tree_order(client, world):
    body = get(client, world.province_admin, "organization_subtree", world.province.pk).json()
    assert body["count"] == 6 and [o["code"] for o in body["results"]] == ["P", "C1", "A", "B", "C2", "D"]
    second = get(client, world.province_admin, "organization_subtree", world.province.pk, page=2, page_size=4)
    assert [o["code"] for o in second.json()["results"]] == ["C2", "D"]


def test_restructurings_and_unsupervised(client, world):
    services.organization_rename(
        actor=SYSTEM, org=world.cell_a, new_name="Chi bộ khu phố 1", effective_on=dt.date(2026, 3, 1)
    )
    body = get(client, world.secretary_a, "restructuring_list").json()
    assert body["count"] >= 1 and body["results"][0]["details"] == {"old_name": "Chi bộ khu vực 1"}
    outsider = get(client, world.secretary_b, "restructuring_list").json()["results"]
    assert all(r["kind"] != "RENAME" for r in outsider)
    unsupervised = get(client, world.commune_staff, "organization_unsupervised_list").json()
    assert unsupervised["count"] == 3
    assert {u["organization"]["code"]: u["needed"] for u in unsupervised["results"]} == {
        "C1": "LEAD",
        "A": "ATTEND",
        "B": "ATTEND",
    }
    page2 = get(client, world.commune_staff, "organization_unsupervised_list", page=2, page_size=2).json()
    assert page2["pages"] == 2 and [u["organization"]["code"] for u in page2["results"]] == ["B"]
    province = get(
        client, world.province_admin, "organization_unsupervised_list", under=world.commune2.pk
    ).json()
    assert province["count"] >= 1
    assert all(u["organization"]["code"] in ("C2", "D") for u in province["results"])
    outside = get(client, world.secretary_b, "organization_unsupervised_list", under=world.commune.pk)
    assert outside.status_code == 404


# --- writes -----------------------------------------------------------------------------------------------------


def test_create_a_child(client, world):
    payload = {
        "parent": world.commune.pk,
        "code": "E",
        "name": "Chi bộ khu vực 5",
        "kind": "CELL",
        "established_on": "02/09/2025",
    }
    response = send(client, world.commune_staff, "organization_create", data=payload)
    assert response.status_code == 201 and response.json()["code"] == "E"
    org = Organization.objects.get(code="E")
    assert org.parent == world.commune and org.history.latest().history_user == world.commune_staff


def test_the_commune_or_ward_flag_is_read_and_written(client, world):
    payload = {
        "parent": world.province.pk,
        "code": "X3",
        "name": "Đảng bộ xã Vị Bình",
        "kind": "GRASSROOTS_COMMITTEE",
    }
    created = send(client, world.province_admin, "organization_create", data={**payload, "residential": True})
    assert created.status_code == 201 and created.json()["residential"] is True
    org = Organization.objects.get(code="X3")
    response = send(
        client,
        world.province_admin,
        "organization_update",
        org.pk,
        method="patch",
        data={"version": org.version, "residential": False},
    )
    assert response.status_code == 200 and response.json()["residential"] is False
    org.refresh_from_db()
    assert org.residential is False


def test_create_with_bad_input_names_the_field(client, world):
    payload = {"parent": world.commune.pk, "code": "A", "name": "Trùng mã", "kind": "CELL"}
    response = send(client, world.commune_staff, "organization_create", data=payload)
    assert response.status_code == 400 and "code" in response.json()["fields"]
    response = send(
        client,
        world.commune_staff,
        "organization_create",
        data={**payload, "code": "Z", "kind": "CELL", "parent": world.cell_a.pk},
    )
    assert response.status_code == 422 and "parent" in response.json()["fields"]
    response = send(client, world.commune_staff, "organization_create", data={"parent": world.commune.pk})
    assert response.status_code == 400 and {"code", "name", "kind"} <= set(response.json()["fields"])


def test_create_is_refused_to_a_too_low_role_and_an_outsider(client, world):
    payload = {"parent": world.commune.pk, "code": "E", "name": "Chi bộ 5", "kind": "CELL"}
    assert send(client, world.commune_leader, "organization_create", data=payload).status_code == 403
    assert send(client, world.secretary_b, "organization_create", data=payload).status_code == 404


def test_update_with_version_and_stale_version(client, world):
    org = Organization.objects.get(pk=world.cell_a.pk)
    response = send(client, world.commune_staff, "organization_update", org.pk, method="patch",
                    data={"version": org.version, "address": "Khu vực 1"})  # fmt: skip
    assert response.status_code == 200 and response.json()["address"] == "Khu vực 1"
    stale = send(client, world.commune_staff, "organization_update", org.pk, method="patch",
                 data={"version": org.version, "address": "Khác"})  # fmt: skip
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Organization.objects.get(pk=org.pk).address == "Khu vực 1"


def test_update_refused_to_a_member_and_an_outsider(client, world):
    data = {"version": 1, "address": "x"}
    assert (
        send(
            client, world.member_a, "organization_update", world.cell_a.pk, method="patch", data=data
        ).status_code
        == 403
    )
    assert (
        send(
            client, world.secretary_b, "organization_update", world.cell_a.pk, method="patch", data=data
        ).status_code
        == 404
    )


def test_merge_through_the_api(client, world):
    payload = {"sources": [world.cell_a.pk, world.cell_b.pk], "new_code": "AB", "new_name": "Chi bộ 1-2",
               "effective_on": "01/03/2026", "decision_number": "15-QĐ/ĐU"}  # fmt: skip
    response = send(client, world.commune_staff, "organization_merge", data=payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "MERGE" and {s["code"] for s in body["sources"]} == {"A", "B"}
    assert body["targets"][0]["code"] == "AB" and body["details"] == {
        "members_moved": 3,
        "members_carried": 0,
        "handover": {},
    }
    assert Organization.objects.get(pk=world.cell_a.pk).status == OrgStatus.MERGED


def test_merge_errors(client, world):
    base = {"sources": [world.cell_a.pk], "effective_on": "2026-03-01"}
    response = send(client, world.commune_staff, "organization_merge", data=base)
    assert response.status_code == 422 and response.json()["fields"]["sources"] == [
        "Hãy chọn ít nhất hai tổ chức để sáp nhập."
    ]
    response = send(
        client, world.commune_staff, "organization_merge", data={**base, "effective_on": "not a date"}
    )
    assert response.status_code == 400 and "effective_on" in response.json()["fields"]
    response = send(
        client, world.commune_staff, "organization_merge", data={**base, "target": world.cell_d.pk}
    )
    assert response.status_code == 404
    response = send(
        client, world.commune_leader, "organization_merge", data={**base, "target": world.cell_b.pk}
    )
    assert response.status_code == 403


def test_split_move_rename_dissolve_through_the_api(client, world):
    staff = world.province_admin
    split = send(client, staff, "organization_split", data={
        "source": world.cell_a.pk, "effective_on": "2026-03-01",
        "parts": [{"code": "A1", "name": "1A", "member_ids": [world.member_a_record.pk]},
                  {"code": "A2", "name": "1B", "member_ids": [world.other_a_record.pk]}],
    })  # fmt: skip
    assert split.status_code == 201 and {t["code"] for t in split.json()["targets"]} == {"A1", "A2"}
    office = make_org(name="Đảng bộ cơ quan", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.commune2)
    move = send(
        client,
        staff,
        "organization_move",
        data={"organization": office.pk, "new_parent": world.province.pk, "effective_on": "2026-03-01"},
    )
    assert move.status_code == 201 and Organization.objects.get(pk=office.pk).parent == world.province
    rename = send(
        client,
        staff,
        "organization_rename",
        data={"organization": office.pk, "new_name": "Đảng bộ Khối", "effective_on": "2026-03-01"},
    )
    assert rename.status_code == 201 and rename.json()["details"]["old_name"] == "Đảng bộ cơ quan"
    refused = send(
        client,
        staff,
        "organization_dissolve",
        data={"organization": world.cell_d.pk, "effective_on": "2026-03-01"},
    )
    assert refused.status_code == 422 and "org" in refused.json()["fields"]
    dissolve = send(
        client, staff, "organization_dissolve", data={"organization": office.pk, "effective_on": "2026-03-01"}
    )
    assert dissolve.status_code == 201
    missing = send(
        client, staff, "organization_rename", data={"organization": office.pk, "effective_on": "2026-03-01"}
    )
    assert missing.status_code == 400 and "new_name" in missing.json()["fields"]


def test_terms_committees_positions_and_supervision(client, world):
    staff = world.commune_staff
    term = send(client, staff, "term_create", world.commune.pk,
                data={"name": "2025–2030", "starts_on": "2025-06-01", "committees": ["EXECUTIVE"]})  # fmt: skip
    assert term.status_code == 201
    term_obj = Term.objects.get(pk=term.json()["id"])
    committee = send(client, staff, "committee_create", term_obj.pk, data={"kind": "STANDING"})
    assert committee.status_code == 201
    duplicate = send(client, staff, "committee_create", term_obj.pk, data={"kind": "STANDING"})
    assert duplicate.status_code == 422 and "kind" in duplicate.json()["fields"]
    position = send(client, staff, "position_assign", committee.json()["id"],
                    data={"member": world.other_a_record.pk, "title": "SECRETARY", "starts_on": "2025-06-02"})  # fmt: skip
    assert position.status_code == 201 and position.json()["member"]["full_name"] == "Trần Văn An"
    outsider_member = send(client, staff, "position_assign", committee.json()["id"],
                           data={"member": world.member_d_record.pk, "title": "MEMBER", "starts_on": "2025-06-02"})  # fmt: skip
    assert outsider_member.status_code == 422 and "member" in outsider_member.json()["fields"]
    assignment = send(client, staff, "supervision_assign", world.cell_b.pk,
                      data={"supervisor": world.other_a_record.pk, "assigned_by": world.commune.pk, "starts_on": "2025-07-01"})  # fmt: skip
    assert assignment.status_code == 201 and assignment.json()["kind"] == "ATTEND"
    ended = send(client, staff, "supervision_end", assignment.json()["id"], data={"ends_on": "2026-01-01"})
    assert ended.status_code == 200 and SupervisionAssignment.objects.get().ends_on == dt.date(2026, 1, 1)
    ended = send(client, staff, "position_end", position.json()["id"], data={"ends_on": "2026-01-01"})
    assert ended.status_code == 200 and Position.objects.get().ends_on == dt.date(2026, 1, 1)
    bad = send(
        client,
        staff,
        "term_create",
        world.commune.pk,
        data={"name": "x", "starts_on": "2025-06-01", "ends_on": "2024-01-01"},
    )
    assert bad.status_code == 422 and "ends_on" in bad.json()["fields"]


def test_anonymous_gets_401(client, world):
    assert client.get(reverse("api:organization_list")).status_code == 401
