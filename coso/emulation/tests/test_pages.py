"""The emulation pages: launching with weights that must add up, the covenant register, the scorecard's flow
and numbers, the XLSX reopened, the awards, and fixed query counts on the list pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from coso.accounts.permissions import SYSTEM
from coso.emulation import services
from coso.emulation.models import Award, AwardKind, Movement, Scorecard, ScoreResult
from coso.orgs import widgets
from coso.orgs.models import OrgKind
from coso.testing.factories import make_org

from .conftest import make_movement, self_scored, sign, upper_scored


def _form(world, weights=(25, 25, 25, 25)):
    data = {"organization": world.commune.pk, "name": "Chi bộ bốn tốt", "start_year": "2023", "end_year": "2025",
            "target": "CELLS"}  # fmt: skip
    for i, weight in enumerate(weights):
        data |= {f"c{i}_name": f"Tiêu chí {i + 1}", f"c{i}_weight": str(weight), f"c{i}_max": "10"}
    return data


def test_the_launch_form_is_prefilled_with_the_four_goods(client, world):
    client.force_login(world.commune_staff)
    response = client.get("/emulation/new/")
    html = response.content.decode()
    assert "Thực hiện tốt nhiệm vụ chính trị" in html
    assert "Đội ngũ cán bộ, đảng viên tốt" in html
    assert response.context["form"]["c0_weight"].value() == 25


def test_weights_that_do_not_add_up_are_shown_in_vietnamese(client, world):
    client.force_login(world.commune_staff)
    response = client.post("/emulation/new/", _form(world, weights=(25, 25, 25, 20)))
    assert response.status_code == 200
    assert "Tổng trọng số đang là 95%; tổng trọng số phải đúng bằng 100%." in response.content.decode()
    assert not Movement.objects.exists()


def test_launching_keeps_the_criteria(client, world):
    client.force_login(world.commune_leader)
    response = client.post("/emulation/new/", _form(world, weights=(40, 30, 20, 10)))
    movement = Movement.objects.get()
    assert response.status_code == 302
    assert list(movement.criteria.values_list("weight", flat=True)) == [40, 30, 20, 10]


def test_the_register_tells_who_signed_and_filters(client, world, movement):
    sign(movement, world.cell_a)
    client.force_login(world.commune_staff)
    response = client.get(f"/emulation/{movement.pk}/")
    assert response.context["counts"] == {"total": 2, "signed": 1, "unsigned": 1}
    unsigned = client.get(f"/emulation/{movement.pk}/?signed=no")
    assert [row["organization"].code for row in unsigned.context["rows"]] == ["B"]


def test_the_covenant_picker_is_the_search_as_you_type_picker(client, world, movement, monkeypatch):
    monkeypatch.setattr(widgets, "PICKER_THRESHOLD", 1)
    client.force_login(world.commune_staff)
    url = f"/emulation/{movement.pk}/sign/"
    html = client.get(url).content.decode()
    assert 'role="combobox"' in html and f'<option value="{world.cell_a.pk}"' not in html
    # Without JavaScript the typed code is resolved, within the movement's cells.
    typed = client.get(url, {"org": "", "org_text": "a"})
    assert typed.status_code == 302 and typed["Location"] == f"{url}?org={world.cell_a.pk}"
    outside = client.get(url, {"org": "", "org_text": "C1"})
    assert outside.status_code == 200 and outside.context["form"].errors["org"]


def test_signing_through_the_form(client, world, movement):
    client.force_login(world.secretary_a)
    response = client.post(
        f"/emulation/{movement.pk}/sign/?org={world.cell_a.pk}",
        {"signed_on": "01/06/2023", "signed_by": "Nguyễn Văn Bí", "commitments": "Giữ vững"},
    )
    assert response.status_code == 302
    assert movement.covenants.get().signed_by == "Nguyễn Văn Bí"


def _post_scores(client, movement, world, step, values):
    criteria = list(movement.criteria.order_by("position"))
    data = {"step": step, **{f"{step}-score_{c.pk}": str(v) for c, v in zip(criteria, values, strict=True)}}
    return client.post(f"/emulation/{movement.pk}/scores/{world.cell_a.pk}/2024/", data)


def test_the_scorecard_flow_self_then_upper_then_result(client, world, movement):
    client.force_login(world.secretary_a)
    url = f"/emulation/{movement.pk}/scores/{world.cell_a.pk}/2024/"
    page = client.get(url)
    assert page.context["self_form"] is not None and page.context["upper_form"] is None
    assert _post_scores(client, movement, world, "self", (8, 9, 7, 10)).status_code == 302
    client.force_login(world.commune_staff)
    page = client.get(url)
    assert page.context["self_form"] is not None  # the commune office may correct until it scores
    assert page.context["upper_form"] is not None and page.context["decide_form"] is None
    assert _post_scores(client, movement, world, "upper", (8, 8, 7, 9)).status_code == 302
    client.force_login(world.commune_leader)
    assert client.post(url, {"step": "decide", "result": "ACHIEVED"}).status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert page.context["card"].result == ScoreResult.ACHIEVED
    assert 'data-testid="self-total">85,00<' in html
    assert 'data-testid="upper-total">80,00<' in html
    # Shown together, the points add up to the totals.
    rows = page.context["points"]["rows"]
    assert sum(row["upper_points"] for row in rows) == page.context["points"]["upper_total"]


def test_the_cell_cannot_give_the_upper_score_through_the_page(client, world, movement):
    self_scored(movement, world.cell_a)
    client.force_login(world.secretary_a)
    assert _post_scores(client, movement, world, "upper", (10, 10, 10, 10)).status_code == 403


def test_a_score_over_the_maximum_is_shown_next_to_the_field(client, world, movement):
    client.force_login(world.secretary_a)
    response = _post_scores(client, movement, world, "self", (11, 9, 7, 10))
    assert response.status_code == 200
    assert response.context["self_form"].errors
    assert not Scorecard.objects.exists()


def test_the_export_has_the_same_numbers_as_the_page(client, world, movement):
    card = self_scored(movement, world.cell_a, scores=(8, 9, 7, 10))
    upper_scored(card, scores=(8, 8, 7, 9))
    services.scorecard_decide(actor=SYSTEM, scorecard=card, result=ScoreResult.ACHIEVED)
    client.force_login(world.commune_staff)
    response = client.get(f"/emulation/{movement.pk}/export/?year=2024")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã", "Tổ chức đảng", "Thực hiện tốt nhiệm vụ chính trị: điểm (trên 10)",
                           "Thực hiện tốt nhiệm vụ chính trị: điểm quy đổi (trọng số 25%)")  # fmt: skip
    assert rows[0][-3:] == ("Tổng điểm tự chấm", "Tổng điểm cấp trên chấm", "Kết quả")
    assert len(rows) == 2
    row = rows[1]
    assert row[:2] == ("A", "Chi bộ khu vực 1")
    points = [Decimal(str(v)) for v in row[3:11:2]]
    assert points == [Decimal("20"), Decimal("20"), Decimal("17.5"), Decimal("22.5")]
    assert Decimal(str(row[-2])) == sum(points) == Decimal("80")
    assert Decimal(str(row[-3])) == Decimal("85")
    assert row[-1] == "Được công nhận"


def test_the_export_refuses_a_year_outside_the_movement(client, world, movement):
    client.force_login(world.commune_staff)
    assert client.get(f"/emulation/{movement.pk}/export/?year=2030").status_code == 404


def test_the_movement_page_costs_the_same_queries_whatever_the_number_of_cells(
    client, world, movement, django_assert_num_queries
):
    client.force_login(world.commune_staff)
    sign(movement, world.cell_a)
    upper_scored(self_scored(movement, world.cell_a))
    url = f"/emulation/{movement.pk}/?year=2024"
    client.get(url)
    with CaptureQueriesContext(connection) as baseline:
        client.get(url)
    for n in range(30):
        cell = make_org(name=f"Chi bộ ấp {n}", kind=OrgKind.CELL, parent=world.commune, code=f"X{n}")
        sign(movement, cell)
        upper_scored(self_scored(movement, cell))
    with django_assert_num_queries(len(baseline)):
        response = client.get(url)
    assert len(response.context["rows"]) == 25


def test_the_lists_cost_fixed_queries(client, world, movement, django_assert_num_queries):
    client.force_login(world.commune_staff)

    def award(n):
        services.award_create(
            actor=SYSTEM, kind=AwardKind.COMMENDATION, member=world.member_a_record if n % 2 else None,
            organization=None if n % 2 else world.cell_a, year=2024, issuer="Tỉnh ủy",
            decision_number=f"{n}-QĐ/TU", decision_date=dt.date(2025, 1, 10),
        )  # fmt: skip

    award(0)
    for url in ("/emulation/", "/emulation/awards/"):
        client.get(url)
        with CaptureQueriesContext(connection) as baseline:
            client.get(url)
        for n in range(1, 8):
            award(n)
            make_movement(world, name=f"Phong trào {url} {n}")
        with django_assert_num_queries(len(baseline)):
            response = client.get(url)
        assert response.status_code == 200
    assert Award.objects.count() == 15


def test_the_awards_list_filters_by_kind(client, world):
    for kind in (AwardKind.EMULATION_FLAG, AwardKind.CLEAN_AND_STRONG):
        services.award_create(
            actor=SYSTEM, kind=kind, organization=world.cell_a, year=2024, issuer="Tỉnh ủy",
            decision_number="1-QĐ/TU", decision_date=dt.date(2025, 1, 10),
        )  # fmt: skip
    client.force_login(world.member_a)
    response = client.get("/emulation/awards/?kind=EMULATION_FLAG")
    assert [a.kind for a in response.context["page"].object_list] == [AwardKind.EMULATION_FLAG]
    assert "Cờ thi đua" in response.content.decode()


def test_an_award_for_a_member_shows_on_the_member_page(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        f"/emulation/awards/new/?member={world.member_a_record.pk}",
        {"kind": "CERTIFICATE_OF_MERIT", "year": "2024", "issuer": "Đảng ủy phường", "decision_number": "9-QĐ/ĐU",
         "decision_date": "15/01/2025", "reason": "Hoàn thành xuất sắc nhiệm vụ"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"/members/{world.member_a_record.pk}/")
    html = page.content.decode()
    assert 'data-testid="member-awards"' in html
    assert "Giấy khen" in html and "9-QĐ/ĐU" in html


def test_the_organization_page_lists_its_awards(client, world):
    services.award_create(
        actor=SYSTEM, kind=AwardKind.EMULATION_FLAG, organization=world.cell_a, year=2024, issuer="Tỉnh ủy",
        decision_number="77-QĐ/TU", decision_date=dt.date(2025, 1, 10),
    )  # fmt: skip
    client.force_login(world.member_a)
    html = client.get(f"/orgs/{world.cell_a.pk}/").content.decode()
    assert 'data-testid="org-awards"' in html and "Cờ thi đua" in html and "77-QĐ/TU" in html
    assert "/emulation/awards/new/" not in html  # a member reads, does not record
    client.force_login(world.commune_staff)
    html = client.get(f"/orgs/{world.cell_a.pk}/").content.decode()
    assert f"/emulation/awards/new/?org={world.cell_a.pk}" in html


def test_the_register_filters_a_part_of_the_tree(client, world):
    movement = make_movement(world, organization=world.province, name="Bốn tốt toàn tỉnh")
    client.force_login(world.province_admin)
    everything = client.get(f"/emulation/{movement.pk}/")
    assert {row["organization"].code for row in everything.context["rows"]} == {"A", "B", "D"}
    within = client.get(f"/emulation/{movement.pk}/?org={world.commune2.pk}")
    assert [row["organization"].code for row in within.context["rows"]] == ["D"]


def test_the_scorecard_says_who_scored_and_when(client, world, movement):
    client.force_login(world.secretary_a)
    _post_scores(client, movement, world, "self", (8, 9, 7, 10))
    html = client.get(f"/emulation/{movement.pk}/scores/{world.cell_a.pk}/2024/").content.decode()
    assert 'data-testid="self-submitted"' in html and str(world.secretary_a) in html
    assert 'data-testid="upper-scored"' not in html
