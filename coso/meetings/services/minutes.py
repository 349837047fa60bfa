"""Minutes: drafting, resolutions and votes, approval, correction."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation

from .. import rules, selectors
from ..models import Meeting, MeetingStatus, Minutes, MinutesStatus, Resolution, ResolutionKind
from ._common import _local_date, _transition, _user


def _agenda_skeleton(meeting: Meeting) -> list[dict]:
    return [
        {"item": item.pk, "title": item.title, "opinions": ""}
        for item in meeting.agenda_items.order_by("order", "id")
    ]


def minutes_start(*, actor, meeting: Meeting) -> Minutes:
    """The draft minutes of the meeting, created with one entry per agenda item the first time."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    current = selectors.minutes_current(meeting)
    if current is not None:
        return current
    if meeting.status not in (MeetingStatus.HELD,) and not meeting.is_open:
        raise RuleViolation(_("This meeting is closed: its record can no longer change."), code="locked")
    minutes = Minutes(meeting=meeting, number=1, items=_agenda_skeleton(meeting))
    stamp(minutes, actor).save()
    return minutes


def minutes_update(
    *,
    actor,
    minutes: Minutes,
    data: dict,
    resolutions: Sequence[dict] | None = None,
    expected_version: int | None,
) -> Minutes:
    """Save the draft: opening, opinions per item, conclusion and (when given) the resolutions with their votes.
    Approved minutes are locked: a correction is a new version (minutes_correct)."""
    meeting = minutes.meeting
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    if minutes.is_locked:
        raise RuleViolation(
            _("These minutes are approved and locked. Start a correction to change them."), code="locked"
        )
    on = _local_date(meeting.starts_at)
    with transaction.atomic():
        for name in ("opening", "conclusion", "correction_reason"):
            if name in data:
                setattr(minutes, name, data[name] or "")
        if "items" in data:
            minutes.items = [
                {
                    "item": row.get("item"),
                    "title": str(row.get("title") or "")[:255],
                    "opinions": row.get("opinions") or "",
                }
                for row in data["items"]
            ]
        save_versioned(minutes, expected_version=expected_version, actor=actor)
        if resolutions is not None:
            base = selectors.voting_base(meeting)
            rows = []
            errors: dict = {}
            for i, item in enumerate(resolutions, start=1):
                text = (item.get("text") or "").strip()
                if not text:
                    continue
                counts = {k: int(item.get(k) or 0) for k in ("votes_for", "votes_against", "votes_abstain")}
                if any(v < 0 for v in counts.values()):
                    errors.setdefault(f"resolutions.{i}", []).append(_("Votes cannot be negative."))
                    continue
                kind = item.get("kind") or ResolutionKind.ORDINARY
                if kind not in ResolutionKind.values:
                    errors.setdefault(f"resolutions.{i}", []).append(_("Unknown kind of vote."))
                    continue
                try:
                    vote = rules.vote_result(**counts, base=base, on=on, kind=kind)
                except ValueError:
                    errors.setdefault(f"resolutions.{i}", []).append(
                        format_lazy(
                            gettext_lazy("More votes than the {base} members who may vote."), base=base
                        )
                    )
                    continue
                rows.append(
                    Resolution(
                        minutes=minutes,
                        order=i,
                        text=text,
                        kind=kind,
                        base=vote.base,
                        passed=vote.passed,
                        **counts,
                    )
                )
            if errors:
                raise RuleViolation(_("Please correct the errors below."), fields=errors, code="invalid")
            minutes.resolutions.all().delete()
            Resolution.objects.bulk_create(rows)
    return minutes


def minutes_missing(*, meeting: Meeting, minutes: Minutes) -> dict:
    """What the minutes still lack before approval (HD 12: chair, minute-taker, opening, opinions, conclusion)."""
    missing: dict = {}
    if meeting.chair_id is None:
        missing["chair"] = gettext_lazy("the chair")
    if meeting.minute_taker_id is None:
        missing["minute_taker"] = gettext_lazy("the minute-taker")
    if not (minutes.opening or "").strip():
        missing["opening"] = gettext_lazy("the opening")
    if not minutes.items or not any((item.get("opinions") or "").strip() for item in minutes.items):
        missing["items"] = gettext_lazy("the opinions on the agenda")
    if not (minutes.conclusion or "").strip():
        missing["conclusion"] = gettext_lazy("the conclusion")
    return missing


def minutes_approve(*, actor, minutes: Minutes, expected_version: int | None = None) -> Minutes:
    """The chair approves the minutes: they lock, and the meeting's record is closed."""
    meeting = minutes.meeting
    permissions.authorize(actor, "meetings.approve_minutes", meeting.organization.path)
    if minutes.is_locked:
        raise RuleViolation(_("These minutes are already approved."), code="locked")
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED):
        raise RuleViolation(_("Minutes can be approved once the meeting has been held."), code="transition")
    missing = minutes_missing(meeting=meeting, minutes=minutes)
    if missing:
        raise RuleViolation(
            format_lazy(
                gettext_lazy("The minutes cannot be approved yet; missing: {missing}."),
                missing="; ".join(str(m) for m in missing.values()),
            ),
            fields={key: [gettext_lazy("Required before approval.")] for key in missing},
            code="incomplete",
        )
    with transaction.atomic():
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_by = _user(actor)
        minutes.approved_at = timezone.now()
        save_versioned(minutes, expected_version=expected_version, actor=actor)
        if meeting.status == MeetingStatus.HELD:
            _transition(meeting, MeetingStatus.MINUTES_APPROVED, actor)
            save_versioned(meeting, expected_version=None, actor=actor)
    return minutes


def minutes_correct(*, actor, meeting: Meeting, reason: str) -> Minutes:
    """A correction of approved minutes: a new draft version copied from the approved one, which is kept."""
    permissions.authorize(actor, "meetings.approve_minutes", meeting.organization.path)
    current = selectors.minutes_current(meeting)
    if current is None or not current.is_locked:
        raise RuleViolation(
            _("Only approved minutes need a correction; edit the draft instead."), code="transition"
        )
    if not (reason or "").strip():
        raise RuleViolation(
            _("Please correct the errors below."), fields={"reason": [_("Say what the correction is for.")]}
        )
    with transaction.atomic():
        current.status = MinutesStatus.SUPERSEDED
        save_versioned(current, expected_version=None, actor=actor)
        new = Minutes(
            meeting=meeting,
            number=current.number + 1,
            opening=current.opening,
            items=current.items,
            conclusion=current.conclusion,
            correction_reason=reason.strip()[:255],
        )
        stamp(new, actor).save()
        Resolution.objects.bulk_create(
            [
                Resolution(
                    minutes=new,
                    order=r.order,
                    text=r.text,
                    kind=r.kind,
                    votes_for=r.votes_for,
                    votes_against=r.votes_against,
                    votes_abstain=r.votes_abstain,
                    base=r.base,
                    passed=r.passed,
                )
                for r in current.resolutions.all()
            ]
        )
        if meeting.status == MeetingStatus.MINUTES_APPROVED:
            meeting.status = MeetingStatus.HELD  # back to held until the correction is approved
            save_versioned(meeting, expected_version=None, actor=actor)
    return new
