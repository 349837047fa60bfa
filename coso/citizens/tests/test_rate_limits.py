"""Rate limits of the public channels (issue 9 §3): one bucket per client across the portal form, the JSON API
and Open311, counted by the client's real address behind the configured proxies, in a cache every worker shares.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from coso.citizens.models import Feedback

from .test_public import portal_data

pytestmark = pytest.mark.django_db


def _portal(client, world, roads, **extra):
    return client.post(reverse("citizens:portal"), portal_data(world, roads), **extra)


def _api(client, world, roads, **extra):
    data = {"category": roads.code, "area": world.cell_a.code, "description": "Ổ gà"}
    return client.post(reverse("api:feedback_public_submit"), data, **extra)


def _open311(client, world, roads, **extra):
    data = {"service_code": roads.code, "address_id": world.cell_a.code, "description": "Ổ gà"}
    return client.post(reverse("citizens:open311_requests"), data, **extra)


def test_the_form_the_api_and_open311_share_one_bucket_per_client(client, world, roads, settings):
    settings.COSO_CITIZENS_SUBMIT_RATE = "2/h"
    assert _portal(client, world, roads).status_code == 302
    assert _api(client, world, roads).status_code == 201
    # The third filing by the same client is refused, whichever channel it comes through.
    assert _open311(client, world, roads).status_code == 429
    assert _api(client, world, roads).status_code == 429
    assert _portal(client, world, roads).status_code == 429
    assert Feedback.objects.count() == 2


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(client, world, roads, settings):
    settings.COSO_CITIZENS_SUBMIT_RATE = "1/h"
    settings.COSO_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}  # every request reaches Coso from the proxy
    first = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    second = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    assert _api(client, world, roads, **first).status_code == 201
    assert _api(client, world, roads, **second).status_code == 201
    assert _api(client, world, roads, **first).status_code == 429
    # A client cannot escape its bucket by writing addresses into the header: the proxy appends the real one.
    spoofed = {**proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.99, 203.0.113.7"}
    assert _api(client, world, roads, **spoofed).status_code == 429


def test_without_a_configured_proxy_the_header_is_not_believed(client, world, roads, settings):
    settings.COSO_CITIZENS_SUBMIT_RATE = "1/h"
    settings.COSO_TRUSTED_PROXY_COUNT = 0
    assert _api(client, world, roads, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 201
    assert _api(client, world, roads, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 429


def test_without_redis_the_counts_live_in_the_database_cache():
    # Read the settings module itself: a per-process memory cache would let each worker count alone.
    from coso import settings as coso_settings

    if coso_settings.REDIS_URL:
        pytest.skip("Redis configured")
    assert coso_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert django_settings.RATELIMIT_IP_META_KEY == "coso.core.clients.client_ip"


def test_the_database_cache_is_shared_by_separate_cache_connections(db):
    # Two connections to the cache stand for two worker processes: what one counts, the other reads.
    from django.core.cache import caches

    if "DatabaseCache" not in django_settings.CACHES["default"]["BACKEND"]:
        pytest.skip("Redis configured")
    one, other = caches.create_connection("default"), caches.create_connection("default")
    one.set("coso-test-count", 3)
    assert other.get("coso-test-count") == 3
    other.incr("coso-test-count")
    assert one.get("coso-test-count") == 4
