"""Demo emulation: phường I's "Chi bộ bốn tốt" movement 2023–2025 for its cells, the city's "Đảng bộ cơ sở bốn tốt"
for its wards and communes, the covenants most units signed (a few have not yet), one year's scores in every
state (self-score only, scored by the ward, recognized, not recognized) and a few awards.

Written through the services as the system actor (they send no notifications), so the data obeys the rules.
"""

from __future__ import annotations

import datetime as dt
import random

from coso.accounts.permissions import SYSTEM
from coso.emulation import services
from coso.emulation.models import AwardKind, Movement, MovementTarget, ScoreResult
from coso.emulation.selectors import criteria_of, participants
from coso.orgs.models import Organization

from . import city

START, END = 2023, 2025
COMMITMENTS = (
    "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị của địa phương; sinh hoạt chi bộ đúng Hướng dẫn 12, mỗi quý một "
    "buổi chuyên đề; giữ vững đoàn kết, kỷ luật; 100% đảng viên hoàn thành nhiệm vụ, phấn đấu kết nạp đảng viên mới."
)


def load(*, scale: float, seed: int, today: dt.date) -> None:
    ward = Organization.objects.filter(code=city.DEMO_WARD).first()
    root = Organization.objects.filter(code=city.CITY[0]).first()
    if ward is None or root is None or Movement.objects.filter(organization=ward).exists():
        return
    rng = random.Random(seed + 11)
    year = min(max(today.year - 1, START), END)
    cells = _movement(ward, "Chi bộ bốn tốt", MovementTarget.CELLS, today, rng, year)
    _movement(root, "Đảng bộ cơ sở bốn tốt", MovementTarget.GRASSROOTS_COMMITTEES, today, rng, year)
    _awards(ward, cells, year)


def _movement(org, name, target, today, rng, year) -> list[Organization]:
    movement = services.movement_create(
        actor=SYSTEM,
        organization=org,
        name=f"{name} giai đoạn {START}–{END}",
        start_year=START,
        end_year=END,
        target=target,
        launched_on=dt.date(START, 5, 8),
        description=(
            "Thực hiện Nghị quyết 21-NQ/TW ngày 16/6/2022 về tăng cường củng cố, xây dựng tổ chức cơ sở đảng và "
            "nâng cao chất lượng đội ngũ đảng viên trong giai đoạn mới."
        ),
        criteria=services.four_goods_criteria(),
    )
    criteria = criteria_of(movement)
    units = list(participants(movement).order_by("path"))
    # The demo cell first: its secretary sees every step of the flow on their own cell.
    units.sort(key=lambda unit: unit.code != city.DEMO_CELL)
    # A couple of units have not signed yet (at least one signs, so the flow shows on a small tree).
    signed = units[: max(len(units) - 2, 1)] if len(units) > 3 else units[: max(len(units) - 1, 1)]
    for index, unit in enumerate(signed):
        services.covenant_sign(
            actor=SYSTEM,
            movement=movement,
            organization=unit,
            signed_on=dt.date(START, 6, 1) + dt.timedelta(days=index),
            signed_by=f"Bí thư {unit.name}",
            commitments=COMMITMENTS,
        )
    # Every state of the year's flow, in this order: recognized, self-score only, scored and waiting for the
    # result, not recognized, then recognized for the rest of the first eight.
    states = ("achieved", "self", "upper", "not_achieved")
    for index, unit in enumerate(signed[:8]):
        state = states[index] if index < len(states) else "achieved"
        card = services.scorecard_self_score(
            actor=SYSTEM,
            movement=movement,
            organization=unit,
            year=year,
            scores={c.pk: rng.choice((8, 8.5, 9, 9.5)) for c in criteria},
        )
        if state == "self":
            continue
        services.scorecard_upper_score(
            actor=SYSTEM, scorecard=card, scores={c.pk: rng.choice((7, 7.5, 8, 8.5, 9)) for c in criteria}
        )
        if state != "upper":
            result = ScoreResult.NOT_ACHIEVED if state == "not_achieved" else ScoreResult.ACHIEVED
            services.scorecard_decide(actor=SYSTEM, scorecard=card, result=result)
    return signed


def _awards(ward, cells, year) -> None:
    from .loader import linked_member

    services.award_create(
        actor=SYSTEM,
        kind=AwardKind.CLEAN_AND_STRONG,
        organization=ward,
        year=year,
        issuer="Ban Thường vụ Thành ủy Vị Thanh",
        decision_number="25-QĐ/TU",
        decision_date=dt.date(year + 1, 1, 15),
        reason="Đảng bộ hoàn thành tốt nhiệm vụ.",
    )
    if cells:
        services.award_create(
            actor=SYSTEM,
            kind=AwardKind.FOUR_GOOD,
            organization=cells[0],
            year=year,
            issuer="Ban Chấp hành Đảng bộ phường I",
            decision_number="08-QĐ/ĐU",
            decision_date=dt.date(year + 1, 1, 10),
            reason="Đạt danh hiệu Chi bộ bốn tốt.",
        )
    secretary = linked_member("cell_secretary")
    if secretary is not None:
        services.award_create(
            actor=SYSTEM,
            kind=AwardKind.CERTIFICATE_OF_MERIT,
            member=secretary,
            year=year,
            issuer="Ban Thường vụ Thành ủy Vị Thanh",
            decision_number="31-QĐ/TU",
            decision_date=dt.date(year + 1, 1, 20),
            reason="Hoàn thành xuất sắc nhiệm vụ năm.",
        )
