"""The meetings router and the helpers its operations share."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.members.models import Member
from coso.orgs.models import Organization

from .. import selectors, services
from ..models import Meeting

PREFIX = "/meetings/"


router = Router(tags=["meetings"])


MAX_PAGE_SIZE = 100


def _org(org: Organization) -> dict:
    return {"id": org.pk, "code": org.code, "name": org.name}


def _member(member: Member | None) -> dict | None:
    return {"id": member.pk, "full_name": member.full_name} if member else None


def _meeting_out(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "organization": _org(meeting.organization),
        "kind": meeting.kind,
        "combined_thematic": meeting.combined_thematic,
        "title": meeting.title,
        "topic": meeting.topic,
        "starts_at": meeting.starts_at,
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "chair": _member(meeting.chair),
        "minute_taker": _member(meeting.minute_taker),
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "published_at": meeting.published_at,
        "version": meeting.version,
    }


def _detail_out(request, meeting: Meeting) -> dict:
    meeting = selectors.meeting_get_full(meeting)
    data = _meeting_out(meeting)
    data["agenda"] = [
        {
            "order": i.order,
            "title": i.title,
            "presenter": _member(i.presenter),
            "duration_minutes": i.duration_minutes,
        }
        for i in meeting.agenda_items.all()
    ]
    data["guests"] = [
        {"name": g.display_name, "role": g.role, "member": _member(g.member)} for g in meeting.guests.all()
    ]
    data["documents"] = [
        {"title": d.title, "url": request.build_absolute_uri(d.href) if d.file else d.link}
        for d in meeting.documents.all()
    ]
    data["warnings"] = [str(w) for w in services.meeting_warnings(meeting)] if meeting.is_open else []
    return data


def _cell_member(meeting: Meeting, member_id: int | None, field: str) -> Member | None:
    if member_id is None:
        return None
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise RuleViolation(
            _("Please correct the errors below."), fields={field: [_("Choose a member of this cell.")]}
        )
    return member


def _access_org(user, pk: int, perm: str) -> Organization:
    org = Organization.objects.filter(pk=pk).first()
    if org is None:
        raise RuleViolation(
            _("Please correct the errors below."), fields={"organization": [_("Unknown organization.")]}
        )
    permissions.authorize(user, perm, org.path)
    return org
