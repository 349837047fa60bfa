"""Structural warnings: organizations below the size or structure the rules require."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from coso.core.policies import policy

from ..models import CELL_KINDS, Committee, CommitteeKind, Organization, OrgKind, OrgStatus
from .organizations import member_counts


@dataclass
class Warning:
    code: str
    text: str  # the message in English, translated when read (a province has thousands of warned cells)
    source: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _(self.text) % self.params if self.params else _(self.text)


def structure_warnings(org: Organization, *, counts: dict[str, int] | None = None) -> list[Warning]:
    """Structural rules (Charter Art. 21-24), shown as warnings and never blocking historical data."""
    bulk_counts = None if counts is None else {org.pk: counts}
    return structure_warnings_bulk([org], counts=bulk_counts).get(org.pk, [])


def structure_warnings_bulk(
    orgs: list[Organization], *, counts: dict[int, dict[str, int]] | None = None, on: dt.date | None = None
) -> dict[int, list[Warning]]:
    """`structure_warnings` for many organizations at once, in at most three queries whatever their number."""
    on = on or timezone.localdate()
    active = [o for o in orgs if o.is_active]
    result: dict[int, list[Warning]] = {o.pk: [] for o in orgs}
    if not active:
        return result
    if counts is None:
        counts = member_counts(active)
    cell_ids = [o.pk for o in active if o.kind in CELL_KINDS]
    committee_ids = [o.pk for o in active if o.kind == OrgKind.GRASSROOTS_COMMITTEE]
    # Size of each cell's current cell committee (None: the cell has none).
    committee_sizes: dict[int, int] = {}
    if cell_ids:
        current_position = Q(positions__starts_on__lte=on) & (
            Q(positions__ends_on__isnull=True) | Q(positions__ends_on__gte=on)
        )
        rows = (
            Committee.objects.filter(
                organization_id__in=cell_ids, kind=CommitteeKind.CELL_COMMITTEE, term__starts_on__lte=on
            )
            .filter(Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=on))
            .annotate(n=Count("positions", filter=current_position))
            .values_list("organization_id", "n")
        )
        for org_id, n in rows:
            committee_sizes[org_id] = max(n, committee_sizes.get(org_id, 0))
    with_units: set[int] = set()
    if committee_ids:
        with_units = set(
            Organization.objects.filter(parent_id__in=committee_ids, status=OrgStatus.ACTIVE)
            .order_by()
            .values_list("parent_id", flat=True)
            .distinct()
        )
    minimum = policy("cell.min_official_members", on)
    committee_from = policy("cell.committee_min_official_members", on)
    max_size = policy("cell.committee_max_size", on)
    threshold = policy("grassroots.committee_min_members", on)
    for org in active:
        result[org.pk] = _warnings_for(
            org,
            counts.get(org.pk, {}),
            committee_size=committee_sizes.get(org.pk),
            has_units=org.pk in with_units,
            minimum=minimum,
            committee_from=committee_from,
            max_size=max_size,
            threshold=threshold,
        )
    return result


@dataclass
class WarningSummary:
    count: int
    first: list[tuple[Organization, list[Warning]]]
    counts: dict[str, int]


@dataclass(frozen=True)
class _Kind:
    kind: str


def structure_warning_summary(
    scope: QuerySet[Organization], *, on: dt.date | None = None, limit: int = 20
) -> WarningSummary:
    """The structural warnings of every active organization of `scope`: how many are warned, the first `limit`
    of them in tree order, and the members of the scope by status.

    Built for a province's 8,000 cells: four queries return plain values (organizations, the kept member counts
    by organization and status, cell committee sizes), the subtree counts roll up along the parent links in
    memory, and only the first `limit` organizations are loaded as objects. The rules are those of
    `structure_warnings` (the same `_warnings_for`)."""
    on = on or timezone.localdate()
    active = scope.filter(status=OrgStatus.ACTIVE).order_by()
    rows = list(active.values_list("pk", "parent_id", "kind", "depth", "path"))
    if not rows:
        return WarningSummary(0, [], {})
    MemberCount = apps.get_model("members", "MemberCount")
    direct: dict[int, dict[str, int]] = defaultdict(dict)
    for org_id, status, n in (
        MemberCount.objects.filter(organization_id__in=active.values("pk"))
        .exclude(n=0)
        .values_list("organization_id", "status", "n")
    ):
        direct[org_id][status] = n
    subtree: dict[int, dict[str, int]] = {pk: dict(direct.get(pk, {})) for pk, *_ in rows}
    with_units: set[int] = set()
    for pk, parent_id, _kind, _depth, _path in sorted(rows, key=lambda r: -r[3]):
        if parent_id in subtree:
            with_units.add(parent_id)
            target = subtree[parent_id]
            for status, n in subtree[pk].items():
                target[status] = target.get(status, 0) + n
    current_position = Q(positions__starts_on__lte=on) & (
        Q(positions__ends_on__isnull=True) | Q(positions__ends_on__gte=on)
    )
    committee_sizes: dict[int, int] = {}
    for org_id, n in (
        Committee.objects.filter(
            organization__in=active.filter(kind__in=CELL_KINDS),
            kind=CommitteeKind.CELL_COMMITTEE,
            term__starts_on__lte=on,
        )
        .filter(Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=on))
        .annotate(n=Count("positions", filter=current_position))
        .values_list("organization_id", "n")
    ):
        committee_sizes[org_id] = max(n, committee_sizes.get(org_id, 0))
    minimum = policy("cell.min_official_members", on)
    committee_from = policy("cell.committee_min_official_members", on)
    max_size = policy("cell.committee_max_size", on)
    threshold = policy("grassroots.committee_min_members", on)
    kinds = {kind: _Kind(kind) for kind in OrgKind.values}
    warned: list[tuple[str, int, list[Warning]]] = []
    # The rules read only these figures, and thousands of cells share them: each combination is judged once
    # (the lists are shared between organizations and never changed afterwards).
    judged: dict[tuple, list[Warning]] = {}
    for pk, _parent, kind, _depth, path in rows:
        counts = subtree[pk]
        committee_size = committee_sizes.get(pk)
        has_units = pk in with_units
        key = (
            kind,
            counts.get("FULL", 0),
            counts.get("EXEMPT", 0),
            counts.get("PROBATIONARY", 0),
            committee_size,
            has_units,
        )
        found = judged.get(key)
        if found is None:
            # Messages are translated only when read, so keeping every warned organization's list is cheap.
            found = judged[key] = _warnings_for(
                kinds[kind],
                counts,
                committee_size=committee_size,
                has_units=has_units,
                minimum=minimum,
                committee_from=committee_from,
                max_size=max_size,
                threshold=threshold,
            )
        if found:
            warned.append((path, pk, found))
    warned.sort(key=lambda item: item[0])
    shown = Organization.objects.in_bulk([pk for _path, pk, _found in warned[:limit]])
    first = [(shown[pk], found) for _path, pk, found in warned[:limit]]
    roots = {pk for pk, parent_id, *_ in rows if parent_id not in subtree}
    totals: dict[str, int] = {}
    for pk in roots:
        for status, n in subtree[pk].items():
            totals[status] = totals.get(status, 0) + n
    return WarningSummary(count=len(warned), first=first, counts=totals)


def _warnings_for(
    org: Organization,
    counts: dict[str, int],
    *,
    committee_size: int | None,
    has_units: bool,
    minimum: int,
    committee_from: int,
    max_size: int,
    threshold: int,
) -> list[Warning]:
    warnings: list[Warning] = []
    official = counts.get("FULL", 0) + counts.get("EXEMPT", 0)
    current = official + counts.get("PROBATIONARY", 0)
    if org.kind in CELL_KINDS:
        if official < minimum:
            warnings.append(
                Warning(
                    "cell_too_small",
                    gettext_noop("A cell needs at least %(n)d full members; this one has %(k)d."),
                    "Điều lệ Đảng 2011, Điều 21",
                    {"n": minimum, "k": official},
                )
            )
        if committee_size is not None:
            if official < committee_from:
                warnings.append(
                    Warning(
                        "cell_committee_too_early",
                        gettext_noop(
                            "A cell elects a cell committee only from %(n)d full members; this one has %(k)d."
                        ),
                        "Điều lệ Đảng 2011, Điều 24",
                        {"n": committee_from, "k": official},
                    )
                )
            if committee_size > max_size:
                warnings.append(
                    Warning(
                        "cell_committee_too_large",
                        gettext_noop("A cell committee has at most %(n)d members; this one has %(k)d."),
                        "QĐ 232-QĐ/TW",
                        {"n": max_size, "k": committee_size},
                    )
                )
        elif official >= committee_from:
            warnings.append(
                Warning(
                    "cell_committee_missing",
                    gettext_noop("With %(k)d full members this cell should elect a cell committee."),
                    "Điều lệ Đảng 2011, Điều 24",
                    {"k": official},
                )
            )
    if org.kind == OrgKind.GRASSROOTS_CELL and current >= threshold:
        warnings.append(
            Warning(
                "grassroots_cell_too_large",
                gettext_noop(
                    "A grassroots organization with %(n)d or more members should be a grassroots committee with "
                    "cells; this one has %(k)d."
                ),
                "Điều lệ Đảng 2011, Điều 21",
                {"n": threshold, "k": current},
            )
        )
    if org.kind == OrgKind.GRASSROOTS_COMMITTEE:
        if not has_units:
            warnings.append(
                Warning(
                    "committee_without_cells",
                    gettext_noop("A grassroots committee should have cells under it."),
                    "Điều lệ Đảng 2011, Điều 21",
                )
            )
        elif current and current < threshold:
            warnings.append(
                Warning(
                    "grassroots_committee_small",
                    gettext_noop(
                        "A grassroots committee usually has at least %(n)d members; this one has %(k)d."
                    ),
                    "Điều lệ Đảng 2011, Điều 21",
                    {"n": threshold, "k": current},
                )
            )
    return warnings
