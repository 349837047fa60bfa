"""The client's address behind trusted proxies, the deployment checks for rate limits, and the secret key."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core import checks
from django.test import RequestFactory

from coso.core.clients import client_ip


def _request(remote="10.0.0.1", forwarded=None, **meta):
    extra = {"REMOTE_ADDR": remote, **meta}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (None, "203.0.113.7", "10.0.0.1"),  # not configured: the header is ignored
        (0, "203.0.113.7", "10.0.0.1"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.99, 203.0.113.7", "203.0.113.7"),  # the client's own entries are not trusted
        (2, "192.0.2.99, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # a shorter chain: the leftmost entry a proxy wrote
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_exactly_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.COSO_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded=forwarded)) == expected


def test_the_header_name_is_configurable(settings):
    settings.COSO_TRUSTED_PROXY_COUNT = 1
    settings.COSO_CLIENT_IP_HEADER = "X-Real-IP"
    request = _request(forwarded="192.0.2.1", HTTP_X_REAL_IP="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def _deploy_ids() -> set[str]:
    return {message.id for message in checks.run_checks(include_deployment_checks=True, tags=["security"])}


def test_check_deploy_warns_about_a_per_process_cache(settings):
    settings.COSO_TRUSTED_PROXY_COUNT = 1
    assert "coso.W001" not in _deploy_ids()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "coso.W001" in _deploy_ids()


def test_check_deploy_warns_when_the_proxy_count_is_not_said(settings):
    settings.COSO_TRUSTED_PROXY_COUNT = None
    assert "coso.W002" in _deploy_ids()
    settings.COSO_TRUSTED_PROXY_COUNT = 0
    assert "coso.W002" not in _deploy_ids()


def test_check_deploy_fails_on_the_development_key(settings):
    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    assert "coso.E001" in _deploy_ids()
    settings.SECRET_KEY = "a-long-random-production-key-" + "x" * 40
    assert "coso.E001" not in _deploy_ids()


def _start(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("COSO_")}
    clean.update({"COSO_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "coso.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "key", [None, "", "coso-insecure-development-key-do-not-use-in-production"], ids=["unset", "empty", "dev"]
)
def test_debug_off_refuses_to_start_without_a_real_secret_key(tmp_path, key):
    env = {"COSO_DEBUG": "0"} if key is None else {"COSO_DEBUG": "0", "COSO_SECRET_KEY": key}
    started = _start(tmp_path, **env)
    assert started.returncode != 0
    assert "started" not in started.stdout
    assert "COSO_SECRET_KEY" in started.stderr


def test_debug_off_starts_with_a_real_secret_key(tmp_path):
    started = _start(
        tmp_path, COSO_DEBUG="0", COSO_SECRET_KEY="k" * 50, COSO_ALLOWED_HOSTS="coso.example.org"
    )
    assert started.returncode == 0, started.stderr
    assert "started" in started.stdout
