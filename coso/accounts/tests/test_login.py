"""Log-in hardening: lockout after repeated failures, Argon2, session expiry, CSRF, logout by POST only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-thu-nghiem-1"


def test_the_login_page_is_vietnamese_with_a_language_switch(client, world):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập" in body
    assert 'data-testid="lang-switch"' in body
    assert reverse("set_language") in body


def test_a_good_password_logs_in_and_goes_home(client, world):
    response = client.post(reverse("accounts:login"), {"username": "secretary_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_a_wrong_password_is_refused_in_vietnamese(client, world):
    response = client.post(reverse("accounts:login"), {"username": "secretary_a", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_repeated_failures_lock_the_account_with_a_vietnamese_page(client, world, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == int(__import__("os").environ.get("COSO_LOGIN_FAILURE_LIMIT", "5"))
    for _attempt in range(limit - 1):
        response = client.post(reverse("accounts:login"), {"username": "secretary_a", "password": "sai"})
        assert response.status_code == 200
    response = client.post(reverse("accounts:login"), {"username": "secretary_a", "password": "sai"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in body
    # Even the right password is refused while locked.
    response = client.post(reverse("accounts:login"), {"username": "secretary_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2():
    # Read the settings module itself: the test suite swaps in a fast hasher.
    from coso import settings as coso_settings

    assert coso_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_a_new_password_is_stored_as_argon2(world, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    world.member_a.set_password("một-mật-khẩu-dài")
    assert world.member_a.password.startswith("argon2")


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_forms_are_refused_without_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "secretary_a", "password": PASSWORD})
    assert response.status_code == 403
    client.force_login(world.secretary_a)
    assert client.post(reverse("accounts:token_create"), {"name": "x"}).status_code == 403


def test_a_form_with_its_csrf_token_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("accounts:login"),
        {"username": "secretary_a", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_logout_is_a_post(client, world):
    client.force_login(world.secretary_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
