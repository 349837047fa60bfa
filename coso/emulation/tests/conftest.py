"""Fixtures of the emulation tests: a "four goods" movement of commune C1 for its cells, covenants, scorecards."""

from __future__ import annotations

import datetime as dt

import pytest

from coso.accounts.permissions import SYSTEM
from coso.emulation import services
from coso.emulation.models import Movement


def make_movement(world, **fields) -> Movement:
    data = dict(
        actor=SYSTEM,
        organization=world.commune,
        name="Chi bộ bốn tốt",
        start_year=2023,
        end_year=2025,
        criteria=services.four_goods_criteria(),
    )
    data.update(fields)
    return services.movement_create(**data)


def self_scored(movement, organization, scores=(8, 9, 7, 10), year=2024):
    criteria = list(movement.criteria.order_by("position"))
    return services.scorecard_self_score(
        actor=SYSTEM,
        movement=movement,
        organization=organization,
        year=year,
        scores={c.pk: s for c, s in zip(criteria, scores, strict=True)},
    )


def upper_scored(card, scores=(8, 8, 7, 9)):
    criteria = list(card.movement.criteria.order_by("position"))
    return services.scorecard_upper_score(
        actor=SYSTEM, scorecard=card, scores={c.pk: s for c, s in zip(criteria, scores, strict=True)}
    )


def sign(movement, organization):
    return services.covenant_sign(
        actor=SYSTEM,
        movement=movement,
        organization=organization,
        signed_on=dt.date(2023, 6, 1),
        signed_by="Nguyễn Văn Bí",
    )


@pytest.fixture
def movement(world) -> Movement:
    return make_movement(world)
