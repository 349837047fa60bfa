"""Permission matrix for every accounts page and API operation.

Targets live in cell A: the grant and the user are secretary_a's, so secretary_b is the outsider (404); the
cell's own people see that the record exists but may not read or change grants (403). Only system
administrators manage grants; they, the committee's leaders and inspection read the access log; tokens belong to their owner alone.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.accounts.models import ApiToken, RoleGrant
from coso.testing.matrix import Case, check_case, matrix_params, statuses

JSON = "application/json"

ALL_PAGES = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
LOGIN = statuses(
    anonymous=200, province_admin=302, commune_staff=302, commune_leader=302, secretary_a=302, member_a=302,
    secretary_b=302,
)  # fmt: skip
OPEN_TO_ALL = statuses(
    anonymous=200, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
REDIRECT_ALL = statuses(
    anonymous=302, province_admin=302, commune_staff=302, commune_leader=302, secretary_a=302, member_a=302,
    secretary_b=302,
)  # fmt: skip
GRANT_READERS = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip
USER_IN_A = statuses(
    anonymous=302, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
ADMIN_ONLY = statuses(
    anonymous=302, province_admin=200, commune_staff=403, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip
ADMIN_POST = {**ADMIN_ONLY, "province_admin": 302}
# The access log: administrators, the committee's leaders and inspection, each for their subtree.
LOG_READERS = {**ADMIN_ONLY, "commune_leader": 200}
# API tokens are for staff tools; a plain member is refused.
TOKEN_PAGES = {**ALL_PAGES, "member_a": 403}
MANAGE_IN_A = statuses(
    anonymous=302, province_admin=200, commune_staff=403, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip
MANAGE_IN_A_POST = {**MANAGE_IN_A, "province_admin": 302}
OWNER_ONLY_POST = statuses(
    anonymous=302, province_admin=404, commune_staff=404, commune_leader=404, secretary_a=302, member_a=404,
    secretary_b=404,
)  # fmt: skip
API_ALL = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=200, member_a=200,
    secretary_b=200,
)  # fmt: skip
API_GRANT_READERS = statuses(
    anonymous=401, province_admin=200, commune_staff=200, commune_leader=200, secretary_a=403, member_a=403,
    secretary_b=403,
)  # fmt: skip
API_MANAGE_IN_A = statuses(
    anonymous=401, province_admin=200, commune_staff=403, commune_leader=403, secretary_a=403, member_a=403,
    secretary_b=404,
)  # fmt: skip


def grant_of_a(world) -> RoleGrant:
    return RoleGrant.objects.get(user=world.secretary_a, organization=world.cell_a)


def token_of_a(world) -> ApiToken:
    token, _raw = ApiToken.issue(user=world.secretary_a, name="matrix")
    return token


def new_account(world) -> dict:
    return {
        "member": world.other_a_record.card_number,
        "username": "tran.van.an",
        "password1": "Mật-khẩu-thật-dài-2026",
        "password2": "Mật-khẩu-thật-dài-2026",
        "role": "MEMBER",
    }


CASES = [
    Case("accounts:login", lambda w: reverse("accounts:login"), LOGIN),
    Case("accounts:logout", lambda w: reverse("accounts:logout"), REDIRECT_ALL, method="post"),
    # Passwords: each user changes their own; anyone may ask for a reset (the answer never tells who exists).
    Case("accounts:password_change", lambda w: reverse("accounts:password_change"), ALL_PAGES),
    Case(
        "accounts:password_change",
        lambda w: reverse("accounts:password_change"),
        {
            **ALL_PAGES,
            "province_admin": 302,
            "commune_staff": 302,
            "commune_leader": 302,
            "secretary_a": 302,
            "member_a": 302,
            "secretary_b": 302,
        },
        method="post",
        data=lambda w: {
            "old_password": "matkhau-thu-nghiem-1",
            "new_password1": "Mật-khẩu-mới-dài-2027",
            "new_password2": "Mật-khẩu-mới-dài-2027",
        },
    ),  # fmt: skip
    Case("accounts:password_change_done", lambda w: reverse("accounts:password_change_done"), ALL_PAGES),
    Case("accounts:password_reset", lambda w: reverse("accounts:password_reset"), OPEN_TO_ALL),
    Case(
        "accounts:password_reset",
        lambda w: reverse("accounts:password_reset"),
        REDIRECT_ALL,
        method="post",
        data=lambda w: {"email": "ai.do@example.vn"},
    ),
    Case("accounts:password_reset_done", lambda w: reverse("accounts:password_reset_done"), OPEN_TO_ALL),
    Case(
        "accounts:password_reset_confirm",
        lambda w: reverse("accounts:password_reset_confirm", args=["MQ", "sai-ma"]),
        OPEN_TO_ALL,
    ),
    Case(
        "accounts:password_reset_complete", lambda w: reverse("accounts:password_reset_complete"), OPEN_TO_ALL
    ),
    Case("accounts:user_list", lambda w: reverse("accounts:user_list"), GRANT_READERS),
    Case(
        "accounts:user_detail", lambda w: reverse("accounts:user_detail", args=[w.secretary_a.pk]), USER_IN_A
    ),
    Case("accounts:user_create", lambda w: reverse("accounts:user_create"), ADMIN_ONLY),
    Case(
        "accounts:user_create",
        lambda w: reverse("accounts:user_create"),
        ADMIN_POST,
        method="post",
        data=new_account,
    ),
    Case(
        "accounts:grant_create", lambda w: reverse("accounts:grant_create", args=[w.member_a.pk]), MANAGE_IN_A
    ),
    Case(
        "accounts:grant_create",
        lambda w: reverse("accounts:grant_create", args=[w.member_a.pk]),
        MANAGE_IN_A_POST,
        method="post",
        data=lambda w: {"organization": w.cell_a.pk, "role": "CELL_SECRETARY"},
    ),
    Case(
        "accounts:grant_revoke",
        lambda w: reverse("accounts:grant_revoke", args=[grant_of_a(w).pk]),
        MANAGE_IN_A_POST,
        method="post",
    ),
    Case("accounts:token_list", lambda w: reverse("accounts:token_list"), TOKEN_PAGES),
    Case(
        "accounts:token_create",
        lambda w: reverse("accounts:token_create"),
        TOKEN_PAGES,
        method="post",
        data=lambda w: {"name": "matrix"},
    ),
    Case(
        "accounts:token_revoke",
        lambda w: reverse("accounts:token_revoke", args=[token_of_a(w).pk]),
        OWNER_ONLY_POST,
        method="post",
    ),
    Case("accounts:access_log", lambda w: reverse("accounts:access_log"), LOG_READERS),
    Case("accounts:access_log_export", lambda w: reverse("accounts:access_log_export"), LOG_READERS),
    Case("api:me", lambda w: reverse("api:me"), API_ALL),
    Case("api:grant_list", lambda w: reverse("api:grant_list"), API_GRANT_READERS),
    Case(
        "api:grant_create",
        lambda w: reverse("api:grant_create"),
        {**API_MANAGE_IN_A, "province_admin": 201},
        method="post",
        data=lambda w: {"user": w.member_a.pk, "organization": w.cell_a.pk, "role": "CELL_SECRETARY"},
        content_type=JSON,
    ),
    Case(
        "api:grant_revoke",
        lambda w: reverse("api:grant_revoke", args=[grant_of_a(w).pk]),
        API_MANAGE_IN_A,
        method="post",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))
def test_permission_matrix(client, world, case, persona):
    check_case(client, world, case, persona)
