"""Write a checked import plan in one transaction: new records in bulk, changed records through member_update.

New records get what `services.member_create` gives a record (normalized name keys, the first membership
period, the admission and recognition events, the derived status) and their history, in batches
(`bulk_create_with_history`) so that tens of thousands of rows take seconds. Changed records go through
`services.member_update` with the version read while planning: if someone edited the record in between, the
whole import stops with a conflict instead of overwriting their change.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.core.text import fold, name_sort_key, nfc

from .. import services
from ..models import EventKind, Member, MemberEvent, MembershipPeriod, PeriodKind
from .plan import CREATE, UPDATE, Progress, Report

BATCH = 1000


def _new_member(values: dict, organization_id: int) -> Member:
    member = Member(organization_id=organization_id, **values)
    # What Member.save() does, since bulk inserts do not call it.
    member.full_name = nfc(member.full_name)
    member.name_folded = fold(member.full_name)
    member.name_sort = name_sort_key(member.full_name)
    member.national_id = (member.national_id or "").strip() or None
    member.card_number = (member.card_number or "").strip() or None
    events = [(EventKind.ADMISSION, member.admitted_on)]
    if member.full_member_on:
        events.append((EventKind.RECOGNITION, member.full_member_on))
    member.status = services.derive_status(events)
    return member


def import_write(report: Report, *, actor, progress: Progress | None = None) -> dict:
    """Apply the plan of a report with no errors; returns the counts written."""
    if not report.ok:
        raise RuleViolation(_("The file has errors; nothing was imported."), code="invalid_file")
    permissions.authorize(actor, "members.change", report.into.path)
    user = actor if getattr(actor, "pk", None) else None
    creates = report.of(CREATE)
    updates = report.of(UPDATE)
    total = len(creates) + len(updates)
    done = 0
    try:
        with transaction.atomic():
            for start in range(0, len(creates), BATCH):
                batch = creates[start : start + BATCH]
                members = [_new_member(plan.values, plan.organization.pk) for plan in batch]
                members = bulk_create_with_history(members, Member, batch_size=BATCH, default_user=user)
                periods = [
                    MembershipPeriod(
                        member=member,
                        organization_id=member.organization_id,
                        kind=PeriodKind.PERMANENT,
                        starts_on=member.admitted_on,
                    )
                    for member in members
                ]
                bulk_create_with_history(periods, MembershipPeriod, batch_size=BATCH, default_user=user)
                events = [
                    MemberEvent(member=member, kind=kind, occurred_on=on, recorded_by=user)
                    for member in members
                    for kind, on in (
                        (EventKind.ADMISSION, member.admitted_on),
                        (EventKind.RECOGNITION, member.full_member_on),
                    )
                    if on is not None
                ]
                bulk_create_with_history(events, MemberEvent, batch_size=BATCH, default_user=user)
                done += len(batch)
                if progress:
                    progress(done, total)
            for plan in updates:
                services.member_update(
                    actor=actor, member=plan.member, data=plan.values, expected_version=plan.member.version
                )
                done += 1
                if progress and (done % 100 == 0 or done == total):
                    progress(done, total)
    except IntegrityError:
        # Someone saved the same national ID or card number after the file was checked.
        raise RuleViolation(
            _(
                "Another record with the same national ID or card number was saved meanwhile; check the file again."
            ),
            code="conflict",
        )
    return {"created": len(creates), "updated": len(updates), "unchanged": len(report.of("unchanged"))}
