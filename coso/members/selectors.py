"""Reads of member records, always scoped by the actor through accounts.permissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone

from coso.accounts import permissions
from coso.core.text import fold
from coso.orgs.models import CELL_KINDS, PATH_SEPARATOR, Organization, OrgStatus, Position

from . import personal
from .models import CURRENT_STATUSES, Member, MemberCount, MemberEvent, MembershipPeriod
from .rules import add_months

# member_list_count keeps a root-level total of at least LARGE_COUNT members for LARGE_COUNT_SECONDS.
LARGE_COUNT = 10_000
LARGE_COUNT_SECONDS = 30
AGE_BANDS = {
    "lt30": (None, 30),
    "30-45": (30, 46),
    "46-60": (46, 61),
    "gt60": (61, None),
}
SORTS = {
    "name": ("name_sort", "id"),
    "-name": ("-name_sort", "-id"),
    "birth": ("date_of_birth", "id"),
    "-birth": ("-date_of_birth", "-id"),
    "admitted": ("admitted_on", "id"),
    "-admitted": ("-admitted_on", "-id"),
    "org": ("organization__name_sort", "name_sort", "id"),
}


@dataclass
class MemberFilters:
    q: str = ""
    status: str = ""  # "" = current members, "all", or one MemberStatus value
    organization: Organization | None = None
    theory_level: str = ""
    age_band: str = ""
    working_away: bool | None = None
    sort: str = "name"


def member_list(
    *, actor, filters: MemberFilters | None = None, today: dt.date | None = None
) -> QuerySet[Member]:
    """Members the actor may see, filtered and sorted; one indexed query (plus count when paged)."""
    filters = filters or MemberFilters()
    today = today or timezone.localdate()
    qs = _scoped_by_status(Member.objects, actor, filters)
    if filters.q:
        qs = qs.filter(search_q(actor, filters.q))
    if filters.theory_level:
        qs = qs.filter(theory_level=filters.theory_level)
    if filters.age_band in AGE_BANDS:
        low, high = AGE_BANDS[filters.age_band]
        if low is not None:
            qs = qs.filter(date_of_birth__lte=add_months(today, -12 * low))
        if high is not None:
            qs = qs.filter(date_of_birth__gt=add_months(today, -12 * high))
    if filters.working_away is not None:
        qs = qs.filter(working_away=filters.working_away)
    order = SORTS.get(filters.sort, SORTS["name"])
    if filters.q and _selective_words(filters.q):
        order = _matches_first(order)
    return qs.select_related("organization").order_by(*order)


def member_list_count(*, actor, filters: MemberFilters | None = None) -> int | None:
    """The number of members `member_list` gives, from the counts the database keeps per organization and
    status (`MemberCount`), when only the scope, an organization and the status filter it; None otherwise.

    At a province the exact COUNT(*) of the first page read 200,000 index entries (70 ms, more than the page
    itself); these are a few rows per organization."""
    filters = filters or MemberFilters()
    if filters.q or filters.theory_level or filters.age_band in AGE_BANDS or filters.working_away is not None:
        return None
    paths = permissions.scope_paths(actor, "members.view")
    key = None
    if filters.organization is None and (paths is None or any(PATH_SEPARATOR not in path for path in paths)):
        # A province-wide total sums a row per organization and status (17,000 at 200,000 members: 4 ms of the
        # database's time on every page of the list). Large totals are kept a moment (LARGE_COUNT_SECONDS):
        # the count of a province moves by a few while its list is read.
        key = (
            "members:count:" + ",".join(sorted(paths) if paths is not None else ["*"]) + ":" + filters.status
        )
        kept = cache.get(key)
        if kept is not None:
            return kept
    qs = _scoped_by_status(MemberCount.objects, actor, filters)
    total = qs.aggregate(total=Sum("n"))["total"] or 0
    if key is not None and total >= LARGE_COUNT:
        cache.set(key, total, LARGE_COUNT_SECONDS)
    return total


def _scoped_by_status(manager, actor, filters: MemberFilters):
    """Members (or their kept counts) in the actor's scope, under the chosen organization, of the chosen status."""
    qs = manager.filter(permissions.scope_q(actor, "members.view", field="organization__path"))
    if filters.organization is not None:
        path = filters.organization.path
        qs = qs.filter(Q(organization__path=path) | Q(organization__path__startswith=path + PATH_SEPARATOR))
    if filters.status == "all":
        return qs
    if filters.status:
        return qs.filter(status=filters.status)
    return qs.filter(status__in=CURRENT_STATUSES)


def _selective_words(text: str) -> bool:
    """Two or more words of a name: few members have them all, so the matches are best found first."""
    raw = text.strip()
    return not "".join(raw.split()).isdigit() and len([w for w in fold(raw).split(" ") if w]) >= 2


def _matches_first(order: tuple) -> tuple:
    """On PostgreSQL, sort by an expression of the sort key instead of the key itself.

    With several words PostgreSQL estimates each LIKE independently, believes many members match, and walks the
    name-order index throwing rows away (48,000 for "nguyen thi hoa" at 200,000 members). The sort key wrapped
    in an expression cannot be read from that index, so the trigram index finds the few hundred matches first
    and they are sorted in memory: 41 ms → 10 ms there. One word keeps the index walk, which is then faster.
    """
    if connection.vendor != "postgresql":
        return order
    wrapped = []
    for key in order:
        descending = key.startswith("-")
        name = key.lstrip("-")
        if name.endswith("name_sort"):
            expression = Concat(F(name), Value(""), output_field=CharField())
            wrapped.append(expression.desc() if descending else expression.asc())
        else:
            wrapped.append(key)
    return tuple(wrapped)


def search_q(actor, text: str) -> Q:
    """Digits look up card numbers (and national IDs where the actor may see them); words match folded names.

    Each word must appear in the accent-folded name, so "hoa nguyen" finds "Nguyễn Thị Hoà" too. National IDs
    are only searched where the actor may see personal data: a prefix search would otherwise reveal them.
    """
    raw = text.strip()
    digits = "".join(raw.split())
    if digits.isdigit():
        query = Q(card_number__startswith=digits)
        personal = permissions.scope_q(actor, "members.view_personal", field="organization__path")
        own = getattr(actor, "member_id", None)
        if own:
            personal |= Q(pk=own)
        return query | (Q(national_id__startswith=digits) & personal)
    query = Q()
    for word in fold(raw).split(" "):
        if word:
            query &= Q(name_folded__contains=word)
    return query


def access_member(actor, pk, *, perm: str = "members.view") -> Member:
    """Fetch one member and authorize: outside the actor's subtree → 404; too low a role → 403.

    A member always sees their own record.
    """
    try:
        member = Member.objects.select_related("organization").get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404
    if perm == "members.view" and getattr(actor, "member_id", None) == member.pk:
        return member
    permissions.authorize(actor, perm, member.organization.path)
    return member


def personal_data_checker(actor):
    """A function telling, without queries, whether the actor may see a listed member's personal fields."""
    check = personal.level_checker(actor)
    return lambda member: check(member) >= personal.Level.PERSONAL


def member_get_full(member: Member) -> Member:
    """The member with their periods, events and positions, each with what the record page shows."""
    return (
        Member.objects.select_related("organization")
        .prefetch_related(
            Prefetch(
                "periods",
                queryset=MembershipPeriod.objects.select_related("organization").order_by("starts_on", "id"),
            ),
            Prefetch(
                "events",
                queryset=MemberEvent.objects.select_related(
                    "from_organization", "to_organization", "recorded_by"
                ).order_by("occurred_on", "id"),
            ),
            Prefetch(
                "positions",
                queryset=Position.objects.select_related(
                    "committee", "committee__term", "committee__organization"
                ).order_by("-starts_on", "id"),
            ),
        )
        .get(pk=member.pk)
    )


def member_event_list(member: Member) -> QuerySet[MemberEvent]:
    """A member's events, oldest first, with the organizations and the recorder (one query)."""
    return (
        MemberEvent.objects.filter(member=member)
        .select_related("from_organization", "to_organization", "recorded_by")
        .order_by("occurred_on", "id")
    )


def member_org_choices(
    actor, *, perm: str = "members.view", cells_only: bool = False, include_inactive: bool = False
) -> QuerySet[Organization]:
    """Organizations the actor holds `perm` on, in tree order: the choices of filters and forms.

    Filters include merged or dissolved organizations (their members' history stays readable); forms that
    place a member somewhere offer active ones only.
    """
    qs = Organization.objects.filter(permissions.scope_q(actor, perm))
    if not include_inactive:
        qs = qs.filter(status=OrgStatus.ACTIVE)
    if cells_only:
        qs = qs.filter(kind__in=CELL_KINDS)
    return qs.order_by("path")


mask = personal.mask


def member_row(member: Member, level, *, masked: bool = False) -> dict:
    """What a page, a list or an API answer shows of one member at the viewer's `level` (coso.members.personal).

    Fields above the level are empty; `masked` (lists, until the user asks to show them) hides the national
    ID and the phone behind their first and last digits, so that people can still tell records apart.
    """
    if isinstance(level, bool):
        level = personal.Level.PERSONAL if level else personal.Level.PEER
    hidden = personal.hidden_fields(level)
    birth = member.date_of_birth
    row = {
        "member": member,
        "level": level,
        "personal": level >= personal.Level.PERSONAL,
        "sensitive": level >= personal.Level.SENSITIVE,
        "masked": False,
    }
    for name in ("national_id", "phone", "email", "current_address", "hometown", "card_number"):
        row[name] = "" if name in hidden else (getattr(member, name) or "")
    for name in ("ethnicity", "religion"):
        row[name] = "" if name in hidden else (getattr(member, name) or "")
    if "date_of_birth" in hidden:
        row["date_of_birth"] = None
        row["date_of_birth_text"] = ""
        row["birth_year"] = None
    else:
        row["date_of_birth"] = birth
        row["date_of_birth_text"] = birth.strftime("%d/%m/%Y") if birth else ""
        row["birth_year"] = birth.year if birth else None
    if masked and row["personal"]:
        for name in personal.MASKED_IN_LISTS:
            if row[name]:
                row[name] = mask(row[name])
                row["masked"] = True
    return row
