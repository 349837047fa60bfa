"""Reception days: the monthly compliance, listing and planning them."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.core.exceptions import CosoError
from coso.orgs import selectors as org_selectors

from .. import selectors, services
from ..models import ReceptionDay
from ._common import _org, _require_any, router
from .schemas import ComplianceOut, ReceptionIn, ReceptionOut


def _month(value: str) -> dt.date:
    """The first day of a `yyyy-mm` query; unreadable input is a 400 `invalid` naming the field."""
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        message = _("Give the month as yyyy-mm.")
        raise CosoError(message, fields={"month": [message]}, code="invalid") from exc


@router.get("/reception/compliance", response=list[ComplianceOut], url_name="reception_compliance")
def reception_compliance(request, month: str = ""):
    first = _month(month) if month else timezone.localdate().replace(day=1)
    _require_any(request.auth, "citizens.view")
    rows = selectors.reception_compliance(actor=request.auth, month=first)
    return [
        {
            "organization": _org(r.organization),
            "head": r.head.full_name if r.head else None,
            "required": r.required,
            "held": r.held,
            "planned": r.planned,
            "short": r.short,
        }
        for r in rows
    ]


def _reception(r: ReceptionDay) -> dict:
    return {
        "id": r.pk,
        "organization": _org(r.organization),
        "head": r.head.full_name,
        "date": r.date,
        "kind": r.kind,
        "status": r.status,
        "place": r.place,
        "citizens_count": r.citizens_count,
        "matters": r.matters,
        "version": r.version,
    }


@router.get("/reception/days", response=list[ReceptionOut], url_name="reception_day_list")
def reception_day_list(request, org: str = "", month: str = ""):
    user = request.auth
    _require_any(user, "citizens.view")
    scope = org_selectors.access_organization(user, org, perm="citizens.view") if org else None
    rows = selectors.reception_list(actor=user, org=scope)
    if month:
        first, last = selectors.month_bounds(_month(month))
        rows = rows.filter(date__gte=first, date__lte=last)
    return [_reception(r) for r in rows[:500]]


@router.post("/reception/days", response={201: ReceptionOut}, url_name="reception_day_create")
def reception_day_create(request, payload: ReceptionIn):
    user = request.auth
    org = org_selectors.access_organization(user, payload.organization, perm="citizens.record")
    data = payload.dict()
    data.pop("organization")
    from coso.members.models import Member

    data["head"] = get_object_or_404(Member, pk=data["head"])
    item = services.reception_day_save(actor=user, organization=org, data=data)
    return 201, _reception(item)
