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
    return {"grade": "GOOD", "score": "80", "votes_for": "5", "votes_against": "0", "version": 2}


def _rating(world):
    return {"grade": "GOOD", "score": "80", "version": 2}


CASES = [
    Case("reviews:cycle_list", lambda w: "/reviews/", ALL),
    Case("reviews:cycle_create", lambda w: "/reviews/new/", MANAGE),
    Case("reviews:cycle_create", lambda w: "/reviews/new/", MANAGE_POST, method="post", data=_new_cycle),
    Case("reviews:cycle_detail", lambda w: f"/reviews/{_cycle(w).pk}/", ALL),
    Case("reviews:cycle_export", lambda w: f"/reviews/{_cycle(w).pk}/export/", ALL),
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
]


@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_route_permissions(client, world, case, persona):
    check_case(client, world, case, persona)
