"""Django admin for support: categories and routing rules editable; feedback read-only (the workflow is in the
services, so nothing changes a feedback item's state outside them)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Category, Dialogue, Feedback, ReceptionDay, RoutingRule


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "default_kind", "deadline_working_days", "evidence_required", "hide_reporter",
                    "public", "active")  # fmt: skip
    list_editable = ("active",)


@admin.register(RoutingRule)
class RoutingRuleAdmin(SimpleHistoryAdmin):
    list_display = ("area", "category", "responsible")
    list_select_related = ("area", "category", "responsible")
    raw_id_fields = ("area", "responsible")


@admin.register(Feedback)
class FeedbackAdmin(SimpleHistoryAdmin):
    list_display = ("code", "kind", "status", "category", "receiving_org", "organization", "received_at")
    list_filter = ("status", "kind", "channel")
    list_select_related = ("category", "receiving_org", "organization")
    search_fields = ("code",)
    exclude = ("reporter_name", "reporter_phone", "reporter_email")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ReceptionDay)
class ReceptionDayAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "head", "date", "status", "kind")
    raw_id_fields = ("organization", "head")


@admin.register(Dialogue)
class DialogueAdmin(SimpleHistoryAdmin):
    list_display = ("topic", "organization", "kind", "date", "status")
    raw_id_fields = ("organization", "chaired_by", "invited_members")
