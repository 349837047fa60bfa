"""Writes to hard tasks: register, edit, progress updates, and one service per state transition.

States and who moves them (TRANSITIONS): the organization's office (commitments.manage on the task's
organization) drafts, submits, starts and reports done; the upper committee (commitments.verify on the parent
organization) accepts, verifies or returns. Every transition locks the row, checks the table, saves with the
actor as history author and notifies the other side after commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coso.accounts import permissions
from coso.accounts.models import Role
from coso.core.concurrency import save_versioned, stamp
from coso.core.exceptions import RuleViolation
from coso.core.patching import refuse_unwritable
from coso.core.tracking import family_root_id, refresh_progress, validate_evidence
from coso.members.models import Member
from coso.orgs.models import Organization

from . import selectors
from .models import HardTask, HardTaskKind, HardTaskStatus, HardTaskUpdate

S = HardTaskStatus
MANAGE, VERIFY = "manage", "verify"


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    side: str  # MANAGE: the organization itself; VERIFY: its upper committee


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition((S.DRAFT, S.RETURNED), S.SUBMITTED, MANAGE),
    "accept": Transition((S.SUBMITTED,), S.REGISTERED, VERIFY),
    "start": Transition((S.REGISTERED, S.RETURNED), S.IN_PROGRESS, MANAGE),
    "report_done": Transition((S.IN_PROGRESS,), S.REPORTED_DONE, MANAGE),
    "verify": Transition((S.REPORTED_DONE,), S.VERIFIED, VERIFY),
    "return": Transition((S.SUBMITTED, S.REPORTED_DONE), S.RETURNED, VERIFY),
}
# Fields the organization may change while the task is a draft (or returned before acceptance). Once the
# upper committee has accepted it, the target and the due date are what was agreed and stay.
EDITABLE_FIELDS = ("title", "kind", "description", "target_result", "due_date", "responsible", "weight")
AGREED_FIELDS = ("target_result", "due_date")
# Updates are reported on accepted, unfinished tasks.
UPDATABLE = (S.REGISTERED, S.IN_PROGRESS, S.RETURNED)


def allowed_actions(actor, task: HardTask) -> list[str]:
    """The transitions the actor may apply to the task now (for buttons and the API)."""
    result = []
    for action, transition in TRANSITIONS.items():
        if task.status not in transition.sources or not _source_fits(action, task):
            continue
        side_ok = (
            selectors.can_manage(actor, task)
            if transition.side == MANAGE
            else selectors.can_verify(actor, task)
        )
        if side_ok:
            result.append(action)
    return result


def _source_fits(action: str, task: HardTask) -> bool:
    # A task returned before acceptance goes back for acceptance; one returned after it goes back to work.
    if task.status == S.RETURNED:
        if action == "submit":
            return task.accepted_at is None
        if action == "start":
            return task.accepted_at is not None
    return True


def can_edit(actor, task: HardTask) -> bool:
    return selectors.can_manage(actor, task) and task.status in (S.DRAFT, S.RETURNED)


def can_add_update(actor, task: HardTask) -> bool:
    return selectors.can_manage(actor, task) and task.status in UPDATABLE and task.accepted_at is not None


# --- register and edit -----------------------------------------------------------------------------------------


def _check(task: HardTask, *, parent: HardTask | None, responsible: Member | None) -> None:
    errors: dict[str, list[str]] = {}
    if responsible is not None and not task.organization.contains(responsible.organization):
        errors.setdefault("responsible", []).append(
            _("The responsible person must be a member of the organization.")
        )
    if parent is not None:
        if not parent.organization.contains(task.organization):
            errors.setdefault("parent", []).append(
                _("A task can only be part of a task of its own organization or of one above it.")
            )
        if parent.status == S.VERIFIED:
            errors.setdefault("parent", []).append(_("This task is already solved for good."))
        if parent.year != task.year:
            errors.setdefault("parent", []).append(_("A part must be for the same year as the whole task."))
        if task.due_date and parent.due_date and task.due_date > parent.due_date:
            errors.setdefault("due_date", []).append(
                _("A part cannot be due after the whole task (%(date)s).")
                % {"date": parent.due_date.strftime("%d/%m/%Y")}
            )
    if task.due_date and task.year and task.due_date.year < task.year:
        errors.setdefault("due_date", []).append(_("The due date is before the year of the commitment."))
    if errors:
        raise RuleViolation(_("Please correct the errors."), fields=errors)


def _full_clean(task: HardTask, **kwargs) -> None:
    try:
        task.full_clean(**kwargs)
    except ValidationError as exc:
        raise RuleViolation(_("Please correct the errors."), fields=exc.message_dict) from exc


def hard_task_create(
    *,
    actor,
    organization: Organization,
    title: str,
    due_date: dt.date,
    year: int | None = None,
    kind: str = HardTaskKind.HARD_TASK,
    description: str = "",
    target_result: str = "",
    responsible: Member | None = None,
    parent: HardTask | None = None,
    weight: int | None = 1,
    feedback_items=None,
) -> HardTask:
    """Register a draft commitment of `organization` (its office), optionally as part of a larger task."""
    permissions.authorize(actor, "commitments.manage", organization.path)
    if parent is not None:
        permissions.authorize(actor, "commitments.view", parent.organization.path)
    if responsible is None:
        responsible = selectors.default_responsible(organization)
    task = HardTask(
        organization=organization,
        title=(title or "").strip(),
        due_date=due_date,
        year=year or (due_date.year if due_date else None),
        kind=kind,
        description=description.strip(),
        target_result=target_result.strip(),
        responsible=responsible,
        parent=parent,
        root_id=family_root_id(parent),
        weight=weight,
        status=S.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _check(task, parent=parent, responsible=responsible)
    _full_clean(task, exclude=["root", "parent"])
    feedback = _checked_feedback(actor, organization, feedback_items)
    with transaction.atomic():
        stamp(task, actor)
        task.save()
        if feedback:
            task.feedback_items.set(feedback)
        refresh_progress(HardTask, [task.root_id or task.pk])
    task.refresh_from_db(fields=["progress"])
    return task


def hard_task_writable_fields(actor) -> tuple[str, ...]:
    """What the organization may change in a commitment: the parent, status, progress and the upper committee's
    decisions are not among them; feedback links only for those who see citizens' feedback (as on the form)."""
    if permissions.has_any(actor, "citizens.view"):
        return (*EDITABLE_FIELDS, "feedback_items")
    return EDITABLE_FIELDS


def hard_task_edit(*, actor, task: HardTask, data: dict, expected_version: int | None) -> HardTask:
    """Change a draft (or a returned task); a stale `expected_version` is a conflict."""
    permissions.authorize(actor, "commitments.manage", task.organization.path)
    refuse_unwritable(data, hard_task_writable_fields(actor))
    if task.status not in (S.DRAFT, S.RETURNED):
        raise RuleViolation(_("Only a draft or a returned commitment can be changed."), code="invalid_state")
    values = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    feedback = (
        _checked_feedback(actor, task.organization, data["feedback_items"])
        if "feedback_items" in data
        else None
    )
    if task.accepted_at is not None:
        locked = [name for name in AGREED_FIELDS if name in values and values[name] != getattr(task, name)]
        if locked:
            message = _("The upper committee accepted this target and due date; they cannot be changed now.")
            raise RuleViolation(message, fields={name: [message] for name in locked})
    for name, value in values.items():
        setattr(task, name, value.strip() if isinstance(value, str) else value)
    if "due_date" in values and task.accepted_at is None and task.parent_id is None and task.due_date:
        task.year = task.due_date.year
    _check(task, parent=task.parent, responsible=task.responsible)
    _full_clean(task, exclude=["root", "parent"])
    links_change = feedback is not None and {item.pk for item in feedback} != set(
        task.feedback_items.values_list("pk", flat=True)
    )
    with transaction.atomic():
        # A PATCH that changes nothing keeps the version (and writes no history).
        save_versioned(task, expected_version=expected_version, actor=actor, skip_unchanged=not links_change)
        if links_change:
            task.feedback_items.set(feedback)
        refresh_progress(HardTask, [task.root_id or task.pk])
    task.refresh_from_db(fields=["progress"])
    return task


def _checked_feedback(actor, organization: Organization, items) -> list:
    """Feedback items may be linked only from the organization's part of the tree (and the actor's view)."""
    ids = {getattr(item, "pk", item) for item in (items or [])}
    if not ids:
        return []
    found = list(selectors.linkable_feedback(actor=actor, organization=organization).filter(pk__in=ids))
    if len(found) != len(ids):
        message = _("Only feedback items of this organization's area can be linked.")
        raise RuleViolation(message, fields={"feedback_items": [message]})
    return found


# --- transitions -----------------------------------------------------------------------------------------------


def _apply(actor, task: HardTask, action: str, *, reason: str = "") -> HardTask:
    transition = TRANSITIONS[action]
    with transaction.atomic():
        locked = selectors.access_hard_task(actor, task.pk, for_write=True)
        allowed = (
            selectors.can_manage(actor, locked)
            if transition.side == MANAGE
            else selectors.can_verify(actor, locked)
        )
        if not allowed:
            raise PermissionDenied
        if locked.status not in transition.sources or not _source_fits(action, locked):
            raise RuleViolation(
                str(INVALID_STATE[action]) % {"status": locked.get_status_display()}, code="invalid_state"
            )
        now = timezone.now()
        before = locked.status
        locked.status = transition.target
        _BEFORE_SAVE[action](actor, locked, now, reason)
        locked._change_reason = reason[:100] if reason else ""
        save_versioned(locked, expected_version=None, actor=actor)
        refresh_progress(HardTask, [locked.root_id or locked.pk])
        locked.refresh_from_db(fields=["progress"])
        _NOTIFY[action](locked, before=before, reason=reason)
    return locked


def _on_submit(actor, task, now, reason):
    task.submitted_at = now


def _on_accept(actor, task, now, reason):
    task.accepted_at = now
    task.accepted_by = actor if getattr(actor, "pk", None) else None
    task.returned_reason = ""


def _on_start(actor, task, now, reason):
    pass


def _on_report_done(actor, task, now, reason):
    errors = []
    if not task.updates.exclude(evidence="").exists():
        errors.append(_("Add a progress update with evidence before reporting the task done."))
    open_children = task.children.exclude(status=S.VERIFIED).count()
    if open_children:
        errors.append(
            ngettext(
                "%(count)s part of this task is not yet verified as solved.",
                "%(count)s parts of this task are not yet verified as solved.",
                open_children,
            )
            % {"count": open_children}
        )
    if errors:
        raise RuleViolation(errors[0], fields={"__all__": errors})
    task.reported_done_at = now
    task.own_progress = 100
    task.returned_reason = ""


def _on_verify(actor, task, now, reason):
    task.verified_at = now
    task.verified_by = actor if getattr(actor, "pk", None) else None
    task.verification_note = reason.strip()
    task.own_progress = 100


def _on_return(actor, task, now, reason):
    if not reason.strip():
        message = _("Say why the commitment is returned.")
        raise RuleViolation(message, fields={"reason": [message]})
    task.returned_reason = reason.strip()
    task.reported_done_at = None


_BEFORE_SAVE = {
    "submit": _on_submit,
    "accept": _on_accept,
    "start": _on_start,
    "report_done": _on_report_done,
    "verify": _on_verify,
    "return": _on_return,
}

INVALID_STATE = {
    "submit": gettext_lazy("A commitment that is “%(status)s” cannot be submitted to the upper committee."),
    "accept": gettext_lazy("A commitment that is “%(status)s” cannot be accepted."),
    "start": gettext_lazy("Work cannot start on a commitment that is “%(status)s”."),
    "report_done": gettext_lazy("A commitment that is “%(status)s” cannot be reported done."),
    "verify": gettext_lazy("A commitment that is “%(status)s” cannot be verified."),
    "return": gettext_lazy("A commitment that is “%(status)s” cannot be returned."),
}


def hard_task_submit(*, actor, task: HardTask) -> HardTask:
    """The organization submits its draft to the upper committee for acceptance."""
    return _apply(actor, task, "submit")


def hard_task_accept(*, actor, task: HardTask) -> HardTask:
    """The upper committee accepts the commitment: it is registered and its target and due date are agreed."""
    return _apply(actor, task, "accept")


def hard_task_start(*, actor, task: HardTask) -> HardTask:
    """The organization starts (or, after a return, resumes) work on a registered commitment."""
    return _apply(actor, task, "start")


def hard_task_report_done(*, actor, task: HardTask) -> HardTask:
    """The organization reports the task done; it needs evidence, and every part verified."""
    return _apply(actor, task, "report_done")


def hard_task_verify(*, actor, task: HardTask, note: str = "") -> HardTask:
    """The upper committee confirms the issue is solved for good."""
    return _apply(actor, task, "verify", reason=note)


def hard_task_return(*, actor, task: HardTask, reason: str) -> HardTask:
    """The upper committee returns the commitment (at acceptance or at verification) with a reason."""
    return _apply(actor, task, "return", reason=reason)


SERVICES = {
    "submit": hard_task_submit,
    "accept": hard_task_accept,
    "start": hard_task_start,
    "report_done": hard_task_report_done,
    "verify": lambda *, actor, task, reason="": hard_task_verify(actor=actor, task=task, note=reason),
    "return": hard_task_return,
}


def hard_task_transition(*, actor, task: HardTask, action: str, reason: str = "") -> HardTask:
    """Dispatch by action name (the page and the API post the action)."""
    if action not in TRANSITIONS:
        message = _("Unknown action.")
        raise RuleViolation(message, fields={"action": [message]})
    if action in ("verify", "return"):
        return SERVICES[action](actor=actor, task=task, reason=reason)
    return SERVICES[action](actor=actor, task=task)


# --- progress updates ------------------------------------------------------------------------------------------


def hard_task_update_add(
    *,
    actor,
    task: HardTask,
    date: dt.date,
    text: str,
    progress: int | None = None,
    evidence=None,
) -> HardTaskUpdate:
    """A dated progress report with optional evidence; the first one on a registered task starts the work."""
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors["text"] = [_("Say what was done.")]
    if date is None:
        errors["date"] = [_("Enter the date.")]
    elif date > timezone.localdate():
        errors["date"] = [_("The date cannot be in the future.")]
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = [_("Progress is a percentage from 0 to 100.")]
    if errors:
        raise RuleViolation(_("Please correct the errors."), fields=errors)
    validate_evidence(evidence)
    with transaction.atomic():
        locked = selectors.access_hard_task(actor, task.pk, perm="commitments.manage", for_write=True)
        if locked.status not in UPDATABLE or locked.accepted_at is None:
            raise RuleViolation(
                _(
                    "Progress is reported once the upper committee has accepted the commitment, until it is done."
                ),
                code="invalid_state",
            )
        update = HardTaskUpdate(
            task=locked,
            date=date,
            text=text.strip(),
            progress=progress,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        if evidence:
            update.evidence_name = evidence.name[:255]
            update.evidence = evidence
        update.save()
        if locked.status in (S.REGISTERED, S.RETURNED):
            locked.status = S.IN_PROGRESS
        if progress is not None:
            locked.own_progress = progress
        save_versioned(locked, expected_version=None, actor=actor)
        refresh_progress(HardTask, [locked.root_id or locked.pk])
    return update


# --- notifications ---------------------------------------------------------------------------------------------


def organization_people(task: HardTask) -> list:
    """The responsible member's account and the office of the task's organization."""
    from coso.accounts.models import User

    roles = [Role.COMMITTEE_STAFF, Role.CELL_SECRETARY]
    users = User.objects.filter(
        grants__organization_id=task.organization_id, grants__role__in=roles, grants__revoked_at__isnull=True
    )
    if task.responsible_id:
        users = users | User.objects.filter(member_id=task.responsible_id)
    return list(users.distinct())


def upper_people(task: HardTask) -> list:
    """Staff and leaders of the upper committee."""
    from coso.accounts.models import User

    parent_id = task.organization.parent_id
    if parent_id is None:
        return []
    return list(
        User.objects.filter(
            grants__organization_id=parent_id,
            grants__role__in=[Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER],
            grants__revoked_at__isnull=True,
        ).distinct()
    )


def _url(task: HardTask) -> str:
    from django.urls import reverse

    return reverse("commitments:detail", args=[task.pk])


def _notify(task: HardTask, recipients, kind: str, title, body="") -> None:
    from coso.notifications.services import notify

    notify(recipients=recipients, kind=kind, title=title, body=body, url=_url(task))


def _notify_submit(task, *, before, reason):
    _notify(
        task,
        upper_people(task),
        "commitments.submitted",
        format_lazy(
            gettext_lazy("{org} submitted a commitment for acceptance: {title}"),
            org=task.organization.name,
            title=task.title,
        ),
    )


def _notify_accept(task, *, before, reason):
    _notify(
        task,
        organization_people(task),
        "commitments.accepted",
        format_lazy(gettext_lazy("The upper committee accepted the commitment: {title}"), title=task.title),
    )


def _notify_start(task, *, before, reason):
    pass


def _notify_report_done(task, *, before, reason):
    _notify(
        task,
        upper_people(task),
        "commitments.reported_done",
        format_lazy(
            gettext_lazy("{org} reports the task done; please verify: {title}"),
            org=task.organization.name,
            title=task.title,
        ),
    )


def _notify_verify(task, *, before, reason):
    _notify(
        task,
        organization_people(task),
        "commitments.verified",
        format_lazy(gettext_lazy("Verified as solved for good: {title}"), title=task.title),
        reason,
    )


def _notify_return(task, *, before, reason):
    _notify(
        task,
        organization_people(task),
        "commitments.returned",
        format_lazy(gettext_lazy("The upper committee returned the commitment: {title}"), title=task.title),
        format_lazy(gettext_lazy("Reason: {reason}"), reason=reason),
    )


_NOTIFY = {
    "submit": _notify_submit,
    "accept": _notify_accept,
    "start": _notify_start,
    "report_done": _notify_report_done,
    "verify": _notify_verify,
    "return": _notify_return,
}


def hard_task_remind_overdue(*, today: dt.date) -> int:
    """Tell the organization and its upper committee about each overdue task, once per task and due date."""
    count = 0
    tasks = HardTask.objects.filter(HardTask.overdue_q(today)).select_related("organization")
    for task in tasks.iterator():
        key = f"commitments.overdue:{task.pk}:{task.due_date.isoformat()}"
        title = format_lazy(
            gettext_lazy("Commitment overdue since {date}: {title}"),
            date=task.due_date.strftime("%d/%m/%Y"),
            title=task.title,
        )
        from coso.notifications.services import notify

        created = notify(
            recipients=organization_people(task) + upper_people(task),
            kind="commitments.overdue",
            title=title,
            url=_url(task),
            dedupe_key=key,
        )
        count += len(created)
    return count
