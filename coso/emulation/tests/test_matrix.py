"""Permission matrix for every emulation page and API operation.

The movement is commune C1's, for its cells; the scorecards and covenants are cell A's. Everyone below or above
C1 sees the movement (it reaches down), so secretary_b sees it but not cell A's scores (404); the commune's staff
and leader are the upper committee that scores cell A; the leader does not sign or self-score for the cell;
member_a only reads.
"""

from __future__ import annotations

import pytest

from coso.testing.matrix import Case, check_case, matrix_params, statuses

from .conftest import make_movement, self_scored, upper_scored

JSON = "application/json"

VIEW_ALL = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
VIEW_IN_A = {**VIEW_ALL, "secretary_b": 404}
MANAGE_GET = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip
MANAGE_POST = {**MANAGE_GET, "province_admin": 302, "commune_staff": 302, "commune_leader": 302}
SIGN_ANY = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=403, secretary_a=200, member_a=403,
    secretary_b=200,
)  # fmt: skip
SIGN_A = {**SIGN_ANY, "secretary_b": 404}
SIGN_A_POST = {**SIGN_A, "province_admin": 302, "commune_staff": 302, "secretary_a": 302}
UPPER_POST = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=302, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
API_VIEW_ALL = {**VIEW_ALL, "anonymous": 401}
API_VIEW_IN_A = {**VIEW_IN_A, "anonymous": 401}
API_MANAGE = {
    **MANAGE_GET,
    "anonymous": 401,
    "province_admin": 201,
    "commune_staff": 201,
    "commune_leader": 201,
}
# The commune is outside the cells' scope: the organization of the request is not found for them.
API_LAUNCH = {**API_MANAGE, "secretary_a": 404, "member_a": 404, "secretary_b": 404}
API_SIGN = {**SIGN_A, "anonymous": 401, "province_admin": 201, "commune_staff": 201, "secretary_a": 201}
API_SELF = {**SIGN_A, "anonymous": 401}  # 200 for those who sign and self-score
API_UPPER = {
    **UPPER_POST,
    "anonymous": 401,
    "province_admin": 200,
    "commune_staff": 200,
    "commune_leader": 200,
}
API_AWARD = {**API_MANAGE, "secretary_b": 404}


def _movement(world):
    if not hasattr(world, "emulation_movement"):
        world.emulation_movement = make_movement(world)
    return world.emulation_movement


def _criteria(world):
    return list(_movement(world).criteria.order_by("position"))


def _scorecard_url(state):
    def build(world):
        movement = _movement(world)
        if state in ("self_scored", "upper_scored"):
            card = self_scored(movement, world.cell_a)
            if state == "upper_scored":
                upper_scored(card)
        return f"/emulation/{movement.pk}/scores/{world.cell_a.pk}/2024/"

    return build


def _api_scorecard(state, suffix):
    def build(world):
        page_url = _scorecard_url(state)(world)
        movement = _movement(world)
        return (
            page_url.replace(
                f"/emulation/{movement.pk}/scores/", f"/api/v1/emulation/movements/{movement.pk}/scorecards/"
            )
            + suffix
        )

    return build


def _api_scores(world):
    return {"scores": {str(c.pk): 8 for c in _criteria(world)}}


def _scores(prefix, step):
    def data(world):
        return {"step": step, **{f"{prefix}-score_{c.pk}": "8" for c in _criteria(world)}}

    return data


def _new_movement(world):
    data = {"organization": world.commune.pk, "name": "Đảng bộ cơ sở bốn tốt", "start_year": "2023",
            "end_year": "2025", "target": "CELLS"}  # fmt: skip
    for i, weight in enumerate((40, 30, 20, 10)):
        data |= {f"c{i}_name": f"Tiêu chí {i + 1}", f"c{i}_weight": str(weight), f"c{i}_max": "10"}
    return data


def _award(world):
    return {"organization": world.cell_a.pk, "kind": "CERTIFICATE_OF_MERIT", "year": "2024",
            "issuer": "Đảng ủy phường", "decision_number": "12-QĐ/ĐU", "decision_date": "10/01/2025"}  # fmt: skip


CASES = [
    Case("emulation:movement_list", lambda w: "/emulation/", VIEW_ALL),
    Case("emulation:movement_create", lambda w: "/emulation/new/", MANAGE_GET),
    Case(
        "emulation:movement_create",
        lambda w: "/emulation/new/",
        MANAGE_POST,
        method="post",
        data=_new_movement,
    ),
    Case("emulation:movement_detail", lambda w: f"/emulation/{_movement(w).pk}/", VIEW_ALL),
    Case("emulation:movement_export", lambda w: f"/emulation/{_movement(w).pk}/export/?year=2024", VIEW_ALL),
    Case(
        "emulation:covenant_sign", lambda w: f"/emulation/{_movement(w).pk}/sign/", SIGN_ANY, label="GET pick"
    ),
    Case(
        "emulation:covenant_sign",
        lambda w: f"/emulation/{_movement(w).pk}/sign/?org={w.cell_a.pk}",
        SIGN_A,
        label="GET sign A",
    ),
    Case(
        "emulation:covenant_sign",
        lambda w: f"/emulation/{_movement(w).pk}/sign/?org={w.cell_a.pk}",
        SIGN_A_POST,
        method="post",
        data=lambda w: {"signed_on": "01/06/2023", "signed_by": "Nguyễn Văn Bí", "commitments": "Giữ vững"},
    ),
    Case("emulation:scorecard", _scorecard_url("new"), VIEW_IN_A),
    Case(
        "emulation:scorecard",
        _scorecard_url("new"),
        SIGN_A_POST,
        method="post",
        data=_scores("self", "self"),
        label="POST self-score",
    ),
    Case(
        "emulation:scorecard",
        _scorecard_url("self_scored"),
        UPPER_POST,
        method="post",
        data=_scores("upper", "upper"),
        label="POST upper score",
    ),
    Case(
        "emulation:scorecard",
        _scorecard_url("upper_scored"),
        UPPER_POST,
        method="post",
        data=lambda w: {"step": "decide", "result": "ACHIEVED"},
        label="POST decide",
    ),
    Case("emulation:award_list", lambda w: "/emulation/awards/", VIEW_ALL),
    Case("emulation:award_create", lambda w: "/emulation/awards/new/", MANAGE_GET),
    Case(
        "emulation:award_create",
        lambda w: f"/emulation/awards/new/?member={w.member_a_record.pk}",
        MANAGE_GET,
        label="GET award for member",
    ),
    Case(
        "emulation:award_create",
        lambda w: f"/emulation/awards/new/?org={w.cell_a.pk}",
        MANAGE_GET,
        label="GET award for org",
    ),
    Case(
        "emulation:award_create", lambda w: "/emulation/awards/new/", MANAGE_POST, method="post", data=_award
    ),
    Case("api:emulation_movement_list", lambda w: "/api/v1/emulation/movements", API_VIEW_ALL),
    Case(
        "api:emulation_movement_create",
        lambda w: "/api/v1/emulation/movements",
        API_LAUNCH,
        method="post",
        content_type=JSON,
        data=lambda w: {
            "organization": w.commune.pk,
            "name": "Chi bộ bốn tốt",
            "start_year": 2023,
            "end_year": 2025,
        },
    ),
    Case(
        "api:emulation_movement_detail",
        lambda w: f"/api/v1/emulation/movements/{_movement(w).pk}",
        API_VIEW_ALL,
    ),
    Case(
        "api:emulation_covenant_list",
        lambda w: f"/api/v1/emulation/movements/{_movement(w).pk}/covenants",
        API_VIEW_ALL,
    ),
    Case(
        "api:emulation_covenant_create",
        lambda w: f"/api/v1/emulation/movements/{_movement(w).pk}/covenants",
        API_SIGN,
        method="post",
        content_type=JSON,
        data=lambda w: {"organization": w.cell_a.pk, "signed_on": "2023-06-01", "signed_by": "Nguyễn Văn Bí"},
    ),
    Case(
        "api:emulation_scorecard_list",
        lambda w: f"/api/v1/emulation/movements/{_movement(w).pk}/scorecards?year=2024",
        API_VIEW_ALL,
    ),
    Case(
        "api:emulation_self_score",
        _api_scorecard("new", "self"),
        API_SELF,
        method="post",
        content_type=JSON,
        data=_api_scores,
    ),
    Case(
        "api:emulation_upper_score",
        _api_scorecard("self_scored", "upper"),
        API_UPPER,
        method="post",
        content_type=JSON,
        data=_api_scores,
    ),
    Case(
        "api:emulation_result",
        _api_scorecard("upper_scored", "result"),
        API_UPPER,
        method="post",
        content_type=JSON,
        data=lambda w: {"result": "ACHIEVED"},
    ),
    Case("api:emulation_award_list", lambda w: "/api/v1/emulation/awards", API_VIEW_ALL),
    Case(
        "api:emulation_award_create",
        lambda w: "/api/v1/emulation/awards",
        API_AWARD,
        method="post",
        content_type=JSON,
        data=lambda w: {
            "organization": w.cell_a.pk,
            "kind": "COMMENDATION",
            "year": 2024,
            "issuer": "Tỉnh ủy",
            "decision_number": "5-QĐ/TU",
            "decision_date": "2025-01-10",
        },
    ),
]


@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
