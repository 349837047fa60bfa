"""The agenda, the guests and the documents of a meeting."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.exceptions import RuleViolation
from coso.members.models import Member

from .. import selectors, services
from ..forms import AgendaItemForm, DocumentForm, GuestForm
from ..models import AgendaItem, MeetingDocument, MeetingGuest
from ._common import _action


@_action
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    form = AgendaItemForm(request.POST, organization=meeting.organization, prefix="agenda")
    if not form.is_valid():
        raise RuleViolation(_("Please correct the errors below."), fields=form.errors)
    services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    return redirect("meetings:detail", meeting.pk)


@_action
def agenda_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    selectors.access_meeting(request.user, item.meeting_id, perm="meetings.manage")
    services.agenda_item_delete(actor=request.user, item=item)
    return redirect("meetings:detail", item.meeting_id)


@_action
def guest_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    form = GuestForm(request.POST, prefix="guest")
    if not form.is_valid():
        raise RuleViolation(_("Please correct the errors below."), fields=form.errors)
    data = form.cleaned_data
    member = None
    if data["member"]:
        member = Member.objects.filter(
            permissions.scope_q(request.user, "members.view", field="organization__path"), pk=data["member"]
        ).first()
    services.guest_add(
        actor=request.user,
        meeting=meeting,
        member=member,
        name=data["name"],
        role=data["role"],
        email=data["email"],
    )
    return redirect("meetings:detail", meeting.pk)


@_action
def guest_delete(request: HttpRequest, pk: int) -> HttpResponse:
    guest = get_object_or_404(MeetingGuest.objects.select_related("meeting"), pk=pk)
    selectors.access_meeting(request.user, guest.meeting_id, perm="meetings.manage")
    services.guest_remove(actor=request.user, guest=guest)
    return redirect("meetings:detail", guest.meeting_id)


@_action
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk, perm="meetings.manage")
    form = DocumentForm(request.POST, request.FILES, prefix="doc")
    if not form.is_valid():
        raise RuleViolation(_("Please correct the errors below."), fields=form.errors)
    services.document_add(actor=request.user, meeting=meeting, **form.cleaned_data)
    return redirect("meetings:detail", meeting.pk)


@_action
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(MeetingDocument.objects.select_related("meeting"), pk=pk)
    selectors.access_meeting(request.user, document.meeting_id, perm="meetings.manage")
    services.document_remove(actor=request.user, document=document)
    return redirect("meetings:detail", document.meeting_id)
