"""The demo's commitments: the city and every ward commit, progress rolls up, every state and an overdue task."""

from __future__ import annotations

import pytest

from coso.commitments.models import HardTask, HardTaskStatus
from coso.demo.loader import load_demo

S = HardTaskStatus
EXTENSIONS = ("coso.demo.citizens_data", "coso.demo.commitments_data")


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Commitments link to the citizens' demo feedback; the other apps' demo data is not needed here.
    monkeypatch.setattr("coso.demo.loader.DEMO_EXTENSIONS", EXTENSIONS)
    load_demo(scale=0.05)


def test_the_city_and_each_ward_register_commitments_with_every_state(demo, client):
    from django.utils import timezone

    city = HardTask.objects.filter(organization__code="HG-VT", parent__isnull=True)
    assert city.count() == 3
    wards = HardTask.objects.filter(organization__parent__code="HG-VT")
    assert wards.values("organization").distinct().count() >= 4
    for ward in wards.values_list("organization", flat=True).distinct():
        assert 2 <= wards.filter(organization=ward).count() <= 3
    statuses = set(HardTask.objects.values_list("status", flat=True))
    assert {S.DRAFT, S.SUBMITTED, S.IN_PROGRESS, S.REPORTED_DONE, S.VERIFIED, S.RETURNED} <= statuses
    today = timezone.localdate()
    assert HardTask.objects.filter(HardTask.overdue_q(today)).exists()
    compensation = city.get(title__startswith="Giải quyết dứt điểm khiếu nại")
    assert 0 < compensation.progress < 100
    from coso.citizens.models import Feedback

    if Feedback.objects.filter(organization__isnull=False).exists():
        assert HardTask.objects.filter(feedback_items__isnull=False).exists()
    assert HardTask.objects.filter(root=compensation, organization__parent__parent__code="HG-VT").exists()
    # The city's staff sees every commune's commitments with progress.
    from coso.accounts.models import User

    client.force_login(User.objects.get(username="thanhuy"))
    response = client.get("/commitments/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == HardTask.objects.filter(year=today.year).count()


def test_the_demo_scenario_accept_and_verify_as_the_city(demo, client):
    from coso.accounts.models import User

    client.force_login(User.objects.get(username="thanhuy"))
    submitted = HardTask.objects.filter(status=S.SUBMITTED).first()
    client.post(f"/commitments/{submitted.pk}/accept/")
    submitted.refresh_from_db()
    assert submitted.status == S.REGISTERED
    client.force_login(User.objects.get(username="lanhdao"))
    reported = HardTask.objects.get(status=S.REPORTED_DONE)
    assert client.get(f"/commitments/{reported.pk}/").status_code == 200
    client.post(f"/commitments/{reported.pk}/verify/", {"reason": "Đạt"})
    reported.refresh_from_db()
    assert reported.status == S.VERIFIED
