"""Writes of the emulation app: launch a movement with its weighted criteria, sign a covenant, score a year
(the organization first, then its upper committee), decide the recognition, record an award.

Every service authorizes through accounts.permissions and refuses a broken rule with a RuleViolation naming the
field, in Vietnamese, so the page and the API show the same message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.members.models import Member
from coso.orgs.models import Organization

from . import selectors
from .models import (
    WEIGHT_TOTAL,
    Award,
    AwardKind,
    Covenant,
    Criterion,
    Movement,
    MovementTarget,
    Score,
    Scorecard,
    ScoreResult,
)

# DOMAIN.md §6: the four goods of "Chi bộ bốn tốt" / "Đảng bộ cơ sở bốn tốt". The scoring is set locally, so
# the template only pre-fills equal weights and a 10-point scale that the committee may change.
FOUR_GOODS = (
    gettext_lazy("Political tasks done well"),
    gettext_lazy("Good meeting quality"),
    gettext_lazy("Good unity and discipline"),
    gettext_lazy("Good cadres and party members"),
)
FOUR_GOODS_MAX_SCORE = 10


def four_goods_criteria() -> list[dict]:
    weight = WEIGHT_TOTAL // len(FOUR_GOODS)
    return [{"name": str(name), "weight": weight, "max_score": FOUR_GOODS_MAX_SCORE} for name in FOUR_GOODS]


def criteria_errors(criteria: list[dict]) -> dict[str, list[str]]:
    """The errors of a list of criteria: names, positive weights and maximum scores, weights adding up to 100."""
    errors: dict[str, list[str]] = {}
    if not criteria:
        errors["criteria"] = [_("A movement needs at least one criterion.")]
        return errors
    for number, item in enumerate(criteria, start=1):
        if not (item.get("name") or "").strip():
            errors.setdefault("criteria", []).append(_("Criterion %(n)s has no name.") % {"n": number})
        if not isinstance(item.get("weight"), int) or item["weight"] <= 0:
            errors.setdefault("criteria", []).append(
                _("The weight of criterion %(n)s must be a whole number above 0.") % {"n": number}
            )
        if not isinstance(item.get("max_score"), int) or item["max_score"] <= 0:
            errors.setdefault("criteria", []).append(
                _("The maximum score of criterion %(n)s must be a whole number above 0.") % {"n": number}
            )
    if "criteria" not in errors:
        total = sum(item["weight"] for item in criteria)
        if total != WEIGHT_TOTAL:
            errors["criteria"] = [
                _("The weights add up to %(total)s%%; they must add up to exactly %(expected)s%%.")
                % {"total": total, "expected": WEIGHT_TOTAL}
            ]
    return errors


def movement_create(
    *,
    actor,
    organization: Organization,
    name: str,
    start_year: int,
    end_year: int,
    criteria: list[dict],
    target: str = MovementTarget.CELLS,
    description: str = "",
    launched_on: dt.date | None = None,
) -> Movement:
    """Launch a movement of `organization` (a committee) for its subtree, with its weighted criteria."""
    permissions.authorize(actor, "emulation.manage", organization.path)
    errors = criteria_errors(criteria)
    if not (name or "").strip():
        errors["name"] = [_("Enter the name of the movement.")]
    if start_year and end_year and end_year < start_year:
        errors["end_year"] = [_("The last year cannot be before the first year.")]
    if target not in MovementTarget.values:
        errors["target"] = [_("Choose the kind of organizations the movement applies to.")]
    if errors:
        raise RuleViolation(_("Please correct the errors."), fields=errors)
    with transaction.atomic():
        movement = Movement.objects.create(
            organization=organization,
            name=name.strip(),
            start_year=start_year,
            end_year=end_year,
            target=target,
            description=(description or "").strip(),
            launched_on=launched_on,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        Criterion.objects.bulk_create(
            Criterion(
                movement=movement,
                position=position,
                name=item["name"].strip(),
                weight=item["weight"],
                max_score=item["max_score"],
            )
            for position, item in enumerate(criteria, start=1)
        )
    return movement


def covenant_sign(
    *,
    actor,
    movement: Movement,
    organization: Organization,
    signed_on: dt.date,
    signed_by: str,
    commitments: str = "",
) -> Covenant:
    """Record the covenant `organization` signed in the movement (once per organization)."""
    permissions.authorize(actor, "emulation.self_score", organization.path)
    errors: dict[str, list[str]] = {}
    if not selectors.applies_to(movement, organization):
        errors["organization"] = [_("The movement does not apply to this organization.")]
    if not (signed_by or "").strip():
        errors["signed_by"] = [_("Enter who signed the covenant.")]
    if signed_on and signed_on.year > movement.end_year:
        errors["signed_on"] = [_("The covenant is signed after the movement has ended.")]
    if errors:
        raise RuleViolation(_("Please correct the errors."), fields=errors)
    try:
        with transaction.atomic():
            return Covenant.objects.create(
                movement=movement,
                organization=organization,
                signed_on=signed_on,
                signed_by=signed_by.strip(),
                commitments=(commitments or "").strip(),
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise RuleViolation(
            _("This organization has already signed its covenant in this movement."),
            fields={
                "organization": [_("This organization has already signed its covenant in this movement.")]
            },
            code="duplicate",
        ) from None


def _checked_scores(criteria: list[Criterion], scores: dict) -> dict[int, Decimal]:
    """Every criterion scored, each between 0 and its maximum (keys are criterion ids)."""
    values: dict[int, Decimal] = {}
    errors: list[str] = []
    for criterion in criteria:
        raw = scores.get(criterion.pk, scores.get(str(criterion.pk)))
        try:
            value = Decimal(str(raw)).quantize(Decimal("0.01")) if raw not in (None, "") else None
        except InvalidOperation:
            value = None
        if value is None or not 0 <= value <= criterion.max_score:
            errors.append(
                _("Score “%(name)s” from 0 to %(max)s.")
                % {"name": criterion.name, "max": criterion.max_score}
            )
        else:
            values[criterion.pk] = value
    if errors:
        raise RuleViolation(_("Please correct the errors."), fields={"scores": errors})
    return values


def _year_errors(movement: Movement, year: int) -> None:
    if year not in movement.years:
        message = _("The movement runs from %(start)s to %(end)s.") % {
            "start": movement.start_year,
            "end": movement.end_year,
        }
        raise RuleViolation(message, fields={"year": [message]})


def scorecard_self_score(
    *, actor, movement: Movement, organization: Organization, year: int, scores: dict
) -> Scorecard:
    """The organization scores itself on every criterion for `year` and submits it to the upper committee.
    It may correct its self-score until the upper committee has scored."""
    permissions.authorize(actor, "emulation.self_score", organization.path)
    if not selectors.applies_to(movement, organization):
        raise RuleViolation(
            _("The movement does not apply to this organization."), fields={"organization": []}
        )
    _year_errors(movement, year)
    criteria = selectors.criteria_of(movement)
    values = _checked_scores(criteria, scores)
    with transaction.atomic():
        card, _created = Scorecard.objects.select_for_update().get_or_create(
            movement=movement, organization=organization, year=year
        )
        if card.upper_scored_at is not None:
            raise RuleViolation(
                _("The upper committee has already scored this year; the self-score can no longer change."),
                code="invalid_state",
            )
        for criterion in criteria:
            Score.objects.update_or_create(
                scorecard=card, criterion=criterion, defaults={"self_score": values[criterion.pk]}
            )
        card.self_submitted_at = timezone.now()
        card.self_submitted_by = actor if getattr(actor, "pk", None) else None
        card.save(update_fields=["self_submitted_at", "self_submitted_by"])
    return card


def scorecard_upper_score(*, actor, scorecard: Scorecard, scores: dict) -> Scorecard:
    """The upper committee scores every criterion, after the organization's self-score, before the result."""
    if not selectors.can_upper_score(actor, scorecard.organization):
        raise PermissionDenied
    if scorecard.self_submitted_at is None:
        raise RuleViolation(
            _("The organization has not submitted its self-score yet; the upper committee scores after it."),
            code="invalid_state",
        )
    if scorecard.result != ScoreResult.PENDING:
        raise RuleViolation(
            _("The result is already decided; the scores can no longer change."), code="invalid_state"
        )
    criteria = selectors.criteria_of(scorecard.movement)
    values = _checked_scores(criteria, scores)
    with transaction.atomic():
        for criterion in criteria:
            Score.objects.update_or_create(
                scorecard=scorecard, criterion=criterion, defaults={"upper_score": values[criterion.pk]}
            )
        scorecard.upper_scored_at = timezone.now()
        scorecard.upper_scored_by = actor if getattr(actor, "pk", None) else None
        scorecard.save(update_fields=["upper_scored_at", "upper_scored_by"])
    return scorecard


def scorecard_decide(*, actor, scorecard: Scorecard, result: str, note: str = "") -> Scorecard:
    """The upper committee records whether the organization is recognized for the year (after its scores)."""
    if not selectors.can_upper_score(actor, scorecard.organization):
        raise PermissionDenied
    if result not in (ScoreResult.ACHIEVED, ScoreResult.NOT_ACHIEVED):
        raise RuleViolation(_("Choose the result."), fields={"result": [_("Choose the result.")]})
    if scorecard.upper_scored_at is None:
        raise RuleViolation(
            _("The upper committee must score the year before recording the result."), code="invalid_state"
        )
    scorecard.result = result
    scorecard.result_note = (note or "").strip()
    scorecard.decided_at = timezone.now()
    scorecard.save(update_fields=["result", "result_note", "decided_at"])
    return scorecard


def award_create(
    *,
    actor,
    kind: str,
    year: int,
    issuer: str,
    decision_number: str,
    decision_date: dt.date,
    organization: Organization | None = None,
    member: Member | None = None,
    reason: str = "",
    movement: Movement | None = None,
) -> Award:
    """Record an award given to an organization or to a member (exactly one of them)."""
    if (organization is None) == (member is None):
        message = _("Choose either an organization or a party member.")
        raise RuleViolation(message, fields={"organization": [message]})
    if member is not None:
        organization = member.organization
    permissions.authorize(actor, "emulation.manage", organization.path)
    errors: dict[str, list[str]] = {}
    if kind not in AwardKind.values:
        errors["kind"] = [_("Choose the kind of award.")]
    if not (issuer or "").strip():
        errors["issuer"] = [_("Enter who issued the award.")]
    if not (decision_number or "").strip():
        errors["decision_number"] = [_("Enter the decision number.")]
    if decision_date and year and decision_date.year < year:
        errors["decision_date"] = [_("The decision cannot be dated before the year it rewards.")]
    if errors:
        raise RuleViolation(_("Please correct the errors."), fields=errors)
    return Award.objects.create(
        kind=kind,
        organization=organization,
        member=member,
        movement=movement,
        year=year,
        issuer=issuer.strip(),
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        reason=(reason or "").strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
