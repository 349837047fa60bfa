"""Follow-through plans: the heads who assess them, start, write, submit, assess."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation
from coso.core.text import nfc
from coso.members.models import Member
from coso.orgs.models import Organization, Position, PositionTitle

from ..models import CommitmentResult, FollowThroughPlan, PlanCommitment, PlanStatus
from ..policies import study_policy
from ._common import REQUIRED_STATUSES, _bump, _check_version, _fail, _lock, _no_html, _own

HEAD_TITLES = (
    PositionTitle.SECRETARY,
    PositionTitle.STANDING_DEPUTY_SECRETARY,
    PositionTitle.DEPUTY_SECRETARY,
)


def plan_heads(member: Member, organization: Organization, *, on: dt.date) -> list[Member]:
    """The heads of the member's organization (secretary and deputies), the member excepted."""
    seats = (
        Position.objects.filter(
            committee__organization=organization, title__in=HEAD_TITLES, starts_on__lte=on
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exclude(member=member)
        .select_related("member")
    )
    return list({seat.member_id: seat.member for seat in seats}.values())


def plan_heads_pending(member: Member, organization: Organization, year: int, *, on: dt.date) -> list[Member]:
    """Heads who have not submitted their plan for `year` yet ("above before below")."""
    heads = plan_heads(member, organization, on=on)
    done = set(
        FollowThroughPlan.objects.filter(
            member__in=heads, year=year, status=PlanStatus.SUBMITTED
        ).values_list("member_id", flat=True)
    )
    return [head for head in heads if head.pk not in done]


def plan_start(*, actor, member: Member, year: int) -> FollowThroughPlan:
    if not _own(actor, member):
        raise PermissionDenied
    plan = FollowThroughPlan.objects.filter(member=member, year=year).first()
    if plan is not None:
        return plan
    if member.status not in REQUIRED_STATUSES:
        raise _fail("year", _("Exempted and former members do not write a plan."))
    with transaction.atomic():
        plan = FollowThroughPlan(member=member, year=year, organization=member.organization)
        stamp(plan, actor).save()
    return plan


def _clean_commitments(items: Iterable[dict], year: int) -> list[dict]:
    cleaned: list[dict] = []
    errors: list[str] = []
    for i, item in enumerate(items, start=1):
        text = _no_html(item.get("text", ""), "commitments")
        target = nfc(item.get("target", ""))
        deadline = item.get("deadline")
        if not text and not target and not deadline:
            continue
        if not text or not target or not deadline:
            errors.append(
                _("Commitment %(n)s needs the commitment, a measurable target and a deadline.") % {"n": i}
            )
            continue
        if deadline.year != year:
            errors.append(_("Commitment %(n)s: the deadline must fall in %(year)s.") % {"n": i, "year": year})
            continue
        cleaned.append({"text": text, "target": target[:255], "deadline": deadline})
    if errors:
        raise RuleViolation(errors[0], fields={"commitments": errors})
    return cleaned


def plan_update(
    *, actor, plan: FollowThroughPlan, commitments: Iterable[dict], expected_version: int | None
) -> FollowThroughPlan:
    """Replace the plan's list of commitments (text, measurable target, deadline) while it is a draft."""
    if not _own(actor, plan.member):
        raise PermissionDenied
    items = _clean_commitments(commitments, plan.year)
    with transaction.atomic():
        plan = _lock(FollowThroughPlan, plan.pk)
        _check_version(plan, expected_version)
        if plan.status != PlanStatus.DRAFT:
            raise _fail("status", _("A submitted plan can no longer be changed."))
        plan.commitments.all().delete()
        PlanCommitment.objects.bulk_create(
            [PlanCommitment(plan=plan, position=i, **item) for i, item in enumerate(items)]
        )
        _bump(plan, actor)
        plan.save()
    return plan


def plan_submit(
    *, actor, plan: FollowThroughPlan, expected_version: int | None = None, today: dt.date | None = None
) -> FollowThroughPlan:
    """Submit the plan. Heads come first: submitting before them is allowed but recorded (`before_heads`)
    and shown as a warning, because blocking a member on a head who has no account would stop the cell."""
    if not _own(actor, plan.member):
        raise PermissionDenied
    today = today or timezone.localdate()
    with transaction.atomic():
        plan = _lock(FollowThroughPlan, plan.pk)
        _check_version(plan, expected_version)
        if plan.status != PlanStatus.DRAFT:
            raise _fail("status", _("The plan is already submitted."))
        if not plan.commitments.exists():
            raise _fail("commitments", _("Add at least one commitment before submitting the plan."))
        plan.before_heads = bool(plan_heads_pending(plan.member, plan.organization, plan.year, on=today))
        plan.status = PlanStatus.SUBMITTED
        plan.submitted_at = timezone.now()
        _bump(plan, actor)
        plan.save()
    return plan


def plan_assess(
    *,
    actor,
    plan: FollowThroughPlan,
    results: dict[int, tuple[str, str]],
    today: dt.date | None = None,
) -> FollowThroughPlan:
    """Self-assess each commitment at year end: done / partly / not done, with a note."""
    if not _own(actor, plan.member):
        raise PermissionDenied
    today = today or timezone.localdate()
    opens = dt.date(plan.year, study_policy("plan.assessment_from_month", today), 1)
    if today < opens:
        raise _fail(
            "results",
            _("Commitments are assessed at year end, from %(date)s.") % {"date": opens.strftime("%d/%m/%Y")},
        )
    if plan.status != PlanStatus.SUBMITTED:
        raise _fail("results", _("Submit the plan before assessing it."))
    with transaction.atomic():
        plan = _lock(FollowThroughPlan, plan.pk)
        commitments = {c.pk: c for c in plan.commitments.select_for_update()}
        for pk, (result, note) in results.items():
            commitment = commitments.get(pk)
            if commitment is None:
                raise _fail("results", _("This commitment is not part of the plan."))
            if result and result not in CommitmentResult.values:
                raise _fail("results", _("Choose done, partly done or not done."))
            commitment.result = result or ""
            commitment.result_note = _no_html(note or "", "results")
            commitment.assessed_on = today if result else None
            stamp(commitment, actor).save(
                update_fields=["result", "result_note", "assessed_on", "updated_at"]
            )
        _bump(plan, actor)
        plan.save()
    return plan
