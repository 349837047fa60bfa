"""What a restructuring does around the organizations it changes: the subtree's paths, the apps' handover, seats, the committee, role grants, supervision, and the event record."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation

from .. import signals
from ..models import (
    PATH_SEPARATOR,
    Committee,
    Organization,
    Position,
    RestructuringEvent,
    SupervisionAssignment,
    Term,
)
from .tree import _dated, _next_child_path


def _rewrite_subtree(org: Organization, new_parent: Organization | None) -> None:
    """Give `org` a new place under `new_parent`, rewriting the paths of its whole subtree in one UPDATE."""
    old_path = org.path
    new_path, new_depth = _next_child_path(new_parent)
    delta = new_depth - org.depth
    Organization.objects.filter(path__startswith=old_path + PATH_SEPARATOR).update(
        path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)), depth=F("depth") + delta
    )
    org.parent = new_parent
    org.path = new_path
    org.depth = new_depth


def _handover(
    actor, *, kind: str, source: Organization, parts, successor: Organization | None, on: dt.date
) -> dict[str, int]:
    """Let every app move what it hangs on `source` (see `signals`); the members move last."""
    arguments = {
        "actor": actor,
        "kind": kind,
        "source": source,
        "parts": parts,
        "successor": successor,
        "effective_on": on,
    }
    totals = signals.collect(signals.organization_handover, **arguments)
    return signals.collect(signals.members_handover, totals, **arguments)


def handover_preview(*, kind: str, source: Organization, parts, successor, on: dt.date) -> dict[str, int]:
    """What `_handover` would move, without writing: for the confirmation page."""
    return signals.collect(
        signals.handover_preview, kind=kind, source=source, parts=parts, successor=successor, effective_on=on
    )


def _current_term(org: Organization, on: dt.date) -> Term | None:
    return (
        Term.objects.filter(organization=org, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .order_by("-starts_on")
        .first()
    )


def _end_positions(actor, org: Organization, on: dt.date) -> int:
    """End every open seat on the committees of a stopping organization (its bodies cease with it)."""
    ended = 0
    for position in Position.objects.filter(committee__organization=org, ends_on__isnull=True):
        position.ends_on = on
        stamp(_dated(position, on), actor).save(update_fields=["ends_on", "updated_at"])
        ended += 1
    return ended


def _carry_committee(actor, source: Organization, target: Organization, on: dt.date) -> int:
    """Give `target` the current term of `source` with its committees and open seats, starting on `on`.

    A ward made of merged wards keeps a secretary and a committee (reception duties, approvals, rotation) until
    its own congress; the office picks whose committee carries over. Returns the number of seats carried.
    """
    term = _current_term(source, on)
    if term is None:
        return 0
    new_term = stamp(
        _dated(Term(organization=target, name=term.name, starts_on=on, ends_on=term.ends_on), on), actor
    )
    new_term.save()
    seats = 0
    for committee in term.committees.all():
        new_committee = stamp(
            _dated(Committee(organization=target, term=new_term, kind=committee.kind), on), actor
        )
        new_committee.save()
        for position in committee.positions.filter(ends_on__isnull=True):
            stamp(
                _dated(
                    Position(
                        committee=new_committee,
                        member_id=position.member_id,
                        title=position.title,
                        starts_on=on,
                    ),
                    on,
                ),
                actor,
            ).save()
            seats += 1
    return seats


def _move_grants(actor, source: Organization, target: Organization) -> None:
    RoleGrant = apps.get_model("accounts", "RoleGrant")
    now = timezone.now()
    for grant in RoleGrant.objects.filter(organization=source, revoked_at__isnull=True):
        grant.revoked_at = now
        stamp(grant, actor).save(update_fields=["revoked_at", "updated_at"])
        if not RoleGrant.objects.filter(
            user_id=grant.user_id, organization=target, role=grant.role, revoked_at__isnull=True
        ).exists():
            stamp(
                RoleGrant(
                    user_id=grant.user_id, organization=target, role=grant.role, granted_by=grant.granted_by
                ),
                actor,
            ).save()


def _end_supervision(actor, org: Organization, on: dt.date) -> None:
    # One save per assignment (an organization has very few) so each end is in the history with its author.
    for assignment in SupervisionAssignment.objects.filter(organization=org, ends_on__isnull=True):
        assignment.ends_on = on
        stamp(_dated(assignment, on), actor).save(update_fields=["ends_on", "updated_at"])


def _retire(
    actor, org: Organization, *, status: str, on: dt.date, successor: Organization | None = None
) -> None:
    org.status = status
    org.ended_on = on
    org.successor = successor
    org.version += 1
    stamp(_dated(org, on), actor)
    org.save()


def _record(actor, kind, on, decision_number, note, sources, targets, details=None) -> RestructuringEvent:
    details = dict(details or {})
    if "handover" in details:  # what had nothing to move is left out of the record
        details["handover"] = {key: n for key, n in details["handover"].items() if n}
    event = RestructuringEvent.objects.create(
        kind=kind,
        effective_on=on,
        decision_number=decision_number,
        note=note,
        details=details,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    event.sources.set(sources)
    event.targets.set(targets)
    return event


def _check_date(on: dt.date) -> None:
    if on > timezone.localdate():
        raise RuleViolation(
            _("A restructuring cannot take effect in the future."),
            fields={"effective_on": [_("A restructuring cannot take effect in the future.")]},
        )
