"""Supervision assignments of members to the organizations they supervise."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation

from ..models import Organization, SupervisionAssignment, SupervisionKind


def supervision_assign(
    *, actor, supervisor, organization: Organization, assigned_by: Organization, kind: str, starts_on: dt.date
) -> SupervisionAssignment:
    """Assign a committee member to lead (grassroots organization) or attend and direct (cell) an organization."""
    permissions.authorize(actor, "orgs.change", assigned_by.path)
    permissions.authorize(actor, "orgs.change", organization.path)
    if not assigned_by.contains(organization) or assigned_by.pk == organization.pk:
        raise RuleViolation(
            _("A committee can only assign supervision of organizations under it."),
            fields={
                "organization": [_("A committee can only assign supervision of organizations under it.")]
            },
        )
    if not organization.is_active:
        raise RuleViolation(
            _("%(name)s is no longer active.") % {"name": organization.name},
            fields={"organization": [_("%(name)s is no longer active.") % {"name": organization.name}]},
        )
    if kind == SupervisionKind.ATTEND and not organization.is_cell:
        raise RuleViolation(
            _("Attending and directing applies to cells."),
            fields={"kind": [_("Attending and directing applies to cells.")]},
        )
    if supervisor.status not in ("FULL", "EXEMPT", "PROBATIONARY"):
        raise RuleViolation(
            _("Only a current member can supervise an organization."),
            fields={"supervisor": [_("Only a current member can supervise an organization.")]},
        )
    if SupervisionAssignment.objects.filter(
        supervisor=supervisor, organization=organization, ends_on__isnull=True
    ).exists():
        raise RuleViolation(
            _("This member already supervises this organization."),
            fields={"supervisor": [_("This member already supervises this organization.")]},
        )
    with transaction.atomic():
        assignment = SupervisionAssignment(
            supervisor=supervisor,
            organization=organization,
            assigned_by=assigned_by,
            kind=kind,
            starts_on=starts_on,
        )
        assignment.full_clean()
        stamp(assignment, actor).save()
    return assignment


def supervision_end(*, actor, assignment: SupervisionAssignment, ends_on: dt.date) -> SupervisionAssignment:
    # Visible through the supervised organization; changed only by who may act for the assigning committee.
    permissions.authorize(actor, "orgs.view", assignment.organization.path)
    if not permissions.can(actor, "orgs.change", assignment.assigned_by.path):
        raise PermissionDenied
    if assignment.ends_on is not None:
        raise RuleViolation(_("This assignment has already ended."))
    if ends_on < assignment.starts_on:
        raise RuleViolation(
            _("The end date is before the start date."),
            fields={"ends_on": [_("The end date is before the start date.")]},
        )
    with transaction.atomic():
        assignment.ends_on = ends_on
        stamp(assignment, actor).save(update_fields=["ends_on", "updated_at"])
    return assignment
