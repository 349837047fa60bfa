"""Fixtures of the citizens tests: categories, a routing rule for cell A's area, files, a clean rate-limit cache."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coso.accounts.permissions import SYSTEM
from coso.citizens import services
from coso.citizens.models import Category, EvidenceRequired, FeedbackKind, RoutingRule


@pytest.fixture(autouse=True)
def _media_and_cache(request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Without Redis the cache is a database table: only tests with database access can (and need to) clear it.
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        if "transactional_db" not in request.fixturenames:
            request.getfixturevalue("db")  # database access before this fixture's first query
        cache.clear()
    yield
    if uses_db:
        cache.clear()


@pytest.fixture
def roads(db) -> Category:
    return Category.objects.create(
        code="roads",
        name="Đường sá, chiếu sáng",
        evidence_required=EvidenceRequired.PHOTO,
        hide_reporter=True,
    )


@pytest.fixture
def order_cat(db) -> Category:
    return Category.objects.create(
        code="order", name="An ninh trật tự", evidence_required=EvidenceRequired.NONE, hide_reporter=False
    )


@pytest.fixture
def land(db) -> Category:
    return Category.objects.create(
        code="land",
        name="Đất đai",
        default_kind=FeedbackKind.COMPLAINT,
        evidence_required=EvidenceRequired.DOCUMENT,
    )


@pytest.fixture
def routing(world, roads) -> RoutingRule:
    return RoutingRule.objects.create(category=roads, area=world.cell_a, responsible=world.cell_a)


def photo_file(name: str = "anh.jpg", size=(20, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf_file(name: str = "van-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


@pytest.fixture
def photo():
    return photo_file


def file_report(world, category, **extra):
    data = dict(
        actor=None,
        category=category,
        area=world.cell_a,
        title="Đèn đường hỏng",
        description="Đèn đường trước nhà số 12 hẻm 5 hỏng hơn một tuần.",
        reporter_name="Nguyễn Văn Dân",
        reporter_phone="0909123456",
        consent=True,
    )
    data.update(extra)
    return services.feedback_create(**data)


def assign(world, feedback, org=None):
    return services.feedback_assign(
        actor=world.commune_staff, feedback=feedback, organization=org or world.cell_a
    )


def answered(world, category, photo=photo_file):
    filed = file_report(world, category)
    item = services.feedback_answer(
        actor=world.secretary_a,
        feedback=assign(world, filed),
        answer="Đã thay bóng đèn ngày 10/03.",
        files=[photo()],
    )
    item.reporter_secret = filed.reporter_secret  # what the citizen was shown once
    return item


MONDAY = dt.datetime(2026, 3, 9, 9, 0)
__all__ = ["SYSTEM", "answered", "assign", "file_report", "pdf_file", "photo_file", "MONDAY"]
