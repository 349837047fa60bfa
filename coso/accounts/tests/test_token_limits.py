"""API tokens expire (one year by default, shown on the token page), can be read-only, and stop working while
their user is locked out after failed log-ins or deactivated (issue 9 §9)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coso.accounts.models import ApiToken
from coso.accounts.services import token_create
from coso.core.exceptions import RuleViolation
from coso.members.models import Member

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_lives_one_year_by_default_and_the_page_says_until_when(client, world, settings):
    client.force_login(world.secretary_a)
    response = client.post(reverse("accounts:token_create"), {"name": "Báo cáo"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=world.secretary_a)
    expected = timezone.now() + dt.timedelta(days=settings.COSO_API_TOKEN_DAYS)
    assert abs(token.expires_at - expected) < dt.timedelta(minutes=1)
    page = client.get(reverse("accounts:token_list")).content.decode()
    assert timezone.localtime(token.expires_at).strftime("%d/%m/%Y") in page
    assert "Hết hạn" in page  # the column, in Vietnamese


def test_an_expired_token_is_refused_with_a_reason_and_shown_expired(client, world):
    client.force_login(world.secretary_a)
    client.post(reverse("accounts:token_create"), {"name": "ngắn", "days": "30"})
    token = ApiToken.objects.get(user=world.secretary_a)
    client.logout()
    _token, raw = token_create(user=world.member_a, days=30)
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        response = client.get(reverse("api:me"), headers=bearer(raw))
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        assert "hết hạn" in response.json()["message"]
        client.force_login(world.secretary_a)
        page = client.get(reverse("accounts:token_list"))
        row = page.content.decode().split(f'data-token="{token.pk}"')[1].split("</tr>")[0]
        assert "đã hết hạn" in row and "Thu hồi" not in row


def test_a_lifetime_longer_than_allowed_is_refused_and_nothing_is_issued(client, world, settings):
    client.force_login(world.secretary_a)
    response = client.post(reverse("accounts:token_create"), {"name": "mãi mãi", "days": "5000"})
    assert response.status_code == 400
    assert response.context["form"].errors["days"]
    assert response.context["form"]["name"].value() == "mãi mãi"
    assert not ApiToken.objects.exists()
    with pytest.raises(RuleViolation):
        token_create(user=world.secretary_a, days=settings.COSO_API_TOKEN_DAYS + 1)


def test_a_read_only_token_reads_but_every_write_is_refused(client, world):
    client.force_login(world.commune_staff)
    client.post(reverse("accounts:token_create"), {"name": "xem", "read_only": "on"})
    client.logout()
    token = ApiToken.objects.get(user=world.commune_staff)
    assert token.read_only
    _token, raw = token_create(user=world.commune_staff, read_only=True)
    member = Member.objects.get(pk=world.member_a_record.pk)
    url = reverse("api:member_update", args=[member.pk])
    assert client.get(url, headers=bearer(raw)).status_code == 200
    response = client.patch(
        url, {"version": member.version, "occupation": "Thợ mộc"}, content_type="application/json",
        headers=bearer(raw),
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden" and "chỉ đọc" in response.json()["message"]
    member.refresh_from_db()
    assert member.occupation != "Thợ mộc"
    # The same owner's read-write token may write.
    _token, writer = token_create(user=world.commune_staff)
    response = client.patch(
        url, {"version": member.version, "occupation": "Thợ mộc"}, content_type="application/json",
        headers=bearer(writer),
    )  # fmt: skip
    assert response.status_code == 200


def test_the_token_page_marks_read_only_tokens(client, world):
    token_create(user=world.secretary_a, name="chỉ xem", read_only=True)
    client.force_login(world.secretary_a)
    page = client.get(reverse("accounts:token_list")).content.decode()
    assert "chỉ đọc" in page.split('data-testid="token-access"')[1].split("</td>")[0]


def test_tokens_stop_while_the_account_is_locked_out_and_work_again_after(client, world, settings):
    _token, raw = token_create(user=world.secretary_a)
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 200
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("accounts:login"),
            {"username": "secretary_a", "password": "sai"},
            REMOTE_ADDR="203.0.113.9",
        )
    # Locked out from that address; the token, sent from anywhere, is refused too.
    response = client.get(reverse("api:me"), headers=bearer(raw), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 401
    assert "khoá" in response.json()["message"]
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    with time_machine.travel(timezone.now() + cool_off + dt.timedelta(minutes=1)):
        assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 200


def test_a_deactivated_users_token_stops_and_works_again_when_reactivated(client, world):
    _token, raw = token_create(user=world.member_a)
    world.member_a.is_active = False
    world.member_a.save()
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 401
    world.member_a.is_active = True
    world.member_a.save()
    assert client.get(reverse("api:me"), headers=bearer(raw)).status_code == 200


def test_the_command_line_issues_a_short_read_only_token(world, capsys):
    call_command("coso_token", "create", "secretary_a", "--days", "7", "--read-only")
    token = ApiToken.objects.get(user=world.secretary_a)
    assert token.read_only
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    call_command("coso_token", "list", "secretary_a")
    listed = capsys.readouterr().out
    assert "read-only" in listed and f"active until {token.expires_at:%d/%m/%Y}" in listed
