"""Generated data sets for benchmarks: a province of N members under ~40 communes, cells of ~25 members, and
(unless `activity=False`) a year of its activity in every app (`coso.demo.activity`).

Reproducible: the same seed and reference date give the same organizations and members (same names, IDs,
dates, statuses, periods and events) and the same activity. Written in bulk, commune by commune, without
history rows.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, reset_queries, transaction

from coso.accounts.permissions import SYSTEM
from coso.citizens.models import Dialogue, Feedback, FeedbackUpdate, ReceptionDay
from coso.commitments.models import HardTask, HardTaskUpdate
from coso.meetings.models import Attendance, Meeting, Minutes, Resolution
from coso.members.models import EventKind, Member, MemberEvent, MembershipPeriod
from coso.orgs import services as org_services
from coso.orgs.models import Organization, OrgKind
from coso.reviews.models import AnnualReview, RatingStep, ReviewCycle
from coso.study.models import LearningReport, StudyCampaign

from .activity import ActivityResult, generate_activity
from .bulk import write_cells, write_people
from .people import CellProfile, PeopleMaker

# Reference date of generated data: fixed, so that a seed always gives the same data set.
DEFAULT_AS_OF = dt.date(2026, 1, 1)

COMMUNE_NAMES = (
    "Vị Tân Hỏa Lựu Hỏa Tiến Tân Tiến Vị Thủy Vị Thanh Vị Trung Vị Bình Vĩnh Thuận Tây Vĩnh Tường Long Bình "
    "Long Mỹ Long Phú Lương Tâm Xà Phiên Thuận Hưng Vĩnh Viễn Thạnh Xuân Tân Hòa Phụng Hiệp Hòa An Hiệp Hưng "
    "Tân Bình Thạnh Hòa Hòa Mỹ Phương Bình Tân Long Ngã Sáu Ngã Bảy Đại Thành Tân Thành Châu Thành Đông Phước "
    "Phú Hữu Cái Tắc Tân Phú Thạnh Trường Long Nhơn Nghĩa Mỹ Thuận Hưng Vị Thắng"
).split()


def _commune_names(count: int, rng: random.Random) -> list[str]:
    # Two-syllable place names, drawn without repetition; numbered when more are needed.
    pairs = [" ".join(COMMUNE_NAMES[i : i + 2]) for i in range(0, len(COMMUNE_NAMES) - 1, 2)]
    rng.shuffle(pairs)
    return [
        pairs[i % len(pairs)] + (f" {i // len(pairs) + 1}" if i >= len(pairs) else "") for i in range(count)
    ]


class DataSetExists(Exception):
    pass


class DataSetMissing(Exception):
    pass


@dataclass
class GenerateResult:
    root: Organization
    communes: int
    cells: int
    members: int
    seconds: float
    activity: ActivityResult | None = None


def root_code(seed: int) -> str:
    return f"GEN-{seed}"


def generate(
    *,
    members: int,
    seed: int,
    communes: int = 40,
    cell_size: int = 25,
    as_of: dt.date = DEFAULT_AS_OF,
    batch_size: int = 5000,
    progress: Callable[[str], None] | None = None,
    activity: bool = True,
    months: int = 12,
) -> GenerateResult:
    """Create the province `GEN-<seed>` with `members` members and, with `activity`, `months` months of its
    activity; refuses if that province already exists."""
    started = time.perf_counter()
    say = progress or (lambda _text: None)
    if Organization.objects.filter(code=root_code(seed)).exists():
        raise DataSetExists(
            f"A data set with seed {seed} already exists (organization {root_code(seed)}); "
            "use another seed or a fresh database."
        )
    rng = random.Random(seed)
    used_ids = set(Member.objects.exclude(national_id=None).values_list("national_id", flat=True))
    used_cards = set(Member.objects.exclude(card_number=None).values_list("card_number", flat=True))
    maker = PeopleMaker(
        rng, today=as_of, used_ids=used_ids, used_cards=used_cards, card_prefix=f"{seed % 90 + 10}"
    )
    communes = max(1, min(communes, members))
    total_cells = max(communes, math.ceil(members / cell_size))
    with transaction.atomic():
        root = org_services.organization_create(
            actor=SYSTEM,
            code=root_code(seed),
            name=f"Đảng bộ tỉnh Mẫu {seed}",
            kind=OrgKind.PROVINCIAL,
            parent=None,
            address="Dữ liệu sinh tự động",
            established_on=dt.date(2004, 1, 1),
        )
    names = _commune_names(communes, rng)
    done = 0
    cells_done = 0
    for index in range(communes):
        # Spread members and cells evenly over the communes (the first ones take the remainders).
        share = members // communes + (1 if index < members % communes else 0)
        cell_count = total_cells // communes + (1 if index < total_cells % communes else 0)
        cell_count = max(1, min(cell_count, share))
        ward = index % 3 == 0
        with transaction.atomic():
            commune = org_services.organization_create(
                actor=SYSTEM,
                code=f"{root.code}-{index + 1:03d}",
                name=("Đảng bộ phường " if ward else "Đảng bộ xã ") + names[index],
                kind=OrgKind.GRASSROOTS_COMMITTEE,
                parent=root,
                established_on=dt.date(2005, 1, 1),
                residential=True,
                record_event=False,
            )
            cells = write_cells(
                commune,
                [
                    {
                        "code": f"{commune.code}-{n + 1:03d}",
                        "name": f"Chi bộ khu vực {n + 1}" if ward else f"Chi bộ ấp {n + 1}",
                        "kind": OrgKind.CELL,
                        "established_on": dt.date(2005, 3, 1),
                    }
                    for n in range(cell_count)
                ],
            )
        address = ("phường " if ward else "xã ") + names[index] + ", tỉnh Mẫu"
        people = []
        for n, cell in enumerate(cells):
            size = share // cell_count + (1 if n < share % cell_count else 0)
            profile = CellProfile(
                kind="area" if ward else "village", address=address, place=f"đường số {n % 9 + 1}"
            )
            for _ in range(size):
                people.append(maker.person(cell, profile, probationary=rng.random() < 0.04))
        _histories(maker, rng, people, cells)
        write_people(people, history=False, batch_size=batch_size)
        done += len(people)
        cells_done += len(cells)
        # With DEBUG on (the default without COSO_SECRET_KEY) Django keeps the last 9,000 queries; the bulk
        # INSERTs are large, and keeping them would grow the memory with every commune.
        reset_queries()
        say(
            f"{index + 1}/{communes} communes, {done}/{members} members, {time.perf_counter() - started:.0f} s"
        )
    made = None
    if activity:
        made = generate_activity(
            root=root, seed=seed, as_of=as_of, months=months, batch_size=batch_size, progress=say
        )
    say("Updating the database's statistics (ANALYZE) for the new rows...")
    refresh_statistics()
    return GenerateResult(root, communes, cells_done, done, time.perf_counter() - started, made)


def generate_activity_only(
    *,
    seed: int,
    as_of: dt.date = DEFAULT_AS_OF,
    months: int = 12,
    batch_size: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> ActivityResult:
    """Add the activity to the province `GEN-<seed>` generated earlier without it (e.g. `--members-only`)."""
    root = Organization.objects.filter(code=root_code(seed)).first()
    if root is None:
        raise DataSetMissing(f"There is no data set with seed {seed} (organization {root_code(seed)}).")
    result = generate_activity(
        root=root, seed=seed, as_of=as_of, months=months, batch_size=batch_size, progress=progress
    )
    (progress or (lambda _text: None))("Updating the database's statistics (ANALYZE) for the new rows...")
    refresh_statistics()
    return result


# The tables the activity fills (refresh_statistics analyzes them with the members' tables).
ACTIVITY_MODELS = (
    Meeting,
    Attendance,
    Minutes,
    Resolution,
    StudyCampaign,
    LearningReport,
    Feedback,
    FeedbackUpdate,
    ReceptionDay,
    Dialogue,
    HardTask,
    HardTaskUpdate,
    ReviewCycle,
    AnnualReview,
    RatingStep,
)


def refresh_statistics() -> None:
    """After a bulk load PostgreSQL's planner still believes the tables are tiny (and, before VACUUM, cannot
    use index-only scans) until autovacuum comes by; do it now so the first queries get good plans."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    tables = [
        model._meta.db_table
        for model in (Organization, Member, MembershipPeriod, MemberEvent, *ACTIVITY_MODELS)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            # VACUUM cannot run inside a transaction (e.g. in tests); ANALYZE alone still fixes the estimates.
            cursor.execute(("ANALYZE " if connection.in_atomic_block else "VACUUM ANALYZE ") + table)


def _histories(maker: PeopleMaker, rng: random.Random, people, cells) -> None:
    """Transfers between the commune's cells, exemptions of the elderly, deaths, departures, discipline."""
    for person in people:
        if person.data["full_member_on"] is None:
            continue
        born = person.data["date_of_birth"]
        age = maker.today.year - born.year
        draw = rng.random()
        if draw < 0.04 and len(cells) > 1:
            maker.transfer(person, rng.choice([c for c in cells if c is not person.organization]))
        elif draw < 0.045:
            maker.end(person, EventKind.TRANSFER_OUT)
        elif draw < 0.05:
            maker.discipline(person)
        elif draw < 0.06 and age >= 65:
            maker.end(person, EventKind.DEATH)
        elif draw < 0.40 and age >= 72:
            maker.end(person, EventKind.EXEMPTION)
