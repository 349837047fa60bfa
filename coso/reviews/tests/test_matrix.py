"""Permission matrix for every review page.

The cycle is the commune C1's; reviews are of member_a (cell A). secretary_b (cell B, under C1) sees the cycle
but not cell A's reviews (404); only member_a writes their own review; the cell's secretary and the commune's
office propose; the commune's leader decides.
"""

from __future__ import annotations

import pytest

from coso.reviews.models import ReviewStatus
from coso.testing.matrix import Case, check_case, matrix_params, statuses

from .factories import make_cycle, make_review

S = ReviewStatus

ALL = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
IN_A = {**ALL, "secretary_b": 404}
MANAGE = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip
MANAGE_POST = {**MANAGE, "province_admin": 302, "commune_staff": 302, "commune_leader": 302}
OWN_GET = statuses(
    anonymous=302, province_admin=403, commune_staff=403, commune_leader=403, secretary_a=403, member_a=200,
    secretary_b=404,
)  # fmt: skip
OWN_POST = {**OWN_GET, "member_a": 302}
START_OWN = statuses(
    anonymous=302, province_admin=403, commune_staff=403, commune_leader=403, secretary_a=403, member_a=302,
    secretary_b=403,
)  # fmt: skip
PROPOSE = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=302, secretary_a=302, member_a=403,
    secretary_b=404,
)  # fmt: skip
DECIDE = statuses(
    anonymous=302, province_admin=302, commune_staff=403, commune_leader=302, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
OBJECT = statuses(
    anonymous=302, province_admin=403, commune_staff=403, commune_leader=403, secretary_a=403, member_a=302,
    secretary_b=404,
)  # fmt: skip


# The committee that opened the cycle (commune C1) sends prompts; the cells' accounts may not.
PROMPT_POST = {**MANAGE, "province_admin": 302, "commune_staff": 302, "commune_leader": 302}


def _cycle(world):
    return make_cycle(world.commune)


def _review(status, suffix=""):
    def build(world):
        review = make_review(_cycle(world), world.member_a_record, status=status)
        return f"/reviews/r/{review.pk}/{suffix}"

    return build


def _new_cycle(world):
    return {
        "organization": world.commune.pk, "kind": "TERM", "year": "2026", "review_date": "10/12/2026",
        "self_review_due": "05/12/2026", "cell_due": "10/12/2026", "committee_due": "15/12/2026",
        "decision_due": "20/12/2026",
    }  # fmt: skip


def _self(world):
    return {
        "strengths": "Gương mẫu",
        "shortcomings": "Còn chậm",
        "self_score": "80",
        "self_grade": "GOOD",
        "version": 1,
    }


def _cell(world):
    return {"grade": "GOOD", "score": "80", "votes_for": "5", "votes_against": "0", "version": 1}


def _rating(world):
    return {"grade": "GOOD", "score": "80", "version": 1}


JSON = "application/json"
API = {**ALL, "anonymous": 401}
API_IN_A = {**IN_A, "anonymous": 401}
# The commune is outside the scope of cell A and cell B's accounts: for them it does not exist.
API_MANAGE = {
    **MANAGE, "anonymous": 401, "province_admin": 201, "commune_staff": 201, "commune_leader": 201,
    "secretary_a": 404, "member_a": 404, "secretary_b": 404,
}  # fmt: skip
API_START_OWN = {**START_OWN, "anonymous": 401, "member_a": 201}
API_OWN = {**OWN_GET, "anonymous": 401}
API_PROPOSE = {
    **PROPOSE,
    "anonymous": 401,
    "province_admin": 200,
    "commune_staff": 200,
    "commune_leader": 200,
    "secretary_a": 200,
}
API_DECIDE = {**DECIDE, "anonymous": 401, "province_admin": 200, "commune_leader": 200}
API_OBJECT = {**OBJECT, "anonymous": 401, "member_a": 200}


def _api_review(status, suffix=""):
    def build(world):
        review = make_review(_cycle(world), world.member_a_record, status=status)
        return f"/api/v1/reviews/{review.pk}{suffix}"

    return build


def _api_cycle(world):
    return {
        "organization": world.commune.pk, "kind": "TERM", "year": 2026, "review_date": "2026-12-10",
        "self_review_due": "2026-12-05", "cell_due": "2026-12-10", "committee_due": "2026-12-15",
        "decision_due": "2026-12-20",
    }  # fmt: skip


CASES = [
    Case("reviews:cycle_list", lambda w: "/reviews/", ALL),
    Case("reviews:cycle_create", lambda w: "/reviews/new/", MANAGE),
    Case("reviews:cycle_create", lambda w: "/reviews/new/", MANAGE_POST, method="post", data=_new_cycle),
    Case("reviews:cycle_detail", lambda w: f"/reviews/{_cycle(w).pk}/", ALL),
    Case("reviews:cycle_export", lambda w: f"/reviews/{_cycle(w).pk}/export/", ALL),
    Case("reviews:cycle_summary", lambda w: f"/reviews/{_cycle(w).pk}/summary/", ALL),
    Case("reviews:cycle_not_rated", lambda w: f"/reviews/{_cycle(w).pk}/not-rated/", ALL),
    Case("reviews:cycle_prompts", lambda w: f"/reviews/{_cycle(w).pk}/prompts/", ALL),
    Case(
        "reviews:cycle_prompts",
        lambda w: f"/reviews/{_cycle(w).pk}/prompts/",
        PROMPT_POST,
        method="post",
        data=lambda w: {"organization": w.cell_a.pk, "text": "Làm rõ việc sinh hoạt chưa đều"},
    ),  # fmt: skip
    Case(
        "reviews:review_prompt",
        _review(S.DRAFT, "prompt/"),
        {**PROMPT_POST, "secretary_b": 404},
        method="post",
        data=lambda w: {"text": "Làm rõ việc chậm nộp bài thu hoạch"},
    ),  # fmt: skip
    Case(
        "reviews:review_start",
        lambda w: f"/reviews/{_cycle(w).pk}/start/",
        START_OWN,
        method="post",
        data=lambda w: {},
    ),
    Case("reviews:review_detail", _review(S.SUBMITTED), IN_A),
    Case("reviews:review_docx", _review(S.DECIDED, "form.docx"), IN_A),
    Case("reviews:review_edit", _review(S.DRAFT, "edit/"), OWN_GET),
    Case("reviews:review_edit", _review(S.DRAFT, "edit/"), OWN_POST, method="post", data=_self),
    Case(
        "reviews:review_rate",
        _review(S.SUBMITTED, "rate/CELL/"),
        PROPOSE,
        method="post",
        data=_cell,
        label="POST cell",
    ),
    Case(
        "reviews:review_rate",
        _review(S.ADVISED, "rate/DECISION/"),
        DECIDE,
        method="post",
        data=_rating,
        label="POST decision",
    ),
    Case(
        "reviews:review_object",
        _review(S.DECIDED, "object/"),
        OBJECT,
        method="post",
        data=lambda w: {"reason": "Chưa thỏa đáng"},
    ),
    Case("api:review_cycle_list", lambda w: "/api/v1/reviews/cycles", API),
    Case(
        "api:review_cycle_open",
        lambda w: "/api/v1/reviews/cycles",
        API_MANAGE,
        method="post",
        data=_api_cycle,
        content_type=JSON,
    ),
    Case("api:review_cycle_detail", lambda w: f"/api/v1/reviews/cycles/{_cycle(w).pk}", API),
    Case("api:review_list", lambda w: f"/api/v1/reviews/cycles/{_cycle(w).pk}/reviews", API),
    Case(
        "api:review_start",
        lambda w: f"/api/v1/reviews/cycles/{_cycle(w).pk}/reviews",
        API_START_OWN,
        method="post",
        data=lambda w: {},
        content_type=JSON,
    ),  # fmt: skip
    Case("api:review_detail", _api_review(S.SUBMITTED), API_IN_A),
    Case(
        "api:review_update",
        _api_review(S.DRAFT),
        API_OWN,
        method="patch",
        data=lambda w: {"version": 1, "strengths": "Gương mẫu"},
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:review_submit",
        _api_review(S.DRAFT, "/submit"),
        {**API_OWN, "member_a": 422},
        method="post",
        data=lambda w: {"version": 1},
        content_type=JSON,
        label="POST api submit (empty draft: 422)",
    ),  # fmt: skip
    Case(
        "api:review_rate",
        _api_review(S.SUBMITTED, "/ratings"),
        API_PROPOSE,
        method="post",
        data=lambda w: {
            "level": "CELL",
            "grade": "GOOD",
            "score": 80,
            "votes_for": 5,
            "votes_against": 0,
            "version": 1,
        },
        content_type=JSON,
    ),  # fmt: skip
    Case(
        "api:review_rate",
        _api_review(S.ADVISED, "/ratings"),
        API_DECIDE,
        method="post",
        data=lambda w: {"level": "DECISION", "grade": "GOOD", "score": 80, "version": 1},
        content_type=JSON,
        label="POST api decision",
    ),  # fmt: skip
    Case(
        "api:review_object",
        _api_review(S.DECIDED, "/objection"),
        API_OBJECT,
        method="post",
        data=lambda w: {"reason": "Chưa thỏa đáng"},
        content_type=JSON,
    ),  # fmt: skip
]


@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_route_permissions(client, world, case, persona):
    check_case(client, world, case, persona)
