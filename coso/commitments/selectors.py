"""Reads of hard tasks, always scoped by the actor through accounts.permissions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coso.accounts import permissions
from coso.core.text import fold
from coso.members.models import Member
from coso.orgs.models import PATH_SEPARATOR, Organization, Position, PositionTitle

from .models import HardTask, HardTaskStatus, HardTaskUpdate

SORTS = {
    "due": ("due_date", "organization__path", "id"),
    "-due": ("-due_date", "organization__path", "-id"),
    "org": ("organization__path", "due_date", "id"),
    "progress": ("progress", "due_date", "id"),
    "-progress": ("-progress", "due_date", "id"),
}


@dataclass
class HardTaskFilters:
    q: str = ""
    organization: Organization | None = None
    # Only the organization itself, not its subtree.
    own_only: bool = False
    year: int | None = None
    status: str = ""
    kind: str = ""
    overdue: bool | None = None
    top_level: bool = False
    sort: str = "org"


def _subtree_q(org: Organization, field: str = "organization__path") -> Q:
    return Q(**{field: org.path}) | Q(**{f"{field}__startswith": org.path + PATH_SEPARATOR})


def hard_task_list(
    *, actor, filters: HardTaskFilters | None = None, today: dt.date | None = None
) -> QuerySet[HardTask]:
    """Hard tasks in the actor's part of the tree, filtered and sorted (one query, plus the count when paged)."""
    filters = filters or HardTaskFilters()
    today = today or timezone.localdate()
    qs = HardTask.objects.filter(permissions.scope_q(actor, "commitments.view", field="organization__path"))
    if filters.organization is not None:
        if filters.own_only:
            qs = qs.filter(organization=filters.organization)
        else:
            qs = qs.filter(_subtree_q(filters.organization))
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.overdue is True:
        qs = qs.filter(HardTask.overdue_q(today))
    elif filters.overdue is False:
        qs = qs.exclude(HardTask.overdue_q(today))
    if filters.top_level:
        qs = qs.filter(parent__isnull=True)
    if filters.q:
        for word in fold(filters.q).split():
            qs = qs.filter(Q(title_folded__contains=word) | Q(organization__name_folded__contains=word))
    return qs.select_related("organization", "responsible", "parent").order_by(
        *SORTS.get(filters.sort, SORTS["org"])
    )


def hard_task_summary(
    *, actor, today: dt.date, organization: Organization | None = None, year: int | None = None
):
    """Counts by status and the overdue count over the actor's scope (or one subtree): one query."""
    qs = HardTask.objects.filter(permissions.scope_q(actor, "commitments.view", field="organization__path"))
    if organization is not None:
        qs = qs.filter(_subtree_q(organization))
    if year:
        qs = qs.filter(year=year)
    aggregates = {status.value: Count("id", filter=Q(status=status)) for status in HardTaskStatus}
    aggregates["overdue"] = Count("id", filter=HardTask.overdue_q(today))
    aggregates["total"] = Count("id")
    return qs.aggregate(**aggregates)


def access_hard_task(actor, pk, *, perm: str = "commitments.view", for_write: bool = False) -> HardTask:
    """Fetch one hard task and authorize: outside the actor's subtree → 404; too low a role → 403.

    With `for_write` the row is locked until the transaction ends (call it inside transaction.atomic).
    """
    qs = HardTask.objects.select_related("organization", "organization__parent", "responsible", "parent")
    if for_write:
        qs = qs.select_for_update(of=("self",))
    try:
        task = qs.get(pk=pk)
    except (HardTask.DoesNotExist, ValueError, TypeError):
        raise Http404
    permissions.authorize(actor, perm, task.organization.path)
    return task


def upper_path(task: HardTask) -> str | None:
    """The path of the committee the task is committed to (the organization's parent)."""
    parent = task.organization.parent
    return parent.path if parent is not None else None


def can_verify(actor, task: HardTask) -> bool:
    """Only the upper committee verifies: the verify role on the parent organization, never on the task's own."""
    path = upper_path(task)
    if path is None:
        return permissions.is_superuser(actor)
    return permissions.can(actor, "commitments.verify", path)


def can_manage(actor, task: HardTask) -> bool:
    return permissions.can(actor, "commitments.manage", task.organization.path)


def hard_task_children(task: HardTask) -> list[HardTask]:
    return list(
        task.children.select_related("organization", "responsible").order_by(
            "organization__path", "due_date", "id"
        )
    )


def hard_task_updates(task: HardTask) -> list[HardTaskUpdate]:
    return list(task.updates.select_related("created_by").order_by("-date", "-id"))


def hard_task_ancestors(task: HardTask) -> list[HardTask]:
    """The chain of parents, top first: the family is one query on its root."""
    if task.parent_id is None:
        return []
    root = task.root_id or task.parent_id
    family = {
        item.pk: item
        for item in HardTask.objects.filter(Q(root_id=root) | Q(pk=root)).select_related("organization")
    }
    chain: list[HardTask] = []
    seen = {task.pk}
    current = family.get(task.parent_id)
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = family.get(current.parent_id)
    return list(reversed(chain))


def access_update(actor, pk) -> HardTaskUpdate:
    try:
        update = HardTaskUpdate.objects.select_related("task__organization").get(pk=pk)
    except (HardTaskUpdate.DoesNotExist, ValueError, TypeError):
        raise Http404
    permissions.authorize(actor, "commitments.view", update.task.organization.path)
    return update


def responsible_choices(organization: Organization) -> QuerySet[Member]:
    """Members who may answer for the organization's task: current members of its subtree, heads first."""
    from coso.members.services import CURRENT

    return (
        Member.objects.filter(_subtree_q(organization), status__in=CURRENT)
        .select_related("organization")
        .order_by("name_sort", "id")
    )


def default_responsible(organization: Organization, *, on: dt.date | None = None) -> Member | None:
    """The organization's current secretary, the usual head who answers for its commitments."""
    on = on or timezone.localdate()
    position = (
        Position.objects.filter(
            committee__organization=organization,
            title=PositionTitle.SECRETARY,
            starts_on__lte=on,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(Q(committee__term__ends_on__isnull=True) | Q(committee__term__ends_on__gte=on))
        .select_related("member")
        .order_by("-starts_on")
        .first()
    )
    return position.member if position is not None else None


def parent_choices(*, actor, organization: Organization | None = None) -> QuerySet[HardTask]:
    """Tasks a new task may be part of: visible, not finished, of the organization or one above it."""
    qs = HardTask.objects.filter(
        permissions.scope_q(actor, "commitments.view", field="organization__path")
    ).exclude(status=HardTaskStatus.VERIFIED)
    if organization is not None:
        qs = qs.filter(organization__path__in=[*organization.ancestor_paths, organization.path])
    return qs.select_related("organization").order_by("-year", "organization__path", "title")


def member_hard_tasks(member: Member) -> list[HardTask]:
    """Open tasks a member answers for (one query), for the member's page."""
    return list(
        HardTask.objects.filter(responsible=member)
        .exclude(status=HardTaskStatus.VERIFIED)
        .select_related("organization")
        .order_by("due_date", "id")[:10]
    )


def linkable_feedback(*, actor, organization: Organization):
    """Citizens' feedback items a task of `organization` may answer: ones the actor sees that the organization
    received, handles (its subtree included) or whose place lies in its area."""
    from coso.citizens import selectors as citizens_selectors

    return citizens_selectors.feedback_list(actor=actor, filters={"box": "all", "org": organization})


def hard_task_feedback(task: HardTask) -> list:
    return list(task.feedback_items.select_related("category").order_by("-received_at", "-id"))
