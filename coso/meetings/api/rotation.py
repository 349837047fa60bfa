"""Rotation plans: committee leaders attending cell meetings in turn."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.core.exceptions import RuleViolation
from coso.members.models import Member

from .. import selectors, services
from ._common import _access_org, _member, _org, router
from .schemas import RotationPlanDetailOut, RotationPlanIn, RotationPlanOut, VersionIn


def _plan_out(plan, *, visits=None) -> dict:
    data = {
        "id": plan.pk,
        "organization": _org(plan.organization),
        "title": plan.title,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "status": plan.status,
        "leaders": [_member(m) for m in plan.leaders.all()],
        "version": plan.version,
    }
    if visits is not None:
        data["visits"] = [
            {
                "id": v.pk,
                "leader": _member(v.leader),
                "meeting": v.meeting_id,
                "cell": _org(v.meeting.organization),
                "date": timezone.localtime(v.meeting.starts_at).date(),
                "done": v.done,
            }
            for v in visits
        ]
    return data


@router.get(
    "/rotation-plans", response=list[RotationPlanOut], url_name="rotation_plan_list", summary="Rotation plans"
)
def rotation_plan_list(request: HttpRequest):
    plans = selectors.rotation_plan_list(actor=request.user).prefetch_related("leaders")[:200]
    return [_plan_out(p) for p in plans]


@router.post(
    "/rotation-plans",
    response={201: RotationPlanDetailOut},
    url_name="rotation_plan_create",
    summary="Propose a rotation plan",
)
def rotation_plan_create(request: HttpRequest, payload: RotationPlanIn):
    org = _access_org(request.user, payload.organization, "meetings.plan_rotation")
    leaders = list(Member.objects.filter(pk__in=payload.leaders))
    if len(leaders) != len(set(payload.leaders)):
        raise RuleViolation(_("Please correct the errors below."), fields={"leaders": [_("Unknown member.")]})
    plan, _proposal = services.rotation_plan_create(
        actor=request.user,
        organization=org,
        leaders=leaders,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        title=payload.title,
    )
    return 201, _plan_out(plan, visits=selectors.rotation_visits(plan))


@router.get(
    "/rotation-plans/{int:plan_id}",
    response=RotationPlanDetailOut,
    url_name="rotation_plan_detail",
    summary="A rotation plan with its visits",
)
def rotation_plan_detail(request: HttpRequest, plan_id: int):
    plan = selectors.access_rotation_plan(request.user, plan_id)
    return _plan_out(plan, visits=selectors.rotation_visits(plan))


@router.post(
    "/rotation-plans/{int:plan_id}/publish",
    response=RotationPlanDetailOut,
    url_name="rotation_plan_publish",
    summary="Publish a rotation plan",
)
def rotation_plan_publish(request: HttpRequest, plan_id: int, payload: VersionIn):
    plan = selectors.access_rotation_plan(request.user, plan_id, perm="meetings.plan_rotation")
    services.rotation_plan_publish(actor=request.user, plan=plan, expected_version=payload.version)
    return _plan_out(plan, visits=selectors.rotation_visits(plan))
