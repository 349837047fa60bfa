"""The login lockout counts a username together with the client's real address (issue 9 §3): behind the
proxy, failures from one client lock that client out, not everybody who uses the same username."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "matkhau-thu-nghiem-1"
PROXY = "10.0.0.1"


def _login(client, password, client_address):
    return client.post(
        reverse("accounts:login"),
        {"username": "secretary_a", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_failures_from_one_client_do_not_lock_the_user_out_elsewhere(client, world, settings):
    settings.COSO_TRUSTED_PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "sai", "203.0.113.66")
    assert _login(client, PASSWORD, "203.0.113.66").status_code == 429
    # The same username from another client, through the same proxy, still logs in.
    response = _login(client, PASSWORD, "198.51.100.5")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_without_a_trusted_proxy_the_forwarded_header_does_not_dodge_the_lockout(client, world, settings):
    settings.COSO_TRUSTED_PROXY_COUNT = 0
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "sai", f"203.0.113.{attempt}")
    assert _login(client, PASSWORD, "198.51.100.5").status_code == 429
