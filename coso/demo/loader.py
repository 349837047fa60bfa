"""Load the demo: the Vị Thanh city committee with its wards, cells, ~1,500 members, committees and accounts.

Deterministic (seeded random, reference date `today`) and idempotent: the province's code marks a loaded
demo, and a second run only re-creates demo accounts that are missing. Organizations, terms, committees,
positions, supervision and grants go through the services (acting as SYSTEM); members, their periods and
events are written in bulk (coso.demo.bulk), with their history rows, because 1,500 service calls are slow.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from coso.accounts import services as account_services
from coso.accounts.models import RoleGrant, User
from coso.accounts.permissions import SYSTEM
from coso.members.models import EventKind, Gender, Member, MemberStatus
from coso.orgs import services as org_services
from coso.orgs.models import (
    CommitteeKind,
    Organization,
    OrgKind,
    Position,
    PositionTitle,
    SupervisionAssignment,
    SupervisionKind,
)

from . import city
from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount
from .bulk import write_people
from .people import CellProfile, PeopleMaker, Person

# Dates of the congresses (đại hội) that opened the terms.
CITY_TERMS = [
    ("2020–2025", dt.date(2020, 8, 12), dt.date(2025, 8, 20)),
    ("2025–2030", dt.date(2025, 8, 20), None),
]
UNIT_TERMS = [
    ("2020–2025", dt.date(2020, 6, 18), dt.date(2025, 7, 24)),
    ("2025–2030", dt.date(2025, 7, 24), None),
]
CELL_TERM = ("2025–2027", dt.date(2025, 4, 15), None)
# The demo member the `dangvien` account is linked to (searchable as "nguyen thi hoa").
DEMO_MEMBER_NAME = "Nguyễn Thị Hòa"


@dataclass
class DemoResult:
    created: bool
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[DemoAccount, User]] = field(default_factory=list)


def demo_loaded() -> bool:
    return Organization.objects.filter(code=city.PROVINCE[0]).exists()


def load_demo(*, scale: float = 1.0, seed: int = 2026, today: dt.date | None = None) -> DemoResult:
    """Load the demo unless it is there already; make sure every demo account exists either way.

    Written in the interface's first language whatever language the calling thread has active: texts stored
    with the data (notifications, history reasons) must not come out in English because a caller left English
    active."""
    with translation.override(settings.LANGUAGE_CODE):
        return _load_demo(scale=scale, seed=seed, today=today)


def _load_demo(*, scale: float, seed: int, today: dt.date | None) -> DemoResult:
    started = time.perf_counter()
    created = False
    if not demo_loaded():
        with transaction.atomic():
            _Builder(scale=scale, seed=seed, today=today or timezone.localdate()).build()
        created = True
    with transaction.atomic():
        accounts = ensure_accounts()
        if created:
            _extend(scale=scale, seed=seed, today=today or timezone.localdate())
    return DemoResult(
        created=created, seconds=time.perf_counter() - started, counts=demo_counts(), accounts=accounts
    )


# The apps built on the foundation add their demo data (meetings held, a study campaign, citizens' feedback...)
# in a module of this package with `load(*, scale, seed, today)`, run once, after the accounts exist.
DEMO_EXTENSIONS = (
    "coso.demo.meetings_data",
    "coso.demo.study_data",
    "coso.demo.citizens_data",
    "coso.demo.commitments_data",
    "coso.demo.reviews_data",
    "coso.demo.inspection_data",
    "coso.demo.emulation_data",
)


def _extend(*, scale: float, seed: int, today: dt.date) -> None:
    for name in DEMO_EXTENSIONS:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.load(scale=scale, seed=seed, today=today)


def demo_counts() -> dict[str, int]:
    root = Organization.objects.filter(code=city.PROVINCE[0]).first()
    if root is None:
        return {}
    subtree = Q(path=root.path) | Q(path__startswith=root.path + ".")
    members = Member.objects.filter(organization__in=Organization.objects.filter(subtree))
    return {
        "organizations": Organization.objects.filter(subtree).count(),
        "cells": Organization.objects.filter(
            subtree, kind__in=[OrgKind.CELL, OrgKind.GRASSROOTS_CELL]
        ).count(),
        "members": members.count(),
        "current members": members.filter(
            status__in=[MemberStatus.PROBATIONARY, MemberStatus.FULL, MemberStatus.EXEMPT]
        ).count(),
        "positions": Position.objects.filter(
            committee__organization__in=Organization.objects.filter(subtree)
        ).count(),
    }


# --- accounts ----------------------------------------------------------------------------------------------
def linked_member(key: str) -> Member | None:
    """The member record a demo account is linked to, found from the data (so reruns find the same one)."""
    if not key:
        return None
    on = timezone.localdate()
    current = Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    positions = Position.objects.filter(current, starts_on__lte=on).select_related("member")
    if key == "city_secretary":
        position = positions.filter(
            committee__organization__code=city.CITY[0],
            committee__kind=CommitteeKind.EXECUTIVE,
            title=PositionTitle.SECRETARY,
        ).first()
    elif key == "inspection_chair":
        position = positions.filter(
            committee__organization__code=city.CITY[0],
            committee__kind=CommitteeKind.INSPECTION,
            title=PositionTitle.CHAIR,
        ).first()
    elif key == "cell_secretary":
        position = positions.filter(
            committee__organization__code=city.DEMO_CELL,
            committee__kind=CommitteeKind.CELL_COMMITTEE,
            title=PositionTitle.SECRETARY,
        ).first()
    elif key == "cell_member":
        return (
            Member.objects.filter(organization__code=city.DEMO_CELL, full_name=DEMO_MEMBER_NAME)
            .order_by("pk")
            .first()
        )
    else:
        raise KeyError(key)
    return position.member if position else None


def ensure_accounts() -> list[tuple[DemoAccount, User]]:
    """Create the demo accounts that do not exist yet; existing ones are left exactly as they are."""
    result = []
    for spec in DEMO_ACCOUNTS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            member = linked_member(spec.member)
            if member is not None and User.objects.filter(member=member).exists():
                member = None
            user = User(
                username=spec.username,
                first_name=member.full_name if member else spec.display_name,
                member=member,
                is_staff=spec.superuser,
                is_superuser=spec.superuser,
            )
            validate_password(DEMO_PASSWORD, user)
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
        organization = Organization.objects.get(code=spec.org_code)
        if not RoleGrant.objects.filter(
            user=user, organization=organization, role=spec.role, revoked_at__isnull=True
        ).exists():
            account_services.grant_create(actor=SYSTEM, user=user, organization=organization, role=spec.role)
        result.append((spec, user))
    return result


# --- the data ----------------------------------------------------------------------------------------------
class _Builder:
    def __init__(self, *, scale: float, seed: int, today: dt.date):
        self.scale = scale
        self.today = today
        self.rng = random.Random(seed)
        used_ids = set(Member.objects.exclude(national_id=None).values_list("national_id", flat=True))
        used_cards = set(Member.objects.exclude(card_number=None).values_list("card_number", flat=True))
        self.maker = PeopleMaker(self.rng, today=today, used_ids=used_ids, used_cards=used_cards)
        self.orgs: dict[str, Organization] = {}

    def build(self) -> None:
        self._organizations()
        people = self._people()
        write_people(people, history=True)
        self._committees()
        self._supervision()

    def _org(
        self, code, name, kind, parent, address="", established_on=None, residential=False
    ) -> Organization:
        org = org_services.organization_create(
            actor=SYSTEM,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            address=address,
            established_on=established_on,
            residential=residential,
        )
        self.orgs[code] = org
        return org

    def _organizations(self) -> None:
        code, name, kind, address = city.PROVINCE
        province = self._org(code, name, kind, None, address, dt.date(2004, 1, 1))
        code, name, kind, address = city.CITY
        city_org = self._org(code, name, kind, province, address, dt.date(2010, 9, 23))
        for unit in city.UNITS:
            address = f"{unit.locality}, {city.CITY_ADDRESS}" if unit.locality else city.CITY_ADDRESS
            parent = self._org(
                unit.code, unit.name, unit.kind, city_org, address, dt.date(2005, 1, 1), bool(unit.locality)
            )
            for cell in unit.cells:
                self._org(
                    cell.code,
                    cell.name,
                    OrgKind.CELL,
                    parent,
                    address,
                    dt.date(2005, 3, 1),
                    residential=cell.profile in ("area", "village"),
                )

    def _cells(self):
        """(unit, cell code, profile, members at this scale, spec) for every cell of the demo."""
        for unit in city.UNITS:
            locality = unit.locality or self.rng.choice(["phường I", "phường III", "phường IV", "phường V"])
            specs = unit.cells or [
                city.CellSpec(unit.code, unit.name, unit.profile, unit.members)  # a grassroots cell
            ]
            for spec in specs:
                count = max(2, round(spec.members * self.scale))
                if spec.code == city.DEMO_CELL:
                    count = max(count, 12)  # the demo accounts' cell always has a cell committee
                if spec.small:
                    count = spec.members
                profile = CellProfile(
                    kind=spec.profile, address=f"{locality}, {city.CITY_ADDRESS}", place=spec.place
                )
                yield unit, spec, profile, count

    def _people(self) -> list[Person]:
        maker, rng = self.maker, self.rng
        people: list[Person] = []
        ordinary: list[Person] = []
        by_unit: dict[str, list[Organization]] = {}
        for unit, spec, profile, count in self._cells():
            cell = self.orgs[spec.code]
            by_unit.setdefault(unit.code, []).append(cell)
            for i in range(count):
                if spec.code == city.DEMO_CELL and i == 0:
                    person = maker.person(
                        cell, profile, gender=Gender.FEMALE, age=46, full_name=DEMO_MEMBER_NAME
                    )
                    person.periods[0].starts_on = person.data["admitted_on"]
                    person.periods[0].note = ""
                    people.append(person)
                    continue
                probationary = (spec.small and i >= 2) or rng.random() < 0.04
                person = maker.person(cell, profile, probationary=probationary)
                people.append(person)
                if not spec.small and not probationary:
                    ordinary.append(person)
        # Histories: transfers between cells, exemptions of the elderly, a few deaths and departures.
        rng.shuffle(ordinary)
        n = max(1, round(8 * self.scale))
        movers, ordinary = (
            ordinary[: max(2, round(60 * self.scale))],
            ordinary[max(2, round(60 * self.scale)) :],
        )
        for person in movers:
            unit_code = next(code for code, cells in by_unit.items() if person.organization in cells)
            choices = [c for c in by_unit[unit_code] if c != person.organization] or [
                c for cells in by_unit.values() for c in cells if c != person.organization
            ]
            maker.transfer(person, rng.choice(choices))
            if rng.random() < 0.15:
                maker.transfer(person, rng.choice([c for cells in by_unit.values() for c in cells]))
        elderly = [p for p in ordinary if _age(p, self.today) >= 72]
        for person in elderly[: max(1, round(len(elderly) * 0.35))]:
            maker.end(person, EventKind.EXEMPTION)
        old = [p for p in ordinary if _age(p, self.today) >= 65 and len(p.events) == 2]
        for person in old[-n:]:
            maker.end(person, EventKind.DEATH)
        young = [p for p in ordinary if _age(p, self.today) < 55 and len(p.events) == 2]
        for person in young[:n]:
            maker.end(person, EventKind.TRANSFER_OUT)
        for person in young[n : n + max(1, round(5 * self.scale))]:
            maker.discipline(person)
        return people

    # --- committees ------------------------------------------------------------------------------------
    def _pool(self, codes: list[str], exclude: set[int] = frozenset()) -> list[Member]:
        """Full members of the given organizations' subtrees, in a seeded random order."""
        query = Q()
        for code in codes:
            path = self.orgs[code].path
            query |= Q(organization__path=path) | Q(organization__path__startswith=path + ".")
        members = list(
            Member.objects.filter(query, status=MemberStatus.FULL)
            .exclude(pk__in=exclude)
            # The `dangvien` demo account is a plain member: she holds no seat anywhere.
            .exclude(organization__code=city.DEMO_CELL, full_name=DEMO_MEMBER_NAME)
            .order_by("pk")
        )
        self.rng.shuffle(members)
        return members

    def _seat(self, org, term_spec, kind, holders, titles):
        name, starts_on, ends_on = term_spec
        term = self._term(org, name, starts_on, ends_on)
        committee = org_services.committee_create(actor=SYSTEM, term=term, kind=kind)
        for i, member in enumerate(holders):
            title = titles[i] if i < len(titles) else PositionTitle.MEMBER
            org_services.position_assign(
                actor=SYSTEM,
                committee=committee,
                member=member,
                title=title,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        return committee

    def _term(self, org, name, starts_on, ends_on):
        term = org.terms.filter(name=name).first()
        return term or org_services.term_create(
            actor=SYSTEM, org=org, name=name, starts_on=starts_on, ends_on=ends_on
        )

    def _elect(self, org, terms, pool, size, standing_size, leaders, *, first=(), chair: int | None = None):
        """Executive, standing and inspection committees for two terms; returns the current executive."""
        rng = self.rng
        executive = list(first) + [m for m in pool if m not in first]
        executive = executive[:size]
        rest = [m for m in pool if m not in executive]
        old_spec, new_spec = terms
        # The previous term: about 60% the same people, the secretary changed.
        keep = executive[1 : 1 + round(len(executive) * 0.6)]
        previous = keep + rest[: max(0, len(executive) - len(keep))]
        rng.shuffle(previous)
        for spec, members in ((old_spec, previous), (new_spec, executive)):
            if not members:
                continue
            self._seat(org, spec, CommitteeKind.EXECUTIVE, members, leaders)
            self._seat(org, spec, CommitteeKind.STANDING, members[:standing_size], leaders)
            # The inspection chair sits on the standing committee (by default its last seat).
            seat = standing_size - 1 if chair is None else chair
            inspectors = [members[min(seat, len(members) - 1)]] + [m for m in rest if m not in members][:2]
            self._seat(
                org,
                spec,
                CommitteeKind.INSPECTION,
                inspectors,
                [PositionTitle.CHAIR, PositionTitle.DEPUTY_CHAIR],
            )
        return executive

    def _committees(self) -> None:
        ward_titles = [
            PositionTitle.SECRETARY,
            PositionTitle.STANDING_DEPUTY_SECRETARY,
            PositionTitle.DEPUTY_SECRETARY,
        ]
        self.unit_executives: dict[str, list[Member]] = {}
        for unit in city.UNITS:
            if unit.kind != OrgKind.GRASSROOTS_COMMITTEE:
                continue
            pool = self._pool([unit.code])
            standing = 5 if unit.executive_size >= 15 else 3
            titles = (
                ward_titles if standing == 5 else [PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY]
            )
            self.unit_executives[unit.code] = self._elect(
                self.orgs[unit.code], UNIT_TERMS, pool, unit.executive_size, standing, titles
            )
        self._city_committees()
        self._cell_committees()

    def _city_committees(self) -> None:
        used: set[int] = set()

        def pick(codes, k=1):
            found = [m for m in self._pool(codes, exclude=used)][:k]
            used.update(m.pk for m in found)
            return found

        # Standing committee: secretary and deputies from the Party office, then the heads of the city's
        # organization and inspection boards, propaganda, government, police and military.
        first = (
            pick(["VT-CQD-VP"], 3)
            + pick(["VT-CQD-TC"])
            + pick(["VT-CQD-KT"])
            + pick(["VT-CQD-TG"])
            + pick(["VT-CQCQ-VP"])
            + pick(["VT-CA"])
            + pick(["VT-QS"])
        )
        ward_secretaries = [e[0] for code, e in self.unit_executives.items() if e and e[0].pk not in used]
        used.update(m.pk for m in ward_secretaries)
        first += ward_secretaries
        pool = self._pool(["VT-CQD", "VT-CQCQ", "VT-CA", "VT-QS", "VT-TTYT", "VT-BQLDA"], exclude=used)
        self.city_executive = self._elect(
            self.orgs[city.CITY[0]],
            CITY_TERMS,
            pool,
            25,
            9,
            [
                PositionTitle.SECRETARY,
                PositionTitle.STANDING_DEPUTY_SECRETARY,
                PositionTitle.DEPUTY_SECRETARY,
            ],
            first=first,
            chair=4,  # the head of the inspection board
        )

    def _cell_committees(self) -> None:
        for _unit, spec, _profile, _count in self._cells():
            if spec.no_committee:
                continue
            cell = self.orgs[spec.code]
            official = Member.objects.filter(
                organization=cell, status__in=[MemberStatus.FULL, MemberStatus.EXEMPT]
            ).count()
            if official < 9:
                continue
            pool = [m for m in self._pool([spec.code]) if m.full_name != DEMO_MEMBER_NAME]
            size = 5 if official >= 20 else 3
            self._seat(
                cell,
                CELL_TERM,
                CommitteeKind.CELL_COMMITTEE,
                pool[:size],
                [PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY],
            )

    # --- supervision -----------------------------------------------------------------------------------
    def _supervision(self) -> None:
        city_org = self.orgs[city.CITY[0]]
        starts_on = CITY_TERMS[1][1] + dt.timedelta(days=30)
        executive = list(self.city_executive)
        units = [self.orgs[u.code] for u in city.UNITS]
        # Leave the last two grassroots organizations without a leader: the coverage page lists them.
        led = units[:-2]
        leaders = executive[: len(led)]
        for supervisor, org in zip(leaders, led, strict=False):
            self._assign(supervisor, org, city_org, SupervisionKind.LEAD, starts_on)
        # The other executive members attend and direct one cell each under a grassroots committee.
        cells = [self.orgs[c.code] for u in city.UNITS for c in u.cells if c.code != city.DEMO_CELL]
        self.rng.shuffle(cells)
        for supervisor, cell in zip(executive[len(led) :], cells, strict=False):
            self._assign(supervisor, cell, city_org, SupervisionKind.ATTEND, starts_on)
        # Ward committees assign their executive members to their own cells, one each; every third
        # committee leaves its last cell without anyone.
        unit_start = UNIT_TERMS[1][1] + dt.timedelta(days=20)
        for index, unit in enumerate(u for u in city.UNITS if u.cells):
            members = self.unit_executives.get(unit.code, [])[1:]
            unit_cells = [self.orgs[c.code] for c in unit.cells]
            if index % 3 == 2:
                unit_cells = unit_cells[:-1]
            for supervisor, cell in zip(members, unit_cells, strict=False):
                self._assign(supervisor, cell, self.orgs[unit.code], SupervisionKind.ATTEND, unit_start)

    def _assign(self, supervisor, org, assigned_by, kind, starts_on) -> None:
        if SupervisionAssignment.objects.filter(supervisor=supervisor, organization=org).exists():
            return  # a small demo has few people: someone may already attend this cell for another body
        org_services.supervision_assign(
            actor=SYSTEM,
            supervisor=supervisor,
            organization=org,
            assigned_by=assigned_by,
            kind=kind,
            starts_on=starts_on,
        )


def _age(person: Person, today: dt.date) -> int:
    born = person.data["date_of_birth"]
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
