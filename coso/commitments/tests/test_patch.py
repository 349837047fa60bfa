"""PATCH /api/v1/commitments/{id} (issue 9 §12): status, progress, the parent and the upper committee's
decisions are refused by name; a PATCH that changes nothing keeps the version and the history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coso.commitments.models import HardTask, HardTaskStatus
from coso.testing.patching import assert_change_bumps_version, assert_refused, assert_unchanged_keeps_version

from .conftest import make_task


@pytest.mark.parametrize(
    "field, value",
    [
        ("status", HardTaskStatus.VERIFIED),
        ("progress", 100),
        ("parent", 1),
        ("accepted_at", "2026-01-01T00:00:00Z"),
    ],
)
def test_a_field_not_editable_here_is_refused_by_name(client, world, field, value):
    task = make_task(world.cell_a)
    client.force_login(world.secretary_a)
    url = reverse("api:hard_task_update", args=[task.pk])
    assert_refused(client, url, task, {"version": task.version, "title": "Đổi tên", field: value}, field)
    assert HardTask.objects.get(pk=task.pk).title == task.title


def test_sending_the_same_values_keeps_the_version(client, world):
    task = make_task(world.cell_a)
    client.force_login(world.secretary_a)
    url = reverse("api:hard_task_update", args=[task.pk])
    same = {"version": task.version, "title": task.title, "due_date": task.due_date.isoformat(),
            "feedback_items": []}  # fmt: skip
    assert_unchanged_keeps_version(client, url, task, same)


def test_a_real_change_bumps_the_version(client, world):
    task = make_task(world.cell_a)
    client.force_login(world.secretary_a)
    url = reverse("api:hard_task_update", args=[task.pk])
    assert_change_bumps_version(
        client, url, task, {"version": task.version, "title": "Xóa nhà tạm cho hộ nghèo"}
    )
