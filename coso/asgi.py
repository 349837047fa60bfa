"""ASGI entry point (granian or uvicorn coso.asgi)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
application = get_asgi_application()
