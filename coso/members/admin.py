"""Django admin for superusers: member records with their change history (django-simple-history)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from coso.accounts.models import AccessAction
from coso.accounts.services import access_log_record
from coso.core.text import fold

from .models import ImportJob, Member, MemberEvent, MembershipPeriod


class MembershipPeriodInline(admin.TabularInline):
    model = MembershipPeriod
    extra = 0
    fields = ("organization", "kind", "starts_on", "ends_on", "note")
    raw_id_fields = ("organization",)


class MemberEventInline(admin.TabularInline):
    model = MemberEvent
    extra = 0
    fk_name = "member"
    fields = ("kind", "occurred_on", "decision_number", "issuing_body", "discipline_form", "recorded_by")
    raw_id_fields = ("recorded_by",)
    readonly_fields = ("recorded_by",)


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "organization", "status", "admitted_on", "card_number")
    list_filter = ("status", "gender", "theory_level", "working_away")
    # The folded shadow column makes the admin search accent-insensitive like the app's.
    search_fields = ("name_folded", "card_number", "national_id")
    raw_id_fields = ("organization",)
    readonly_fields = ("status", "version", "created_at", "updated_at")
    list_select_related = ("organization",)
    inlines = (MembershipPeriodInline, MemberEventInline)
    history_list_display = ("status", "organization")

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    # The admin shows personal fields (the whole record, the card number in the list): each page is logged
    # like the app's pages, one entry per response with the records shown.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            member = Member.objects.select_related("organization").filter(pk=object_id).first()
            if member is not None:
                access_log_record(
                    actor=request.user,
                    action=AccessAction.MEMBER_ADMIN,
                    obj=member,
                    path=member.organization.path,
                    request=request,
                    detail="admin",
                )
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            shown = list(changelist.result_list)
            if shown:
                access_log_record(
                    actor=request.user,
                    action=AccessAction.MEMBER_ADMIN,
                    obj="members",
                    label=_("List of %(count)d members") % {"count": len(shown)},
                    path="",
                    request=request,
                    detail=f"admin {request.GET.urlencode()}".strip(),
                    items=shown,
                )
        return response


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(SimpleHistoryAdmin):
    list_display = ("member", "organization", "kind", "starts_on", "ends_on")
    list_filter = ("kind",)
    search_fields = ("member__name_folded", "organization__name_folded")
    raw_id_fields = ("member", "organization")
    list_select_related = ("member", "organization")


@admin.register(MemberEvent)
class MemberEventAdmin(SimpleHistoryAdmin):
    list_display = ("member", "kind", "occurred_on", "decision_number", "issuing_body", "recorded_by")
    list_filter = ("kind",)
    search_fields = ("member__name_folded", "decision_number")
    raw_id_fields = ("member", "from_organization", "to_organization", "recorded_by")
    list_select_related = ("member", "recorded_by")
    date_hierarchy = "occurred_on"


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Import jobs are written by the wizard and the task only; the admin shows them for support."""

    list_display = ("original_name", "organization", "status", "done", "total", "created_by", "created_at")
    list_filter = ("status",)
    list_select_related = ("organization", "created_by")
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
