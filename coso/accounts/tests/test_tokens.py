"""Personal API tokens: the page lists, creates (shown once) and revokes them; the API accepts only live ones."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from coso.accounts.models import ApiToken
from coso.accounts.services import token_create

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(client, world):
    client.force_login(world.secretary_a)
    response = client.post(reverse("accounts:token_create"), {"name": "Báo cáo tháng"})
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw.startswith("coso_")
    token = ApiToken.objects.get(user=world.secretary_a)
    assert token.digest == ApiToken.hash(raw) and raw not in (token.digest, token.hint)
    assert token.name == "Báo cáo tháng"
    again = client.get(reverse("accounts:token_list"))
    assert raw not in again.content.decode()
    assert token.hint in again.content.decode()


def test_the_token_page_lists_only_my_tokens(client, world):
    mine, _raw = token_create(user=world.secretary_a, name="của tôi")
    theirs, _raw = token_create(user=world.secretary_b, name="của người khác")
    client.force_login(world.secretary_a)
    response = client.get(reverse("accounts:token_list"))
    assert list(response.context["tokens"]) == [mine]
    assert "của người khác" not in response.content.decode()


def test_a_too_long_token_name_is_refused_and_kept(client, world):
    client.force_login(world.secretary_a)
    response = client.post(reverse("accounts:token_create"), {"name": "x" * 101})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_by_the_api(client, world):
    token, raw = token_create(user=world.secretary_a)
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(reverse("api:me"), headers=headers).status_code == 200
    client.force_login(world.secretary_a)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    client.logout()
    response = client.get(reverse("api:me"), headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_someone_elses_token_cannot_be_revoked(client, world):
    token, _raw = token_create(user=world.secretary_b)
    client.force_login(world.secretary_a)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_using_a_token_records_when_it_was_last_used(client, world):
    token, raw = token_create(user=world.member_a)
    assert token.last_used_at is None
    with time_machine.travel(dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC), tick=False):
        response = client.get(reverse("api:member_list"), headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)


def test_a_wrong_or_inactive_users_token_is_refused(client, world):
    _token, raw = token_create(user=world.member_a)
    assert client.get(reverse("api:me"), headers={"Authorization": "Bearer coso_wrong"}).status_code == 401
    world.member_a.is_active = False
    world.member_a.save()
    assert client.get(reverse("api:me"), headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_the_token_acts_with_the_owners_scope(client, world):
    _token, raw = token_create(user=world.secretary_b)
    url = reverse("api:member_detail", args=[world.other_a_record.pk])
    assert client.get(url, headers={"Authorization": f"Bearer {raw}"}).status_code == 404


def test_the_command_line_creates_lists_and_revokes_tokens(world, capsys):
    call_command("coso_token", "create", "secretary_a", "--name", "cron")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(user=world.secretary_a)
    assert ApiToken.hash(raw) == token.digest
    call_command("coso_token", "list", "secretary_a")
    assert token.hint in capsys.readouterr().out
    call_command("coso_token", "revoke", "secretary_a", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_command_line_refuses_an_unknown_user(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("coso_token", "create", "nobody_here")
