"""`coso token`: a token created on the command line opens the API; once revoked it is refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from coso.accounts.models import ApiToken


def run(*args) -> str:
    out = io.StringIO()
    call_command("coso_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def api_get(client, raw: str):
    return client.get("/api/v1/members/", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_created_token_opens_the_api_and_revoked_by_hint_is_refused(world, client):
    raw = run("create", "commune_staff", "--name", "office script").strip()
    assert raw.startswith("coso_")
    token = ApiToken.objects.get(user=world.commune_staff)
    assert token.name == "office script"
    assert token.digest != raw and raw not in token.digest
    response = api_get(client, raw)
    assert response.status_code == 200
    names = {row["full_name"] for row in response.json()["results"]}
    assert "Nguyễn Thị Hoà" in names and "Phạm Văn Dũng" not in names  # scoped to the commune

    listing = run("list", "commune_staff")
    assert token.hint in listing and "office script" in listing and raw not in listing

    run("revoke", "commune_staff", token.hint)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_get(client, raw).status_code == 401


def test_a_token_can_be_revoked_by_id(world, client):
    raw = run("create", "secretary_a").strip()
    token = ApiToken.objects.get(user=world.secretary_a)
    run("revoke", "secretary_a", str(token.pk))
    assert api_get(client, raw).status_code == 401


def test_revoking_someone_elses_token_is_refused(world):
    run("create", "secretary_a")
    token = ApiToken.objects.get(user=world.secretary_a)
    with pytest.raises(CommandError):
        run("revoke", "secretary_b", token.hint)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_unknown_user_is_an_error(db):
    with pytest.raises(CommandError, match="no user"):
        run("create", "nobody")
