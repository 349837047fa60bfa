"""The demo's emulation data: the movements, covenants signed and not, scores in every state and awards."""

from __future__ import annotations

import pytest

from coso.demo.loader import load_demo
from coso.emulation.models import Award, Covenant, Movement, Scorecard, ScoreResult


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.setattr("coso.demo.loader.DEMO_EXTENSIONS", ("coso.demo.emulation_data",))
    load_demo(scale=0.05)


def test_the_demo_has_movements_covenants_scores_and_awards(demo, client):
    assert set(Movement.objects.values_list("organization__code", flat=True)) == {"VT-P1", "HG-VT"}
    four_good = Movement.objects.get(organization__code="VT-P1")
    assert four_good.criteria.count() == 4
    assert Covenant.objects.filter(movement=four_good, organization__code="VT-P1-KV1").exists()
    results = set(Scorecard.objects.filter(movement=four_good).values_list("result", flat=True))
    assert {ScoreResult.ACHIEVED, ScoreResult.NOT_ACHIEVED, ScoreResult.PENDING} <= results
    assert Scorecard.objects.filter(upper_scored_at__isnull=True).exists()
    assert Award.objects.filter(member__isnull=False).exists()
    assert Award.objects.filter(member__isnull=True).count() >= 2
    from coso.accounts.models import User

    client.force_login(User.objects.get(username="phuong1"))
    page = client.get(f"/emulation/{four_good.pk}/")
    assert page.status_code == 200 and page.context["counts"]["unsigned"] >= 1


def test_loading_twice_adds_nothing(demo):
    from coso.demo import emulation_data
    from coso.demo.loader import timezone

    before = Movement.objects.count(), Award.objects.count()
    emulation_data.load(scale=0.05, seed=2026, today=timezone.localdate())
    assert (Movement.objects.count(), Award.objects.count()) == before
