"""Hard tasks in the Django admin, read-only, for support (changes go through the pages and their services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import HardTask, HardTaskUpdate


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UpdateInline(ReadOnlyMixin, admin.TabularInline):
    model = HardTaskUpdate
    fields = ("date", "progress", "text", "evidence_name", "created_by")
    extra = 0


@admin.register(HardTask)
class HardTaskAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("title", "organization", "year", "status", "progress", "due_date")
    list_filter = ("year", "status", "kind")
    search_fields = ("title", "organization__code", "organization__name")
    list_select_related = ("organization",)
    raw_id_fields = (
        "organization",
        "responsible",
        "parent",
        "root",
        "verified_by",
        "accepted_by",
        "created_by",
    )
    inlines = [UpdateInline]
