"""Tracking codes, the level of an organization, routing to the responsible one, and deadlines."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db.models import Q
from django.utils import timezone

from coso.core import workdays
from coso.orgs.models import CELL_KINDS, GRASSROOTS_KINDS, Organization, OrgKind

from .. import policies
from ..models import Category, Channel, ComplaintRound, Feedback, FeedbackKind, RoutingRule

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: easy to read out on the phone


PUBLIC_CHANNELS = (Channel.WEB, Channel.API)


def tracking_code() -> str:
    """8 random characters (31^8 ≈ 8.5·10^11), shown as ABCD-EFGH."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(value: str) -> str:
    raw = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else ""


def level_of(org: Organization) -> str | None:
    """The level of a committee for the reception-day rule: provincial, district, commune; None when the rule
    does not apply.

    QĐ 11-QĐi/TW (as amended by KL 215-KL/TW) binds the heads of *territorial* committees: the province and
    the commune or ward (the district until it was dropped). Agency, enterprise, police and army committees
    receive no citizens under it, so they are never flagged: at the grassroots a territorial committee is one
    marked residential (a commune, ward or township); above it, a district-level committee is territorial when
    communes or wards are under it (a city or district committee, not a bloc or police committee).
    """
    if org.kind == OrgKind.PROVINCIAL:
        return "provincial"
    if org.kind == OrgKind.DISTRICT:
        has_communes = Organization.objects.filter(
            path__startswith=org.path + ".", kind__in=GRASSROOTS_KINDS, residential=True
        ).exists()
        return "district" if has_communes else None
    if org.kind in GRASSROOTS_KINDS and org.residential:
        return "commune"
    return None


def _lineage(org: Organization) -> list[Organization]:
    """The organization and its ancestors, nearest first (one query)."""
    paths = [*org.ancestor_paths, org.path]
    rows = {o.path: o for o in Organization.objects.filter(path__in=paths)}
    return [rows[p] for p in reversed(paths) if p in rows]


def receiving_unit_for(area: Organization) -> Organization:
    """The commune-level committee an area belongs to (the area itself when it is a committee above it)."""
    for org in _lineage(area):
        if org.kind not in CELL_KINDS or org.kind == OrgKind.GRASSROOTS_CELL:
            return org
    return area


def route(*, category: Category, area: Organization) -> Organization | None:
    """The responsible organization by the most specific routing rule (deepest area, then named category)."""
    paths = [*area.ancestor_paths, area.path]
    rules = list(
        RoutingRule.objects.filter(area__path__in=paths)
        .filter(Q(category=category) | Q(category__isnull=True))
        .select_related("area", "responsible")
    )
    if not rules:
        return None
    best = max(rules, key=lambda r: (r.area.depth, r.category_id is not None))
    return best.responsible


def _complaint_prefix(feedback: Feedback) -> str:
    """The policy keys of the complaint's round: a second complaint has its own limits (Luật Khiếu nại, Art. 37)."""
    return (
        "citizens.complaint2" if feedback.complaint_round == ComplaintRound.SECOND else "citizens.complaint"
    )


def deadline_for(feedback: Feedback, *, start: dt.datetime) -> dt.datetime:
    """When the answer is due, counted from `start` (receipt, or acceptance for complaints/denunciations)."""
    local = timezone.localtime(start)
    on = local.date()
    if feedback.kind == FeedbackKind.COMPLAINT:
        key = _complaint_prefix(feedback) + ".days"
        if feedback.remote_area:
            key += "_remote_complex" if feedback.is_complex else "_remote"
        elif feedback.is_complex:
            key += "_complex"
        return workdays.end_of_working_day(workdays.add_days(on, policies.policy(key, on)))
    if feedback.kind == FeedbackKind.DENUNCIATION:
        days = policies.policy("citizens.denunciation.days", on)
        days += feedback.extensions * policies.policy("citizens.denunciation.extension_days", on)
        return workdays.end_of_working_day(workdays.add_days(on, days))
    category = feedback.category
    if category.deadline_working_hours and not feedback.several_units:
        return workdays.add_working_hours(start, category.deadline_working_hours)
    days = category.deadline_working_days_multi if feedback.several_units else category.deadline_working_days
    return workdays.end_of_working_day(workdays.add_working_days(on, days))


def acceptance_deadline(feedback: Feedback) -> dt.datetime:
    """Complaints and denunciations must first be accepted (thụ lý) within the legal time.

    Complaints: 10 calendar days (Luật Khiếu nại 2011, Art. 27 and 36). Denunciations: 07 working days
    (Luật Tố cáo 2018, Art. 24 §1 says "07 ngày làm việc"), so weekends and holidays do not count.
    """
    on = timezone.localtime(feedback.received_at).date()
    if feedback.kind == FeedbackKind.COMPLAINT:
        days = policies.policy(_complaint_prefix(feedback) + ".accept_days", on)
        return workdays.end_of_working_day(workdays.add_days(on, days))
    days = policies.policy("citizens.denunciation.accept_working_days", on)
    return workdays.end_of_working_day(workdays.add_working_days(on, days))


def _initial_deadline(feedback: Feedback) -> dt.datetime:
    if feedback.kind in (FeedbackKind.COMPLAINT, FeedbackKind.DENUNCIATION):
        return acceptance_deadline(feedback)
    return deadline_for(feedback, start=feedback.received_at)
