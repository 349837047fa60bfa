"""JSON API routes (django-ninja), mounted by coso.api.api."""

from __future__ import annotations

from ninja import Router

router = Router()
