"""Scheduled jobs: escalating overdue items, closing stale answers, the weekly digest."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.accounts.models import Role, RoleGrant
from coso.core import workdays
from coso.core.exceptions import RuleViolation

from .. import policies
from ..models import OPEN_STATUSES, Feedback, UpdateKind
from ._common import OFFICE, S, _locked, _notify, _record, _save, users_of
from .workflow import feedback_close


def feedback_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """Escalate items overdue by the configured number of working days to the upper level (once per item)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    after = policies.policy("citizens.escalate_after_working_days", today)
    candidates = Feedback.objects.filter(
        status__in=OPEN_STATUSES, deadline_at__lt=now, escalated_at__isnull=True
    ).select_related("organization__parent", "receiving_org__parent")
    count = 0
    for item in candidates.iterator():
        overdue_since = timezone.localtime(item.deadline_at).date()
        if workdays.working_days_between(overdue_since, today) < after:
            continue
        # A cell's overdue item goes to the commune above it; a commune's to the province.
        base = item.organization or item.receiving_org
        upper = base.parent or base
        with transaction.atomic():
            locked = _locked(item)
            if locked.escalated_at is not None or locked.status not in OPEN_STATUSES:
                continue
            locked.escalated_at = now
            locked.escalated_to = upper
            _save(locked, permissions.SYSTEM, ["escalated_at", "escalated_to"])
            text = _("Overdue since %(date)s: escalated to %(org)s.") % {
                "date": overdue_since.strftime("%d/%m/%Y"),
                "org": upper.name,
            }
            _record(
                locked, kind=UpdateKind.ESCALATED, actor=None, text=text, public=False, organization=upper
            )
            _notify(
                users_of(upper, OFFICE),
                kind="citizens.escalated",
                title=format_lazy(
                    gettext_lazy("Overdue feedback {code} escalated to you: {title}"),
                    code=locked.code,
                    title=locked.title,
                ),  # fmt: skip
                feedback=locked,
            )
            count += 1
    return count


def feedback_close_stale(*, now: dt.datetime | None = None) -> int:
    """Close answered items the citizen has not rated nor reopened within the configured number of days."""
    now = now or timezone.now()
    days = policies.policy("citizens.close_after_days", timezone.localtime(now).date())
    stale = Feedback.objects.filter(status=S.ANSWERED, answered_at__lt=now - dt.timedelta(days=days))
    count = 0
    for item in stale.iterator():
        try:
            feedback_close(
                actor=permissions.SYSTEM, feedback=item, reason=_("Closed: no rating within 14 days.")
            )
        except RuleViolation:
            continue  # an answer without the required evidence stays open for the handler to complete
        count += 1
    return count


def feedback_digest(*, now: dt.datetime | None = None) -> int:
    """Weekly e-mail to committee leaders: open, overdue and answered items in their subtree (once per week)."""
    from coso.notifications.services import notify

    from ..selectors import digest_counts

    now = now or timezone.now()
    year, week, _weekday = timezone.localtime(now).isocalendar()
    grants = (
        RoleGrant.objects.filter(role=Role.COMMITTEE_LEADER, revoked_at__isnull=True, user__is_active=True)
        .select_related("user", "organization")
        .order_by("organization__path")
    )
    sent = 0
    for grant in grants:
        counts = digest_counts(grant.organization, now=now)
        if not any(counts.values()):
            continue
        title = format_lazy(
            gettext_lazy("Citizens' feedback, week {week}/{year}: {open} open, {overdue} overdue"),
            week=week,
            year=year,
            open=counts["open"],
            overdue=counts["overdue"],
        )
        body = format_lazy(
            gettext_lazy(
                "{org}: {received} received this week, {answered} answered this week, {open} open, "
                "{overdue} overdue, {unassigned} not yet assigned."
            ),
            org=grant.organization.name,
            **counts,
        )
        created = notify(
            recipients=[grant.user],
            kind="citizens.digest",
            title=title,
            body=body,
            url="/citizens/inbox/",
            email=True,
            dedupe_key=f"citizens.digest:{grant.organization_id}:{year}-W{week:02d}",
        )
        sent += len(created)
    return sent
