"""The home page's section on review cycles under way: the user's own review and what waits for their step
(at most three open cycles; three queries whatever the size of the tree)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.http import HttpRequest

from coso.accounts import permissions
from coso.core.panels import Panel

from . import selectors
from .models import AnnualReview, CycleStatus, ReviewStatus

SHOWN = 3
# Which statuses wait for a step the permission allows.
WAITING = {
    "reviews.propose": (ReviewStatus.SUBMITTED, ReviewStatus.PROPOSED),
    "reviews.decide": (ReviewStatus.ADVISED,),
}


def home_panels(request: HttpRequest, today: dt.date) -> list[Panel]:
    user = request.user
    if not permissions.has_any(user, "reviews.view"):
        return []
    cycles = list(selectors.cycle_list(actor=user).filter(status=CycleStatus.OPEN)[:SHOWN])
    if not cycles:
        return []
    own = {}
    if getattr(user, "member_id", None):
        own = {
            review.cycle_id: review
            for review in AnnualReview.objects.filter(cycle__in=cycles, member_id=user.member_id)
        }
    statuses = [
        status for perm, values in WAITING.items() if permissions.has_any(user, perm) for status in values
    ]
    waiting: dict[int, dict[str, int]] = defaultdict(dict)
    if statuses:
        rows = (
            AnnualReview.objects.filter(cycle__in=cycles, status__in=statuses)
            .filter(permissions.scope_q(user, "reviews.view", field="organization__path"))
            .values_list("cycle_id", "status")
            .annotate(n=Count("*"))
            .order_by()
        )
        for cycle_id, status, count in rows:
            waiting[cycle_id][status] = count
    items = [
        {
            "cycle": cycle,
            "own": own.get(cycle.pk),
            "can_start": bool(getattr(user, "member_id", None)) and cycle.pk not in own,
            "waiting": [
                (ReviewStatus(status).label, count) for status, count in sorted(waiting[cycle.pk].items())
            ],
            "late": today > cycle.self_review_due,
        }
        for cycle in cycles
    ]
    return [Panel("reviews/_home_panel.html", {"items": items}, order=45)]
