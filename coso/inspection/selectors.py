"""Reads of the inspection app, always scoped by the actor through accounts.permissions.

Cases, plans and discipline records exist only for the roles holding `inspection.view_cases` in the subtree
(404 otherwise). Shortcomings and remedies are seen by the roles holding `inspection.view_remedies` and by the
member they concern (the owner of a remedy).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coso.accounts import permissions
from coso.core.text import fold
from coso.members.models import Member
from coso.orgs.models import PATH_SEPARATOR, Organization

from .models import (
    DisciplineRecord,
    InspectionCase,
    InspectionPlan,
    Remedy,
    RemedyStatus,
    RemedyUpdate,
    Shortcoming,
)

ORG = "organization__path"


def _subtree_q(org: Organization, field: str = ORG) -> Q:
    return Q(**{field: org.path}) | Q(**{f"{field}__startswith": org.path + PATH_SEPARATOR})


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404


# --- remedies ----------------------------------------------------------------------------------------------------

BOXES = ("mine", "verify", "all")


@dataclass
class RemedyFilters:
    box: str = "mine"
    q: str = ""
    organization: Organization | None = None
    year: int | None = None
    status: str = ""
    overdue: bool | None = None


def _own_q(actor) -> Q:
    member_id = getattr(actor, "member_id", None)
    return Q(responsible_id=member_id) if member_id else Q(pk__in=[])


def visible_remedies(actor) -> QuerySet[Remedy]:
    """Remedies the actor owns, or of organizations where they hold inspection.view_remedies."""
    return Remedy.objects.filter(
        permissions.scope_q(actor, "inspection.view_remedies", field=ORG) | _own_q(actor)
    )


def verify_q(actor) -> Q:
    """Remedies the actor may verify: those of the organizations below where they hold inspection.verify."""
    paths = permissions.scope_paths(actor, "inspection.verify")
    if paths is None:
        return Q()
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{ORG}__startswith": path + PATH_SEPARATOR})
    return query


def remedy_list(
    *, actor, filters: RemedyFilters | None = None, today: dt.date | None = None
) -> QuerySet[Remedy]:
    filters = filters or RemedyFilters()
    today = today or timezone.localdate()
    qs = visible_remedies(actor)
    if filters.box == "mine":
        qs = qs.filter(_own_q(actor))
    elif filters.box == "verify":
        qs = qs.filter(verify_q(actor), status=RemedyStatus.REPORTED_DONE)
    if filters.organization is not None:
        qs = qs.filter(_subtree_q(filters.organization))
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue is True:
        qs = qs.filter(Remedy.overdue_q(today))
    elif filters.overdue is False:
        qs = qs.exclude(Remedy.overdue_q(today))
    if filters.q:
        for word in fold(filters.q).split():
            qs = qs.filter(Q(title_folded__contains=word) | Q(organization__name_folded__contains=word))
    return qs.select_related("organization", "responsible", "shortcoming").order_by("due_date", "id")


def access_remedy(actor, pk, *, for_write: bool = False) -> Remedy:
    """One remedy: its owner and the roles of its organization see it; anyone else gets 404."""
    qs = Remedy.objects.select_related("organization", "organization__parent", "responsible", "shortcoming")
    if for_write:
        qs = qs.select_for_update(of=("self",))
    remedy = _get(qs, pk)
    if not is_owner(actor, remedy):
        permissions.authorize(actor, "inspection.view_remedies", remedy.organization.path)
    return remedy


def is_owner(actor, remedy: Remedy) -> bool:
    member_id = getattr(actor, "member_id", None)
    return bool(member_id) and remedy.responsible_id == member_id


def can_report(actor, remedy: Remedy) -> bool:
    """The owner and the organization's office report progress and completion."""
    return is_owner(actor, remedy) or permissions.can(
        actor, "inspection.manage_remedies", remedy.organization.path
    )


def can_verify(actor, remedy: Remedy) -> bool:
    """The inspection committee or the upper level: inspection.verify on the parent organization."""
    parent = remedy.organization.parent
    if parent is None:
        return permissions.is_superuser(actor)
    return permissions.can(actor, "inspection.verify", parent.path)


def remedy_updates(remedy: Remedy) -> list[RemedyUpdate]:
    return list(remedy.updates.select_related("created_by").order_by("-date", "-id"))


def access_remedy_update(actor, pk) -> RemedyUpdate:
    update = _get(RemedyUpdate.objects.select_related("remedy__organization"), pk)
    access_remedy(actor, update.remedy_id)
    return update


def overdue_remedies(member_or_org, year: int, *, today: dt.date | None = None) -> QuerySet[Remedy]:
    """The remedies of a year still open after their deadline: a member's own (as owner), or those of an
    organization's subtree. The reviews app reads them as evidence for the next review."""
    today = today or timezone.localdate()
    qs = Remedy.objects.filter(Remedy.overdue_q(today), year=year)
    if isinstance(member_or_org, Member):
        qs = qs.filter(responsible=member_or_org)
    else:
        qs = qs.filter(_subtree_q(member_or_org))
    return qs.select_related("organization", "responsible").order_by("due_date", "id")


def responsible_choices(organization: Organization) -> QuerySet[Member]:
    from coso.members.services import CURRENT

    return (
        Member.objects.filter(_subtree_q(organization), status__in=CURRENT)
        .select_related("organization")
        .order_by("name_sort", "id")
    )


# --- shortcomings -------------------------------------------------------------------------------------------------


def shortcoming_list(*, actor, year: int | None = None) -> QuerySet[Shortcoming]:
    member_id = getattr(actor, "member_id", None)
    own = Q(member_id=member_id) if member_id else Q(pk__in=[])
    qs = Shortcoming.objects.filter(permissions.scope_q(actor, "inspection.view_remedies", field=ORG) | own)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("organization", "member").order_by("-year", "-id")


def access_shortcoming(actor, pk) -> Shortcoming:
    item = _get(Shortcoming.objects.select_related("organization", "member"), pk)
    if not (getattr(actor, "member_id", None) and item.member_id == actor.member_id):
        permissions.authorize(actor, "inspection.view_remedies", item.organization.path)
    return item


# --- plans and cases -----------------------------------------------------------------------------------------------


def plan_list(*, actor, year: int | None = None, organization: Organization | None = None):
    qs = InspectionPlan.objects.filter(permissions.scope_q(actor, "inspection.view_cases", field=ORG))
    if year:
        qs = qs.filter(year=year)
    if organization is not None:
        qs = qs.filter(_subtree_q(organization))
    return qs.select_related("organization").order_by("-year", "organization__path", "id")


def access_plan(actor, pk, *, perm: str = "inspection.view_cases") -> InspectionPlan:
    plan = _get(InspectionPlan.objects.select_related("organization"), pk)
    permissions.authorize(actor, perm, plan.organization.path)
    return plan


@dataclass
class CaseFilters:
    q: str = ""
    organization: Organization | None = None
    year: int | None = None
    kind: str = ""
    step: str = ""


def case_list(*, actor, filters: CaseFilters | None = None) -> QuerySet[InspectionCase]:
    filters = filters or CaseFilters()
    qs = InspectionCase.objects.filter(permissions.scope_q(actor, "inspection.view_cases", field=ORG))
    if filters.organization is not None:
        qs = qs.filter(_subtree_q(filters.organization))
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.step:
        qs = qs.filter(step=filters.step)
    if filters.q:
        for word in fold(filters.q).split():
            qs = qs.filter(organization__name_folded__contains=word)
    return qs.select_related("organization", "member").order_by("-year", "-id")


def access_case(actor, pk, *, perm: str = "inspection.view_cases", for_write: bool = False) -> InspectionCase:
    """One case: outside the actor's inspection scope (or without an inspection role) it does not exist."""
    qs = InspectionCase.objects.select_related("organization", "member", "plan")
    if for_write:
        qs = qs.select_for_update(of=("self",))
    case = _get(qs, pk)
    permissions.authorize(actor, perm, case.organization.path)
    return case


def case_steps(case: InspectionCase):
    return list(case.steps.select_related("recorded_by").order_by("date", "id"))


def access_step(actor, pk):
    from .models import CaseStepRecord

    record = _get(CaseStepRecord.objects.select_related("case__organization"), pk)
    permissions.authorize(actor, "inspection.view_cases", record.case.organization.path)
    return record


# --- discipline --------------------------------------------------------------------------------------------------


def discipline_list(*, actor, year: int | None = None, form: str = "") -> QuerySet[DisciplineRecord]:
    qs = DisciplineRecord.objects.filter(permissions.scope_q(actor, "inspection.view_cases", field=ORG))
    if year:
        qs = qs.filter(decided_on__year=year)
    if form:
        qs = qs.filter(form=form)
    return qs.select_related("organization", "member").order_by("-decided_on", "-id")


def access_discipline(actor, pk) -> DisciplineRecord:
    record = _get(DisciplineRecord.objects.select_related("organization", "member"), pk)
    permissions.authorize(actor, "inspection.view_cases", record.organization.path)
    return record
