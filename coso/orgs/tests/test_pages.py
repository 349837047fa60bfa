"""The organization pages: tree (counts, lazy expansion, search, as-of date), organization page, edit forms with
optimistic locking, terms and seats, supervision coverage and restructuring with preview and confirm."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coso.accounts.permissions import SYSTEM
from coso.members.models import EventKind, Member
from coso.members.services import member_record_event
from coso.orgs import services
from coso.orgs.models import (
    Organization,
    OrgKind,
    OrgStatus,
    Position,
    PositionTitle,
    RestructuringEvent,
    SupervisionAssignment,
    Term,
)
from coso.testing.factories import make_member, make_org

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return response.content.decode()


# --- tree -------------------------------------------------------------------------------------------------------


def test_tree_shows_the_actors_part_with_counts_and_member_links(client, world):
    client.force_login(world.commune_staff)
    response = client.get(reverse("orgs:tree"))
    html = page(response)
    assert response.status_code == 200
    assert "Chi bộ khu vực 1" in html and "Chi bộ ấp 3" not in html
    assert f"{reverse('members:list')}?org={world.cell_a.pk}" in html
    assert f'data-org="{world.commune.pk}"' in html


def test_tree_counts_add_up_with_the_exempted_members_shown_on_the_page(client, world):
    """Full + probationary did not make the total: exempted members were only in a tooltip (issue 8 §2)."""
    exempt_member = make_member(world.cell_a, full_name="Võ Văn Miễn")
    member_record_event(
        actor=SYSTEM, member=exempt_member, kind=EventKind.EXEMPTION, occurred_on=dt.date(2026, 1, 5)
    )
    client.force_login(world.commune_staff)
    html = page(client.get(reverse("orgs:tree")))
    after = html[html.index(f'data-org="{world.cell_a.pk}"') :]
    counts = re.sub(r"<[^>]+>", " ", after[after.index("org-counts") : after.index("</span></span>")])
    full = int(re.search(r"(\d+) chính thức", counts).group(1))
    probationary = int(re.search(r"(\d+) dự bị", counts).group(1))
    exempt = int(re.search(r"(\d+) miễn sinh hoạt", counts).group(1))
    total = int(re.search(r"tổng (\d+)", counts).group(1))
    assert exempt == 1 and full + probationary + exempt == total


def test_tree_opens_at_the_users_level_and_loads_deeper_levels_with_htmx(client, world):
    client.force_login(world.province_admin)
    html = page(client.get(reverse("orgs:tree")))
    # The province and its communes; the cells load when a commune is opened.
    assert world.commune.name in html and world.cell_a.name not in html
    assert f'hx-get="{reverse("orgs:tree")}?node={world.commune.pk}"' in html
    fragment = client.get(reverse("orgs:tree"), {"node": world.commune.pk}, headers={"HX-Request": "true"})
    assert world.cell_a.name in page(fragment) and "<html" not in page(fragment)
    # A commune's staff starts at the commune: its cells are there at once.
    client.force_login(world.commune_staff)
    assert world.cell_a.name in page(client.get(reverse("orgs:tree")))


def test_tree_page_costs_the_same_with_many_more_cells(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    client.get(reverse("orgs:tree"))
    with CaptureQueriesContext(connection) as before:
        small = page(client.get(reverse("orgs:tree")))
    for n in range(60):
        make_org(name=f"Chi bộ thêm {n}", parent=world.commune2)
    with django_assert_max_num_queries(len(before)):
        large = page(client.get(reverse("orgs:tree")))
    assert "Chi bộ thêm" not in large and abs(len(large) - len(small)) < 2000


def test_a_level_with_many_organizations_shows_the_first_ones_and_loads_the_rest_on_demand(client, world):
    """A commune of a few hundred cells: its staff sees the first 50 and a link that loads the next ones."""
    from coso.orgs.views import TREE_PAGE

    for n in range(TREE_PAGE + 8):
        make_org(name=f"Chi bộ thêm {n:03d}", parent=world.commune)
    client.force_login(world.commune_staff)
    html = page(client.get(reverse("orgs:tree")))
    shown = re.findall(r"Chi bộ thêm \d{3}", html)
    # Cells A and B sort before the new ones (by path): 48 of the new cells are on the first screen.
    assert len(shown) == TREE_PAGE - 2 and "Chi bộ thêm 048" not in html
    more = re.search(r'data-testid="tree-more".*?hx-get="([^"]+)"', html)
    assert more is not None and "Hiện thêm 10 tổ chức" in html
    rest = page(client.get(more.group(1).replace("&amp;", "&"), headers={"HX-Request": "true"}))
    assert re.findall(r"Chi bộ thêm \d{3}", rest) == [f"Chi bộ thêm {n:03d}" for n in range(48, 58)]
    assert 'data-testid="tree-more"' not in rest and "<html" not in rest
    # The link also works without JavaScript: it leads to the commune's page, which lists its cells.
    assert f'href="{reverse("orgs:detail", args=[world.commune.pk])}"' in html


def test_tree_as_of_a_date_also_opens_level_by_level(client, world):
    client.force_login(world.province_admin)
    html = page(client.get(reverse("orgs:tree"), {"as_of": "15/03/2026"}))
    assert world.commune.name in html and world.cell_a.name not in html
    assert "as_of=15/03/2026" in html
    fragment = page(
        client.get(
            reverse("orgs:tree"),
            {"node": world.commune.pk, "as_of": "15/03/2026"},
            headers={"HX-Request": "true"},
        )
    )
    assert world.cell_a.name in fragment and "/members/?org=" not in fragment


def test_tree_search_ignores_accents(client, world):
    client.force_login(world.province_admin)
    html = page(client.get(reverse("orgs:tree"), {"q": "khu vuc 2"}))
    assert "Chi bộ khu vực 2" in html and "Chi bộ khu vực 1" not in html and "Chi bộ ấp 3" not in html


def test_tree_hides_merged_organizations_unless_asked(client, world):
    services.organization_merge(
        actor=SYSTEM, sources=[world.cell_b], target=world.cell_a, effective_on=dt.date(2026, 3, 1)
    )
    client.force_login(world.commune_staff)
    assert "Chi bộ khu vực 2" not in page(client.get(reverse("orgs:tree")))
    html = page(client.get(reverse("orgs:tree"), {"inactive": "on"}))
    assert "Chi bộ khu vực 2" in html and "01/03/2026" in html


def test_tree_as_of_a_date_shows_the_old_shape(client, world):
    services.organization_merge(
        actor=SYSTEM, sources=[world.cell_b], target=world.cell_a, effective_on=dt.date(2026, 3, 1)
    )
    client.force_login(world.commune_staff)
    html = page(client.get(reverse("orgs:tree"), {"as_of": "15/02/2026"}))
    assert "Chi bộ khu vực 2" in html and "15/02/2026" in html
    assert "Chi bộ khu vực 2" not in page(client.get(reverse("orgs:tree"), {"as_of": "15/03/2026"}))


def test_tree_refuses_a_future_date_and_keeps_it(client, world):
    client.force_login(world.commune_staff)
    html = page(client.get(reverse("orgs:tree"), {"as_of": "01/01/2030"}))
    assert 'data-field="as_of"' in html and "01/01/2030" in html


def test_tree_page_queries_do_not_grow_with_the_tree(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    for i in range(3):
        ward = make_org(name=f"Đảng bộ phường {i}", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.province)
        for j in range(5):
            make_member(make_org(name=f"Chi bộ {i}-{j}", parent=ward))
    # session, user, grants, organizations, counts by status, which nodes of the last loaded level have children
    # +1: the menu's unread-notifications count on every page.
    with django_assert_max_num_queries(8):  # includes the menu's unread-notifications count
        response = client.get(reverse("orgs:tree"))
    assert "Đảng bộ phường 2" in page(response)


# --- the organization page ---------------------------------------------------------------------------------------


def test_detail_shows_breadcrumb_counts_committee_and_warnings(client, world, seats):
    client.force_login(world.commune_staff)
    html = page(client.get(reverse("orgs:detail", args=[world.commune.pk])))
    assert "Đảng bộ tỉnh Hậu Giang" in html  # ancestor, outside the staff's scope: shown without a link
    assert f'href="{reverse("orgs:detail", args=[world.province.pk])}"' not in html
    assert 'data-count="total">5<' in html
    assert "Võ Thanh Tâm" in html and reverse("members:detail", args=[seats.secretary_member.pk]) in html
    assert 'data-warning="grassroots_committee_small"' in html
    assert 'data-warning="cell_too_small"' in html  # a child's warning in the sub-organizations table
    assert 'id="history"' in html


def test_detail_shows_past_terms_supervisors_and_restructurings(client, world, seats):
    Term.objects.create(
        organization=world.commune,
        name="2020–2025",
        starts_on=dt.date(2020, 6, 1),
        ends_on=dt.date(2025, 5, 31),
    )
    services.supervision_assign(
        actor=SYSTEM, supervisor=seats.executive_member, organization=world.cell_a, assigned_by=world.commune,
        kind="ATTEND", starts_on=dt.date(2025, 7, 1),
    )  # fmt: skip
    services.organization_rename(
        actor=SYSTEM, org=world.cell_a, new_name="Chi bộ khu phố 1", effective_on=dt.date(2026, 3, 1)
    )
    client.force_login(world.commune_staff)
    html = page(client.get(reverse("orgs:detail", args=[world.cell_a.pk])))
    assert "Đặng Thị Mai" in html and "01/07/2025" in html
    assert (
        reverse("orgs:restructuring_detail", args=[RestructuringEvent.objects.get(kind="RENAME").pk]) in html
    )
    commune = page(client.get(reverse("orgs:detail", args=[world.commune.pk])))
    assert 'id="past-terms"' in commune and "2020–2025" in commune
    assert 'id="supervises"' in commune


def test_detail_hides_history_and_edit_links_for_a_member(client, world):
    client.force_login(world.member_a)
    html = page(client.get(reverse("orgs:detail", args=[world.cell_a.pk])))
    assert 'id="history"' not in html and reverse("orgs:edit", args=[world.cell_a.pk]) not in html


def test_detail_page_queries_do_not_grow_with_children(client, world, seats, django_assert_max_num_queries):
    client.force_login(world.commune_staff)
    url = reverse("orgs:detail", args=[world.commune.pk])
    client.get(url)
    for i in range(6):
        make_member(make_org(name=f"Chi bộ {i}", parent=world.commune))
    with django_assert_max_num_queries(21):  # includes the menu's unread-notifications count
        response = client.get(url)
    assert "Chi bộ 5" in page(response)


# --- edit with optimistic locking --------------------------------------------------------------------------------


def edit_data(org: Organization, **overrides) -> dict:
    data = {"code": org.code, "name": org.name, "address": org.address, "established_on": "01/01/2015",
            "version": org.version}  # fmt: skip
    data.update(overrides)
    return data


def test_edit_saves_and_redirects(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("orgs:edit", args=[world.cell_a.pk]),
        edit_data(world.cell_a, address="Khu vực 1, phường Vị Tân"),
    )
    assert response.status_code == 302
    org = Organization.objects.get(pk=world.cell_a.pk)
    assert (
        org.address == "Khu vực 1, phường Vị Tân" and org.history.latest().history_user == world.commune_staff
    )


def test_edit_with_bad_input_keeps_what_was_typed(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("orgs:edit", args=[world.cell_a.pk]), edit_data(world.cell_a, code="B", address="Địa chỉ mới")
    )
    html = page(response)
    assert response.status_code == 200 and 'data-field="code"' in html and "Địa chỉ mới" in html
    assert Organization.objects.get(pk=world.cell_a.pk).address == ""


def test_edit_conflict_shows_a_message_and_keeps_the_input(client, world):
    stale = edit_data(world.cell_a, address="Địa chỉ của tôi")
    services.organization_update(
        actor=world.province_admin,
        org=world.cell_a,
        expected_version=world.cell_a.version,
        address="Địa chỉ khác",
    )
    client.force_login(world.commune_staff)
    response = client.post(reverse("orgs:edit", args=[world.cell_a.pk]), stale)
    html = page(response)
    assert response.status_code == 200 and 'data-testid="conflict"' in html
    assert "Địa chỉ của tôi" in html and "Địa chỉ khác" in html
    assert Organization.objects.get(pk=world.cell_a.pk).address == "Địa chỉ khác"
    # Saving again from the refreshed form is a conscious overwrite.
    fresh = Organization.objects.get(pk=world.cell_a.pk)
    response = client.post(
        reverse("orgs:edit", args=[world.cell_a.pk]), edit_data(fresh, address="Địa chỉ của tôi")
    )
    assert response.status_code == 302


def test_create_child_and_refuse_a_duplicate_code(client, world):
    client.force_login(world.commune_staff)
    url = reverse("orgs:create_child", args=[world.commune.pk])
    response = client.post(url, {"code": "A", "name": "Chi bộ trùng mã", "kind": "CELL"})
    assert (
        response.status_code == 200
        and 'data-field="code"' in page(response)
        and "Chi bộ trùng mã" in page(response)
    )
    response = client.post(
        url, {"code": "E", "name": "Chi bộ khu vực 5", "kind": "CELL", "established_on": "02/09/2025"}
    )
    child = Organization.objects.get(code="E")
    assert (
        response.status_code == 302
        and child.parent == world.commune
        and child.established_on == dt.date(2025, 9, 2)
    )


# --- terms, seats, supervision ---------------------------------------------------------------------------------


def test_term_with_committees_then_assign_and_end_a_position(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("orgs:term_create", args=[world.cell_a.pk]),
        {"name": "2025–2027", "starts_on": "01/06/2025", "committees": ["CELL_COMMITTEE"]},
    )
    assert response.status_code == 302
    committee = Term.objects.get(organization=world.cell_a).committees.get()
    url = reverse("orgs:position_assign", args=[world.cell_a.pk])
    data = {
        "committee": committee.pk,
        "member": world.other_a_record.pk,
        "title": "SECRETARY",
        "starts_on": "02/06/2025",
    }
    assert client.post(url, data).status_code == 302
    second = client.post(url, {**data, "member": world.member_a_record.pk})
    assert second.status_code == 200 and 'data-field="title"' in page(second)
    position = Position.objects.get(member=world.other_a_record)
    response = client.post(reverse("orgs:position_end", args=[position.pk]), {"ends_on": "01/01/2026"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.ends_on == dt.date(2026, 1, 1)


def test_term_with_bad_dates_keeps_the_input(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("orgs:term_create", args=[world.cell_a.pk]),
        {"name": "2025–2027", "starts_on": "01/06/2025", "ends_on": "31/12/2024"},
    )
    assert (
        response.status_code == 200
        and 'data-field="ends_on"' in page(response)
        and "2025–2027" in page(response)
    )
    assert not Term.objects.exists()


def test_position_member_must_be_in_the_organization(client, world, seats):
    client.force_login(world.province_admin)
    response = client.post(
        reverse("orgs:position_assign", args=[world.commune.pk]),
        {
            "committee": seats.executive.pk,
            "member": world.member_d_record.pk,
            "title": "MEMBER",
            "starts_on": "01/07/2025",
        },
    )
    assert response.status_code == 200 and 'data-field="member"' in page(response)


def test_supervision_page_lists_uncovered_organizations_and_assigns(client, world, seats):
    client.force_login(world.commune_staff)
    html = page(client.get(reverse("orgs:supervision")))
    assert f'data-org="{world.cell_a.pk}"' in html and f'data-org="{world.cell_d.pk}"' not in html
    response = client.post(
        reverse("orgs:supervision"),
        {"organization": world.cell_a.pk, "seat": seats.secretary.pk, "starts_on": "01/07/2025"},
    )
    assert response.status_code == 302
    assignment = SupervisionAssignment.objects.get()
    assert (assignment.supervisor, assignment.kind, assignment.assigned_by) == (
        seats.secretary_member, "ATTEND", world.commune,
    )  # fmt: skip
    html = page(client.get(reverse("orgs:supervision")))
    assert f'data-org="{world.cell_a.pk}"' not in html and f'data-assignment="{assignment.pk}"' in html
    response = client.post(reverse("orgs:supervision_end", args=[assignment.pk]), {"ends_on": "01/01/2026"})
    assert response.status_code == 302 and SupervisionAssignment.objects.get().ends_on == dt.date(2026, 1, 1)


def test_supervision_assign_with_bad_input_keeps_it(client, world, seats):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("orgs:supervision"),
        {
            "organization": world.commune.pk,
            "seat": seats.secretary.pk,
            "kind": "ATTEND",
            "starts_on": "01/07/2025",
        },
    )
    html = page(response)
    assert response.status_code == 200 and 'data-testid="form-errors"' in html
    assert not SupervisionAssignment.objects.exists()


# --- restructuring ----------------------------------------------------------------------------------------------


def merge_data(world, **overrides) -> dict:
    data = {"sources": [world.cell_a.pk, world.cell_b.pk], "target": "", "new_code": "AB", "new_name": "Chi bộ khu vực 1-2",
            "effective_on": "01/03/2026", "decision_number": "15-QĐ/ĐU", "note": ""}  # fmt: skip
    data.update(overrides)
    return data


def test_merge_previews_then_confirms_and_links_the_event(client, world):
    client.force_login(world.commune_staff)
    url = reverse("orgs:restructure_form", args=["merge"])
    preview = client.post(url, merge_data(world))
    html = page(preview)
    assert 'data-testid="preview"' in html
    assert "3 đảng viên và 0 tổ chức trực thuộc sẽ chuyển sang Chi bộ khu vực 1-2 từ ngày 01/03/2026" in html
    assert "Chi bộ khu vực 1, Chi bộ khu vực 2 sẽ được ghi là đã sáp nhập vào Chi bộ khu vực 1-2" in html
    assert not Organization.objects.filter(code="AB").exists()
    response = client.post(url, {**merge_data(world), "confirm": "1"})
    event = RestructuringEvent.objects.get(kind="MERGE")
    assert response.status_code == 302 and response["Location"] == reverse(
        "orgs:restructuring_detail", args=[event.pk]
    )
    html = page(client.get(response["Location"]))
    assert "15-QĐ/ĐU" in html and "Chi bộ khu vực 1-2" in html
    assert Organization.objects.get(pk=world.cell_a.pk).status == OrgStatus.MERGED
    listing = page(client.get(reverse("orgs:restructure")))
    assert f'data-event="{event.pk}"' in listing


def test_a_commune_merge_counts_the_members_who_move_with_their_cells(client, world):
    """Merging a commune moves its cells, and their members with them: the preview and the record count them
    (they said "0 members" when a whole commune of members moved)."""
    carried = Member.objects.filter(organization__path__startswith=world.commune2.path + ".").count()
    assert carried > 0
    client.force_login(world.province_admin)
    url = reverse("orgs:restructure_form", args=["merge"])
    data = merge_data(world, sources=[world.commune2.pk], target=world.commune.pk, new_code="", new_name="")
    html = page(client.post(url, data))
    assert f"{carried} đảng viên và 1 tổ chức trực thuộc sẽ chuyển sang {world.commune.name}" in html
    assert (
        f"0 người được ghi trực tiếp tại {world.commune2.name} và {carried} người ở lại chi bộ của mình"
        in html
    )
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302, page(response)
    record = page(client.get(response["Location"]))
    moved = re.search(r'data-testid="members-moved">(\d+)', record)
    assert moved and int(moved.group(1)) == carried


def test_merge_with_bad_input_keeps_what_was_typed(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("orgs:restructure_form", args=["merge"]),
        merge_data(world, sources=[world.cell_a.pk], new_code="", effective_on="01/01/2030"),
    )
    html = page(response)
    assert (
        'data-field="sources"' in html
        and 'data-field="new_code"' in html
        and 'data-field="effective_on"' in html
    )
    assert "Chi bộ khu vực 1-2" in html  # the typed name is kept
    assert not RestructuringEvent.objects.filter(kind="MERGE").exists()


def test_merge_with_an_organization_outside_scope_is_refused_as_not_found(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("orgs:restructure_form", args=["merge"]),
        merge_data(world, sources=[world.cell_a.pk, world.cell_d.pk]),
    )
    assert 'data-field="sources"' in page(response)


def test_back_returns_to_the_form_with_the_values(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        reverse("orgs:restructure_form", args=["merge"]), {**merge_data(world), "confirm": "1", "back": "1"}
    )
    html = page(response)
    assert 'data-testid="preview"' not in html and "Chi bộ khu vực 1-2" in html
    assert not RestructuringEvent.objects.filter(kind="MERGE").exists()


def test_split_assigns_each_member_to_a_part(client, world):
    client.force_login(world.commune_staff)
    url = reverse("orgs:restructure_form", args=["split"])
    form = page(client.get(url, {"org": world.cell_a.pk}))
    assert f'name="member_{world.member_a_record.pk}"' in form
    data = {"source": world.cell_a.pk, "parts": 2, "part_1_code": "A1", "part_1_name": "Chi bộ 1A", "part_2_code": "A2",
            "part_2_name": "Chi bộ 1B", f"member_{world.member_a_record.pk}": "1", f"member_{world.other_a_record.pk}": "2",
            "effective_on": "01/03/2026"}  # fmt: skip
    html = page(client.post(url, data))
    assert "Chi bộ 1A (mã A1) sẽ được tạo với 1 đảng viên." in html
    assert client.post(url, {**data, "confirm": "1"}).status_code == 302
    assert Member.objects.get(pk=world.other_a_record.pk).organization.code == "A2"


def test_move_rename_and_dissolve_through_the_pages(client, world):
    client.force_login(world.province_admin)
    office = make_org(name="Đảng bộ cơ quan", kind=OrgKind.GRASSROOTS_COMMITTEE, parent=world.commune2)
    base = {"effective_on": "01/03/2026", "confirm": "1"}
    move = client.post(
        reverse("orgs:restructure_form", args=["move"]),
        {**base, "org": office.pk, "new_parent": world.province.pk},
    )
    assert move.status_code == 302 and Organization.objects.get(pk=office.pk).parent == world.province
    rename = client.post(
        reverse("orgs:restructure_form", args=["rename"]),
        {**base, "org": office.pk, "new_name": "Đảng bộ Khối cơ quan"},
    )
    assert rename.status_code == 302 and Organization.objects.get(pk=office.pk).name == "Đảng bộ Khối cơ quan"
    refused = client.post(
        reverse("orgs:restructure_form", args=["dissolve"]), {**base, "org": world.cell_d.pk}
    )
    assert (
        refused.status_code == 200
        and "Hãy chuyển sinh hoạt các đảng viên của tổ chức này trước khi giải thể." in page(refused)
    )
    dissolve = client.post(reverse("orgs:restructure_form", args=["dissolve"]), {**base, "org": office.pk})
    assert (
        dissolve.status_code == 302 and Organization.objects.get(pk=office.pk).status == OrgStatus.DISSOLVED
    )


def test_unknown_restructuring_kind_is_not_found(client, world):
    client.force_login(world.province_admin)
    assert client.get(reverse("orgs:restructure_form", args=["explode"])).status_code == 404


def test_seats_fixture_titles(seats):
    assert seats.secretary.title == PositionTitle.SECRETARY


def test_supervision_and_restructuring_pages_have_bounded_queries(
    client, world, seats, django_assert_max_num_queries
):
    client.force_login(world.province_admin)
    for i in range(5):
        cell = make_org(name=f"Chi bộ {i}", parent=world.commune)
        services.organization_rename(
            actor=SYSTEM, org=cell, new_name=f"Chi bộ số {i}", effective_on=dt.date(2026, 3, 1)
        )
    # +4 against the restructuring page: the two paginators' counts, the per-area counts and the areas' names.
    # + the tree's roots once per request: the administrator's scope holds them all (permissions.scope_q).
    with django_assert_max_num_queries(13):  # includes the menu's unread-notifications count
        assert client.get(reverse("orgs:supervision")).status_code == 200
    with django_assert_max_num_queries(9):  # includes the menu's unread-notifications count
        assert client.get(reverse("orgs:restructure")).status_code == 200


def test_superusers_get_the_admin_pages(client, world):
    from coso.testing.factories import make_user

    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    for name in ("organization", "term", "position", "supervisionassignment", "restructuringevent"):
        assert client.get(reverse(f"admin:orgs_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:orgs_organization_change", args=[world.cell_a.pk])).status_code == 200
