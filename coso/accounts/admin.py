"""Django admin for superusers: users (with their grants), grants, API tokens and the access log (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import AccessLog, ApiToken, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("organization", "role", "granted_by", "revoked_at")
    raw_id_fields = ("organization", "granted_by")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "member", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "member__full_name")
    raw_id_fields = ("member",)
    inlines = [RoleGrantInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Coso"), {"fields": ("member", "language")}),
    )


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "organization", "granted_by", "created_at", "revoked_at")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__name", "organization__code")
    raw_id_fields = ("user", "organization", "granted_by")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "name",
        "hint",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("read_only",)
    search_fields = ("user__username", "name", "hint")
    readonly_fields = (
        "user", "name", "digest", "hint", "read_only", "created_at", "updated_at", "expires_at", "last_used_at",
    )  # fmt: skip

    def has_add_permission(self, request):
        # Tokens are issued on the user's own page or with `coso token create`: the raw token is shown once.
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_label", "ip_address")
    list_filter = ("action",)
    search_fields = ("user__username", "object_label", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The access log is evidence: nobody edits or deletes it, not even a superuser.
        return False
