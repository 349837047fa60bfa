"""Permission matrix for every members page and API operation (import/export routes are in test_matrix_import).

Objects live in cell A: secretary_b is the outsider (404), member_a the too-low role for writes (403) who still
sees the cell's list and records (masked).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver, reverse

from coso.members.models import Member
from coso.testing.factories import national_id_for
from coso.testing.matrix import Case, check_case, matrix_params, statuses

JSON = "application/json"

VIEW_ALL = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
VIEW_IN_A = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=404,
)  # fmt: skip
OFFICE_GET = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
OFFICE_POST = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
API_VIEW_ALL = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
API_VIEW_IN_A = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=404,
)  # fmt: skip
API_PERSONAL = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=403,
    secretary_b=404,
)  # fmt: skip
API_WRITE = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
API_CREATE = {**API_WRITE, "province_admin": 201, "commune_staff": 201}


def target(world) -> Member:
    return world.other_a_record


def member_form(world) -> dict:
    member = Member.objects.get(pk=world.other_a_record.pk)
    data = {
        name: getattr(member, name) or ""
        for name in ("full_name", "gender", "national_id", "phone", "theory_level")
    }
    data.update(
        date_of_birth=member.date_of_birth.strftime("%d/%m/%Y"),
        admitted_on=member.admitted_on.strftime("%d/%m/%Y"),
        full_member_on=member.full_member_on.strftime("%d/%m/%Y"),
        occupation="Kỹ sư",
        version=member.version,
    )
    return data


def new_member(world) -> dict:
    born = dt.date(1991, 9, 2)
    return {
        "organization": world.cell_a.pk,
        "full_name": "Tạ Thị Thu Hằng",
        "gender": "F",
        "date_of_birth": "02/09/1991",
        "admitted_on": "03/02/2016",
        "national_id": national_id_for("F", born, 31415),
        "theory_level": "NONE",
    }


def detail_url(name):
    return lambda world: reverse(name, args=[target(world).pk])


CASES = [
    Case("members:list", lambda w: reverse("members:list"), VIEW_ALL),
    Case("members:detail", detail_url("members:detail"), VIEW_IN_A),
    Case("members:create", lambda w: reverse("members:create") + f"?org={w.cell_a.pk}", OFFICE_GET),
    Case(
        "members:create",
        lambda w: reverse("members:create") + f"?org={w.cell_a.pk}",
        OFFICE_POST,
        method="post",
        data=new_member,
    ),
    Case("members:edit", detail_url("members:edit"), OFFICE_GET),
    Case("members:edit", detail_url("members:edit"), OFFICE_POST, method="post", data=member_form),
    Case("members:event", detail_url("members:event"), OFFICE_GET),
    Case(
        "members:event",
        detail_url("members:event"),
        OFFICE_POST,
        method="post",
        data=lambda w: {"kind": "EXEMPTION", "occurred_on": "01/10/2026"},
    ),
    Case("members:transfer", detail_url("members:transfer"), OFFICE_GET),
    Case(
        "members:transfer",
        detail_url("members:transfer"),
        OFFICE_POST,
        method="post",
        data=lambda w: {"to_organization": w.cell_b.pk, "kind": "PERMANENT", "occurred_on": "01/10/2026"},
    ),
    Case("api:member_list", lambda w: reverse("api:member_list"), API_VIEW_ALL),
    Case("api:member_detail", detail_url("api:member_detail"), API_VIEW_IN_A),
    Case(
        "api:member_create",
        lambda w: reverse("api:member_create"),
        API_CREATE,
        method="post",
        data=lambda w: {**new_member(w), "date_of_birth": "1991-09-02", "admitted_on": "2016-02-03"},
        content_type=JSON,
    ),
    Case(
        "api:member_update",
        detail_url("api:member_update"),
        API_WRITE,
        method="patch",
        data=lambda w: {"version": Member.objects.get(pk=w.other_a_record.pk).version, "occupation": "Kỹ sư"},
        content_type=JSON,
    ),
    Case("api:member_event_list", detail_url("api:member_event_list"), API_PERSONAL),
    Case(
        "api:member_event_create",
        detail_url("api:member_event_create"),
        API_CREATE,
        method="post",
        data=lambda w: {"kind": "EXEMPTION", "occurred_on": "2026-10-01"},
        content_type=JSON,
    ),
    Case(
        "api:member_transfer",
        detail_url("api:member_transfer"),
        API_CREATE,
        method="post",
        data=lambda w: {"to_organization": w.cell_b.pk, "occurred_on": "2026-10-01"},
        content_type=JSON,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)


def _route_names(namespace: str) -> dict[str, str]:
    """URL name → URL pattern text for every named route in `namespace`."""
    resolver = get_resolver().namespace_dict[namespace][1]
    routes = {}
    for name, entries in resolver.reverse_dict.lists():
        if isinstance(name, str):
            routes[name] = entries[0][0][0][0]
    return routes


def _importers(name: str, pattern: str) -> bool:
    return any(word in name or word in pattern for word in ("import", "export"))


def test_cases_cover_every_members_route():
    pages = {f"members:{n}" for n, p in _route_names("members").items() if not _importers(n, p)}
    operations = {
        f"api:{n}"
        for n, p in _route_names("api").items()
        if p.startswith("members/") and not _importers(n, p)
    }
    covered = {case.route for case in CASES}
    assert {"members:list", "members:detail", "api:member_transfer"} <= pages | operations
    assert pages <= covered, f"members pages without a matrix case: {sorted(pages - covered)}"
    assert operations <= covered, (
        f"members API operations without a matrix case: {sorted(operations - covered)}"
    )
