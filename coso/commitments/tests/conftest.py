"""Fixtures of the commitments tests: hard tasks in each state, files, feedback items, a media dir per test."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from coso.commitments.models import HardTask, HardTaskStatus, HardTaskUpdate

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_task(organization, *, status=HardTaskStatus.DRAFT, parent=None, **fields) -> HardTask:
    """A hard task stored as it would be in `status` (accepted fields filled from REGISTERED on)."""
    now = timezone.now()
    accepted = status not in (HardTaskStatus.DRAFT, HardTaskStatus.SUBMITTED) or fields.pop("accepted", False)
    data = dict(
        organization=organization,
        title=f"Việc khó số {next(_serial)}",
        due_date=dt.date(2026, 12, 31),
        year=2026,
        status=status,
        parent=parent,
        root_id=(parent.root_id or parent.pk) if parent else None,
        submitted_at=now if status != HardTaskStatus.DRAFT else None,
        accepted_at=now if accepted else None,
    )
    data.update(fields)
    return HardTask.objects.create(**data)


def add_evidence(task: HardTask, *, progress: int = 100) -> HardTaskUpdate:
    return HardTaskUpdate.objects.create(
        task=task,
        date=dt.date(2026, 6, 1),
        text="Đã hoàn thành",
        progress=progress,
        evidence=pdf_file(),
        evidence_name="bien-ban.pdf",
    )


def pdf_file(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


def photo_file(name: str = "anh.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (20, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_feedback(receiving_org, *, organization=None, title="Khiếu nại bồi thường giải phóng mặt bằng"):
    from coso.citizens.models import Category, Feedback

    category, _created = Category.objects.get_or_create(code="land", defaults={"name": "Đất đai"})
    return Feedback.objects.create(
        code=f"TEST{next(_serial):06d}",
        category=category,
        receiving_org=receiving_org,
        organization=organization,
        title=title,
        description="Người dân khiếu nại mức bồi thường.",
        received_at=timezone.now(),
    )


@pytest.fixture
def draft(world) -> HardTask:
    return make_task(world.cell_a, title="Nâng cao chất lượng sinh hoạt chi bộ khu dân cư")


@pytest.fixture
def submitted(world) -> HardTask:
    return make_task(world.cell_a, status=HardTaskStatus.SUBMITTED)


@pytest.fixture
def registered(world) -> HardTask:
    return make_task(world.cell_a, status=HardTaskStatus.REGISTERED)


@pytest.fixture
def in_progress(world) -> HardTask:
    return make_task(world.cell_a, status=HardTaskStatus.IN_PROGRESS)


@pytest.fixture
def reported(world) -> HardTask:
    task = make_task(world.cell_a, status=HardTaskStatus.REPORTED_DONE)
    add_evidence(task)
    return task
