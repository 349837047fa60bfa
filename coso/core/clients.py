"""The client's address, the one key every rate limit and the login lockout count by.

Behind a reverse proxy every request comes from the proxy's address, so counting by `REMOTE_ADDR` would put the
whole city in one bucket (and let anyone lock any username out). The operator says how many proxies they run in
front of Coso (`COSO_TRUSTED_PROXY_COUNT`) and which header those proxies append the client's address to
(`COSO_CLIENT_IP_HEADER`, by default `X-Forwarded-For`). Each trusted proxy appends the address it received the
request from, so the client is the N-th address from the right; anything further left was written by the client
and is not trusted. With no proxy configured the header is ignored entirely.

django-ratelimit (`RATELIMIT_IP_META_KEY`) and django-axes (`AXES_CLIENT_IP_CALLABLE`) both call `client_ip`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _header_key() -> str:
    header = getattr(settings, "COSO_CLIENT_IP_HEADER", "X-Forwarded-For")
    return "HTTP_" + header.upper().replace("-", "_")


def _valid(address: str) -> str | None:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request`, trusting exactly the configured number of proxies."""
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a placeholder, never bound
    proxies = getattr(settings, "COSO_TRUSTED_PROXY_COUNT", None) or 0
    if proxies <= 0:
        return remote
    chain = [part for part in request.META.get(_header_key(), "").split(",") if part.strip()]
    if not chain:
        return remote
    # The rightmost `proxies` entries were added by our proxies; the first of them names the client. A shorter
    # chain than expected means a proxy was bypassed or misconfigured: take its leftmost entry, the closest
    # thing to the client that a trusted hop wrote.
    candidate = chain[-proxies] if len(chain) >= proxies else chain[0]
    return _valid(candidate) or remote
