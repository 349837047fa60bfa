"""The NinjaAPI object: authentication, the error format, and the routers each app registers."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Coso API", version="1", urls_namespace="api")
