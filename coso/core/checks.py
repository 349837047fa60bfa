"""Deployment checks (`coso manage check --deploy`): configurations under which Coso's protections cannot hold.

CI runs the deployment check with `--fail-level WARNING`, so each of these stops a release that has them.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.security, deploy=True)
def secret_key_check(app_configs=None, **kwargs):
    if settings.SECRET_KEY == getattr(settings, "DEVELOPMENT_SECRET_KEY", None):
        return [
            checks.Error(
                "COSO_SECRET_KEY is unset or is the development key published in the source.",
                hint="Set COSO_SECRET_KEY to a long random value kept secret.",
                id="coso.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def rate_limit_check(app_configs=None, **kwargs):
    """Rate limits and the login lockout count per client in the cache: they need a cache every worker shares
    and the client's real address."""
    found = []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        found.append(
            checks.Warning(
                f"The default cache ({backend}) is not shared between worker processes: each worker counts "
                "rate limits alone, so a limit of 5 lets through 5 per worker.",
                hint="Set COSO_REDIS_URL, or leave it unset to use the database cache.",
                id="coso.W001",
            )
        )
    if getattr(settings, "COSO_TRUSTED_PROXY_COUNT", None) is None:
        found.append(
            checks.Warning(
                "COSO_TRUSTED_PROXY_COUNT is not set. Behind a reverse proxy every client would have the "
                "proxy's address: one rate-limit bucket for everybody, and a login lockout anyone can trigger.",
                hint="Set COSO_TRUSTED_PROXY_COUNT to the number of proxies in front of Coso (1 for the nginx of "
                "the operator guide), or to 0 when clients connect directly.",
                id="coso.W002",
            )
        )
    return found
