"""The citizens panel on the home page: the user's feedback counts (overdue, unassigned, mine) and links.

Two queries whatever the data size: the grants (cached per request) and one aggregate.
"""

from __future__ import annotations

from django.utils import timezone

from coso.accounts import permissions
from coso.core.panels import Panel

from . import selectors


def home_panels(request, today):
    user = request.user
    if not permissions.has_any(user, "citizens.view"):
        return []
    counts = selectors.inbox_counts(actor=user, now=timezone.now())
    return [Panel("citizens/_home_panel.html", {"counts": counts}, order=40, slot="side")]
