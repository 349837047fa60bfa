"""The agenda, the guests and the documents of a meeting not yet closed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import stamp
from coso.core.exceptions import RuleViolation
from coso.members.models import Member

from ..models import AgendaItem, Meeting, MeetingDocument, MeetingGuest
from ._common import _check_open, _full_clean, _user


def agenda_set(*, actor, meeting: Meeting, items: Iterable[dict]) -> list[AgendaItem]:
    """Replace the agenda: items are {"title", "presenter" (Member or None), "duration_minutes"} in order."""
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    _check_open(meeting)
    rows = []
    for i, item in enumerate(items, start=1):
        title = (item.get("title") or "").strip()
        if not title:
            continue
        rows.append(
            AgendaItem(
                meeting=meeting,
                order=i,
                title=title[:255],
                presenter=item.get("presenter"),
                duration_minutes=item.get("duration_minutes") or None,
            )
        )
    with transaction.atomic():
        meeting.agenda_items.all().delete()
        AgendaItem.objects.bulk_create(rows)
        stamp(meeting, actor)
    return rows


def agenda_item_add(
    *,
    actor,
    meeting: Meeting,
    title: str,
    presenter: Member | None = None,
    duration_minutes: int | None = None,
) -> AgendaItem:
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    _check_open(meeting)
    title = (title or "").strip()
    if not title:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"title": [_("This field is required.")]}
        )
    last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem(
        meeting=meeting,
        order=last + 1,
        title=title[:255],
        presenter=presenter,
        duration_minutes=duration_minutes,
    )
    stamp(item, actor).save()
    return item


def agenda_item_delete(*, actor, item: AgendaItem) -> None:
    permissions.authorize(actor, "meetings.manage", item.meeting.organization.path)
    _check_open(item.meeting)
    item.delete()


def guest_add(
    *, actor, meeting: Meeting, member: Member | None = None, name: str = "", role: str = "", email: str = ""
) -> MeetingGuest:
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    _check_open(meeting)
    if member is None and not (name or "").strip():
        raise RuleViolation(
            _("Please correct the errors below."), fields={"name": [_("Choose a member or type a name.")]}
        )
    guest = MeetingGuest(
        meeting=meeting, member=member, name=(name or "").strip(), role=role or "", email=email or ""
    )
    _full_clean(guest, exclude=["meeting", "member"])
    guest.save()
    return guest


def guest_remove(*, actor, guest: MeetingGuest) -> None:
    permissions.authorize(actor, "meetings.manage", guest.meeting.organization.path)
    _check_open(guest.meeting)
    guest.delete()


def document_add(*, actor, meeting: Meeting, title: str, file=None, link: str = "") -> MeetingDocument:
    permissions.authorize(actor, "meetings.manage", meeting.organization.path)
    _check_open(meeting)
    if not file and not (link or "").strip():
        raise RuleViolation(
            _("Please correct the errors below."), fields={"file": [_("Attach a file or give a link.")]}
        )
    document = MeetingDocument(
        meeting=meeting,
        title=(title or "").strip() or getattr(file, "name", "") or link,
        link=link or "",
        uploaded_by=_user(actor),
    )
    if file:
        document.file = file
    _full_clean(document, exclude=["meeting", "uploaded_by"])
    document.save()
    return document


def document_remove(*, actor, document: MeetingDocument) -> None:
    permissions.authorize(actor, "meetings.manage", document.meeting.organization.path)
    _check_open(document.meeting)
    if document.file:
        document.file.delete(save=False)
    document.delete()
