"""What every benchmark script shares: production-like settings, Django set up, plain static storage, p95."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Production-like settings: debug off (no debug overheads, template caching on).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coso.settings")
os.environ.setdefault("COSO_DEBUG", "0")
os.environ.setdefault("COSO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("COSO_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("COSO_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

# Static files are not collected for a benchmark: plain storage instead of the manifest.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]
