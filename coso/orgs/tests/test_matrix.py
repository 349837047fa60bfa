"""Permission matrix for every orgs page and API operation.

Objects live in cell A (or commune C1 where the route needs a committee): secretary_b is the outsider (404), the
commune leader and the cell A people are the too-low roles for writes (403), anonymous is sent to log in (302)
or refused (401).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver, reverse

from coso.accounts.permissions import SYSTEM
from coso.orgs import services
from coso.orgs.models import (
    Committee,
    CommitteeKind,
    Organization,
    OrgKind,
    Position,
    SupervisionAssignment,
    Term,
)
from coso.testing.factories import make_org
from coso.testing.matrix import Case, check_case, matrix_params, statuses

JSON = "application/json"

VIEW_ALL = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
VIEW_IN_A = {**VIEW_ALL, "secretary_b": 404}
OFFICE_GET = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
OFFICE_POST = {**OFFICE_GET, "province_admin": 302, "commune_staff": 302}
# On commune C1: the cell A people cannot see it at all.
COMMUNE_GET = {**OFFICE_GET, "secretary_a": 404, "member_a": 404}
COMMUNE_POST = {**COMMUNE_GET, "province_admin": 302, "commune_staff": 302}
# Tools with no object in the URL: a role without the permission anywhere gets 403.
RESTRUCTURE_GET = {**OFFICE_GET, "secretary_b": 403}
RESTRUCTURE_POST = {**RESTRUCTURE_GET, "province_admin": 302, "commune_staff": 302}
SUPERVISION_GET = {**VIEW_ALL, "member_a": 403}
SUPERVISION_POST = {**RESTRUCTURE_POST}

API_VIEW_ALL = {**VIEW_ALL, "anonymous": 401}
API_VIEW_IN_A = {**VIEW_IN_A, "anonymous": 401}
API_WRITE = {**OFFICE_GET, "anonymous": 401}
API_CREATE = {**API_WRITE, "province_admin": 201, "commune_staff": 201}
API_COMMUNE_CREATE = {**API_CREATE, "secretary_a": 404, "member_a": 404}
API_REFUSED_BY_RULE = {**API_WRITE, "province_admin": 422, "commune_staff": 422}


# --- objects the routes act on (created on demand, once per test) ------------------------------------------------


def cell_term(w) -> Term:
    term, _created = Term.objects.get_or_create(
        organization=w.cell_a, name="2025–2027", defaults={"starts_on": dt.date(2025, 6, 1)}
    )
    return term


def cell_committee(w) -> Committee:
    committee, _created = Committee.objects.get_or_create(
        organization=w.cell_a, term=cell_term(w), kind=CommitteeKind.CELL_COMMITTEE
    )
    return committee


def cell_position(w) -> Position:
    position = Position.objects.filter(committee=cell_committee(w)).first()
    return position or services.position_assign(
        actor=SYSTEM,
        committee=cell_committee(w),
        member=w.other_a_record,
        title="SECRETARY",
        starts_on=dt.date(2025, 6, 2),
    )


def commune_seat(w) -> Position:
    position = Position.objects.filter(committee__organization=w.commune).first()
    if position:
        return position
    term = services.term_create(
        actor=SYSTEM,
        org=w.commune,
        name="2025–2030",
        starts_on=dt.date(2025, 6, 1),
        committee_kinds=["EXECUTIVE"],
    )
    return services.position_assign(
        actor=SYSTEM,
        committee=term.committees.get(),
        member=w.member_b_record,
        title="MEMBER",
        starts_on=dt.date(2025, 6, 2),
    )


def cell_supervision(w) -> SupervisionAssignment:
    assignment = SupervisionAssignment.objects.filter(organization=w.cell_a).first()
    return assignment or services.supervision_assign(
        actor=SYSTEM, supervisor=commune_seat(w).member, organization=w.cell_a, assigned_by=w.commune, kind="ATTEND",
        starts_on=dt.date(2025, 7, 1),
    )  # fmt: skip


def cell_rename(w) -> int:
    event = services.organization_rename(
        actor=SYSTEM,
        org=Organization.objects.get(pk=w.cell_a.pk),
        new_name="Chi bộ khu phố 1",
        effective_on=dt.date(2026, 3, 1),
    )
    return event.pk


def edit_form(w) -> dict:
    org = Organization.objects.get(pk=w.cell_a.pk)
    return {"code": org.code, "name": org.name, "address": "Khu vực 1", "version": org.version}


def sub_committee(w) -> Organization:
    return make_org(name="Đảng bộ bộ phận 1", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=w.commune, code="BP1")


def url(name, obj=None):
    if obj is None:
        return lambda w: reverse(name)
    return lambda w: reverse(name, args=[obj(w).pk])


A = lambda w: w.cell_a  # noqa: E731
C1 = lambda w: w.commune  # noqa: E731
DATED = {"effective_on": "2026-03-01"}

CASES = [
    Case("orgs:tree", url("orgs:tree"), VIEW_ALL),
    Case(
        "orgs:tree",
        lambda w: reverse("orgs:tree") + f"?node={w.cell_a.pk}",
        VIEW_IN_A,
        label="GET orgs:tree node",
    ),
    Case("orgs:detail", url("orgs:detail", A), VIEW_IN_A),
    Case("orgs:edit", url("orgs:edit", A), OFFICE_GET),
    Case("orgs:edit", url("orgs:edit", A), OFFICE_POST, method="post", data=edit_form),
    Case("orgs:create_child", url("orgs:create_child", C1), COMMUNE_GET),
    Case(
        "orgs:create_child",
        url("orgs:create_child", C1),
        COMMUNE_POST,
        method="post",
        data=lambda w: {"code": "E", "name": "Chi bộ khu vực 5", "kind": "CELL"},
    ),  # fmt: skip
    Case("orgs:term_create", url("orgs:term_create", A), OFFICE_GET),
    Case(
        "orgs:term_create",
        url("orgs:term_create", A),
        OFFICE_POST,
        method="post",
        data=lambda w: {"name": "2025–2027", "starts_on": "01/06/2025"},
    ),  # fmt: skip
    Case("orgs:committee_create", url("orgs:committee_create", A), OFFICE_GET),
    Case(
        "orgs:committee_create",
        url("orgs:committee_create", A),
        OFFICE_POST,
        method="post",
        data=lambda w: {"term": cell_term(w).pk, "kind": "CELL_COMMITTEE"},
    ),  # fmt: skip
    Case("orgs:position_assign", url("orgs:position_assign", A), OFFICE_GET),
    Case(
        "orgs:position_assign",
        url("orgs:position_assign", A),
        OFFICE_POST,
        method="post",
        data=lambda w: {
            "committee": cell_committee(w).pk,
            "member": w.other_a_record.pk,
            "title": "SECRETARY",
            "starts_on": "02/06/2025",
        },
    ),  # fmt: skip
    Case("orgs:position_end", url("orgs:position_end", cell_position), OFFICE_GET),
    Case(
        "orgs:position_end",
        url("orgs:position_end", cell_position),
        OFFICE_POST,
        method="post",
        data=lambda w: {"ends_on": "01/01/2026"},
    ),  # fmt: skip
    Case("orgs:restructure", url("orgs:restructure"), RESTRUCTURE_GET),
    Case(
        "orgs:restructure_form",
        lambda w: reverse("orgs:restructure_form", args=["merge"]) + f"?org={w.cell_a.pk}",
        RESTRUCTURE_GET,
    ),  # fmt: skip
    Case(
        "orgs:restructure_form",
        lambda w: reverse("orgs:restructure_form", args=["split"]) + f"?org={w.cell_a.pk}",
        RESTRUCTURE_GET,
        label="GET orgs:restructure_form split",
    ),  # fmt: skip
    Case(
        "orgs:restructure_form",
        lambda w: reverse("orgs:restructure_form", args=["merge"]),
        RESTRUCTURE_POST,
        method="post",
        data=lambda w: {
            "sources": [w.cell_a.pk],
            "target": w.cell_b.pk,
            "effective_on": "01/03/2026",
            "confirm": "1",
        },
    ),  # fmt: skip
    Case(
        "orgs:restructuring_detail",
        lambda w: reverse("orgs:restructuring_detail", args=[cell_rename(w)]),
        VIEW_IN_A,
    ),
    Case("orgs:supervision", url("orgs:supervision"), SUPERVISION_GET),
    Case(
        "orgs:supervision",
        url("orgs:supervision"),
        SUPERVISION_POST,
        method="post",
        data=lambda w: {"organization": w.cell_a.pk, "seat": commune_seat(w).pk, "starts_on": "01/07/2025"},
    ),  # fmt: skip
    # The picker's search: everyone finds what they may view; a scope asks for its perm (403 without it
    # anywhere), and a scope not signed by a field is refused.
    Case("orgs:pick", lambda w: reverse("orgs:pick") + "?q=chi", VIEW_ALL),
    Case(
        "orgs:pick",
        lambda w: reverse("orgs:pick") + "?perm=orgs.restructure&q=chi",
        {**RESTRUCTURE_GET, "secretary_b": 403},
        label="GET orgs:pick restructure",
    ),
    Case(
        "orgs:pick",
        lambda w: reverse("orgs:pick") + "?scope=forged&q=chi",
        {**VIEW_ALL, **{p: 400 for p in VIEW_ALL if p != "anonymous"}},
        label="GET orgs:pick forged scope",
    ),
    Case("orgs:supervision_end", url("orgs:supervision_end", cell_supervision), OFFICE_GET),
    Case(
        "orgs:supervision_end",
        url("orgs:supervision_end", cell_supervision),
        OFFICE_POST,
        method="post",
        data=lambda w: {"ends_on": "01/01/2026"},
    ),  # fmt: skip
    # --- API ---
    Case("api:organization_list", url("api:organization_list"), API_VIEW_ALL),
    Case("api:organization_tree", url("api:organization_tree"), API_VIEW_ALL),
    Case("api:organization_detail", url("api:organization_detail", A), API_VIEW_IN_A),
    Case("api:organization_subtree", url("api:organization_subtree", A), API_VIEW_IN_A),
    Case("api:restructuring_list", url("api:restructuring_list"), API_VIEW_ALL),
    Case("api:organization_unsupervised_list", url("api:organization_unsupervised_list"), API_VIEW_ALL),
    Case(
        "api:organization_create",
        url("api:organization_create"),
        API_COMMUNE_CREATE,
        method="post",
        data=lambda w: {"parent": w.commune.pk, "code": "E", "name": "Chi bộ khu vực 5", "kind": "CELL"},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:organization_update",
        url("api:organization_update", A),
        API_WRITE,
        method="patch",
        data=lambda w: {"version": Organization.objects.get(pk=w.cell_a.pk).version, "address": "Khu vực 1"},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:organization_merge",
        url("api:organization_merge"),
        API_CREATE,
        method="post",
        data=lambda w: {"sources": [w.cell_a.pk], "target": w.cell_b.pk, **DATED},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:organization_split",
        url("api:organization_split"),
        API_CREATE,
        method="post",
        data=lambda w: {
            "source": w.cell_a.pk,
            **DATED,
            "parts": [
                {"code": "A1", "name": "1A", "member_ids": [w.member_a_record.pk]},
                {"code": "A2", "name": "1B", "member_ids": [w.other_a_record.pk]},
            ],
        },
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:organization_move",
        url("api:organization_move"),
        API_CREATE,
        method="post",
        data=lambda w: {"organization": w.cell_a.pk, "new_parent": sub_committee(w).pk, **DATED},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:organization_rename",
        url("api:organization_rename"),
        API_CREATE,
        method="post",
        data=lambda w: {"organization": w.cell_a.pk, "new_name": "Chi bộ khu phố 1", **DATED},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:organization_dissolve",
        url("api:organization_dissolve"),
        API_REFUSED_BY_RULE,
        method="post",
        data=lambda w: {"organization": w.cell_a.pk, **DATED},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:term_create",
        url("api:term_create", A),
        API_CREATE,
        method="post",
        data=lambda w: {"name": "2025–2027", "starts_on": "2025-06-01", "committees": ["CELL_COMMITTEE"]},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:committee_create",
        url("api:committee_create", cell_term),
        API_CREATE,
        method="post",
        data=lambda w: {"kind": "CELL_COMMITTEE"},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:position_assign",
        url("api:position_assign", cell_committee),
        API_CREATE,
        method="post",
        data=lambda w: {"member": w.other_a_record.pk, "title": "SECRETARY", "starts_on": "2025-06-02"},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:position_end",
        url("api:position_end", cell_position),
        API_WRITE,
        method="post",
        data=lambda w: {"ends_on": "2026-01-01"},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:supervision_assign",
        url("api:supervision_assign", A),
        API_CREATE,
        method="post",
        data=lambda w: {
            "supervisor": commune_seat(w).member_id,
            "assigned_by": w.commune.pk,
            "starts_on": "2025-07-01",
        },
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:supervision_end",
        url("api:supervision_end", cell_supervision),
        API_WRITE,
        method="post",
        data=lambda w: {"ends_on": "2026-01-01"},
        content_type=JSON,
    ),  # fmt: skip
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)


def _route_names(namespace: str) -> dict[str, str]:
    """URL name → URL pattern text for every named route in `namespace`."""
    resolver = get_resolver().namespace_dict[namespace][1]
    return {
        name: entries[0][0][0][0] for name, entries in resolver.reverse_dict.lists() if isinstance(name, str)
    }


def test_cases_cover_every_orgs_route():
    pages = {f"orgs:{name}" for name in _route_names("orgs")}
    operations = {
        f"api:{name}" for name, pattern in _route_names("api").items() if pattern.startswith("orgs/")
    }
    covered = {case.route for case in CASES}
    assert {"orgs:tree", "orgs:restructure", "api:organization_merge"} <= pages | operations
    assert pages <= covered, f"orgs pages without a matrix case: {sorted(pages - covered)}"
    assert operations <= covered, f"orgs API operations without a matrix case: {sorted(operations - covered)}"
