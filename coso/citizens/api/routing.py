"""Routing rules: which organization answers for an area and category."""

from __future__ import annotations

from coso.accounts import permissions
from coso.orgs import selectors as org_selectors

from .. import services
from ..models import RoutingRule
from ._common import _area, _category, _org, _require_any, router
from .schemas import RoutingIn, RoutingOut


def _rule(r: RoutingRule) -> dict:
    return {
        "id": r.pk,
        "category": r.category.code if r.category else None,
        "area": _org(r.area),
        "responsible": _org(r.responsible),
        "note": r.note,
    }


@router.get("/routing-rules", response=list[RoutingOut], url_name="routing_rule_list")
def routing_rule_list(request):
    _require_any(request.auth, "citizens.view")
    rows = RoutingRule.objects.filter(
        permissions.scope_q(request.auth, "citizens.view", field="area__path")
    ).select_related("category", "area", "responsible")
    return [_rule(r) for r in rows[:1000]]


@router.post("/routing-rules", response={201: RoutingOut}, url_name="routing_rule_create")
def routing_rule_create(request, payload: RoutingIn):
    user = request.auth
    area = org_selectors.access_organization(user, payload.area, perm="citizens.receive")
    responsible = _area(payload.responsible, "responsible")
    rule = services.routing_rule_save(
        actor=user,
        area=area,
        responsible=responsible,
        category=_category(payload.category),
        note=payload.note,
    )
    return 201, _rule(rule)
