"""Django admin for superusers: member records with their change history (django-simple-history)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
