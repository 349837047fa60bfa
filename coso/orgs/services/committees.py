"""Terms, committees and positions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation

from ..models import PATH_SEPARATOR, Committee, CommitteeKind, Organization, Position, PositionTitle, Term


def term_create(
    *,
    actor,
    org: Organization,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    committee_kinds: Iterable[str] = (),
) -> Term:
    """Record a term and, optionally, the committees elected for it (one transaction)."""
    permissions.authorize(actor, "orgs.change", org.path)
    if ends_on is not None and ends_on <= starts_on:
        raise RuleViolation(
            _("A term ends after it starts."), fields={"ends_on": [_("A term ends after it starts.")]}
        )
    with transaction.atomic():
        term = Term(organization=org, name=(name or "").strip(), starts_on=starts_on, ends_on=ends_on)
        term.full_clean()
        stamp(term, actor).save()
        for kind in committee_kinds:
            committee_create(actor=actor, term=term, kind=kind)
    return term


def committee_create(*, actor, term: Term, kind: str) -> Committee:
    permissions.authorize(actor, "orgs.change", term.organization.path)
    if term.organization.is_cell and kind != CommitteeKind.CELL_COMMITTEE:
        raise RuleViolation(
            _("A cell elects a cell committee only."),
            fields={"kind": [_("A cell elects a cell committee only.")]},
        )
    if not term.organization.is_cell and kind == CommitteeKind.CELL_COMMITTEE:
        raise RuleViolation(
            _("Only a cell elects a cell committee."),
            fields={"kind": [_("Only a cell elects a cell committee.")]},
        )
    if Committee.objects.filter(term=term, kind=kind).exists():
        raise RuleViolation(
            _("This term already has that committee."),
            fields={"kind": [_("This term already has that committee.")]},
        )
    with transaction.atomic():
        committee = Committee(organization=term.organization, term=term, kind=kind)
        committee.full_clean()
        stamp(committee, actor).save()
    return committee


def position_assign(
    *, actor, committee: Committee, member, title: str, starts_on: dt.date, ends_on: dt.date | None = None
) -> Position:
    org = committee.organization
    permissions.authorize(actor, "orgs.change", org.path)
    if member.status not in ("FULL", "EXEMPT", "PROBATIONARY"):
        raise RuleViolation(
            _("Only a current member can hold a position."),
            fields={"member": [_("Only a current member can hold a position.")]},
        )
    member_path = member.organization.path
    if not (member_path == org.path or member_path.startswith(org.path + PATH_SEPARATOR)):
        raise RuleViolation(
            _("A committee member must belong to the organization or one of its units."),
            fields={"member": [_("A committee member must belong to the organization or one of its units.")]},
        )
    if ends_on is not None and ends_on < starts_on:
        raise RuleViolation(
            _("The end date is before the start date."),
            fields={"ends_on": [_("The end date is before the start date.")]},
        )
    if (
        title in (PositionTitle.SECRETARY,)
        and Position.objects.filter(committee=committee, title=title, ends_on__isnull=True).exists()
    ):
        raise RuleViolation(
            _("This committee already has a secretary; end that position first."),
            fields={"title": [_("This committee already has a secretary; end that position first.")]},
        )
    if Position.objects.filter(committee=committee, member=member, ends_on__isnull=True).exists():
        raise RuleViolation(
            _("This member already holds a position on this committee."),
            fields={"member": [_("This member already holds a position on this committee.")]},
        )
    with transaction.atomic():
        position = Position(
            committee=committee, member=member, title=title, starts_on=starts_on, ends_on=ends_on
        )
        position.full_clean()
        stamp(position, actor).save()
    return position


def position_end(*, actor, position: Position, ends_on: dt.date) -> Position:
    permissions.authorize(actor, "orgs.change", position.committee.organization.path)
    if position.ends_on is not None:
        raise RuleViolation(_("This position has already ended."))
    if ends_on < position.starts_on:
        raise RuleViolation(
            _("The end date is before the start date."),
            fields={"ends_on": [_("The end date is before the start date.")]},
        )
    with transaction.atomic():
        position.ends_on = ends_on
        position.full_clean()
        stamp(position, actor).save(update_fields=["ends_on", "updated_at"])
    return position
