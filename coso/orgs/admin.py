"""Django admin for superusers: the tree, terms and seats, supervision and restructuring events, with history.

The tree's shape (parent, path, status) is read-only here: restructuring goes through the dated services.
"""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Committee, Organization, Position, RestructuringEvent, SupervisionAssignment, Term


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "status", "parent")
    list_filter = ("kind", "status")
    # The folded shadow column makes the admin search accent-insensitive like the app's.
    search_fields = ("name_folded", "code")
    readonly_fields = ("parent", "path", "depth", "status", "ended_on", "successor", "version", "created_at")
    list_select_related = ("parent",)


class CommitteeInline(admin.TabularInline):
    model = Committee
    extra = 0
    fields = ("kind",)


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organization", "starts_on", "ends_on")
    raw_id_fields = ("organization",)
    list_select_related = ("organization",)
    inlines = (CommitteeInline,)


@admin.register(Position)
class PositionAdmin(SimpleHistoryAdmin):
    list_display = ("member", "title", "committee", "starts_on", "ends_on")
    list_filter = ("title",)
    raw_id_fields = ("committee", "member")
    list_select_related = ("member", "committee__term")


@admin.register(SupervisionAssignment)
class SupervisionAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("supervisor", "organization", "kind", "assigned_by", "starts_on", "ends_on")
    list_filter = ("kind",)
    raw_id_fields = ("supervisor", "organization", "assigned_by")
    list_select_related = ("supervisor", "organization", "assigned_by")


@admin.register(RestructuringEvent)
class RestructuringEventAdmin(admin.ModelAdmin):
    list_display = ("kind", "effective_on", "decision_number", "recorded_by")
    list_filter = ("kind",)
    readonly_fields = ("kind", "effective_on", "sources", "targets", "details", "recorded_by")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
