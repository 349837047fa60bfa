"""Users, role grants on the organization tree, personal API tokens and the personal-data access log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coso.core.models import TimeStampedModel


class User(AbstractUser):
    member = models.OneToOneField(
        "members.Member",
        verbose_name=_("member record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="vi")
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    MEMBER = "MEMBER", _("Party member")
    CELL_SECRETARY = "CELL_SECRETARY", _("Cell secretary")
    COMMITTEE_STAFF = "COMMITTEE_STAFF", _("Committee staff")
    COMMITTEE_LEADER = "COMMITTEE_LEADER", _("Committee leader")
    INSPECTION = "INSPECTION", _("Inspection")
    SYSTEM_ADMIN = "SYSTEM_ADMIN", _("System administrator")


class RoleGrant(TimeStampedModel):
    """A role on an organization, valid for its whole subtree. Revoked grants stay as history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants", verbose_name=_("user"))
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="grants", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("granted by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        indexes = [models.Index(fields=["user", "revoked_at"], name="grant_user_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=models.Q(revoked_at__isnull=True),
                name="grant_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organization}"


class ApiToken(TimeStampedModel):
    """A personal API token. Only a SHA-256 digest is stored; the token itself is shown once."""

    PREFIX = "coso_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    read_only = models.BooleanField(
        _("read only"), default=False, help_text=_("A read-only token can read but never change anything.")
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.hint}…"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(
        cls, *, user: User, name: str = "", days: int | None = None, read_only: bool = False
    ) -> tuple[ApiToken, str]:
        """A new token valid for `days` (default `settings.COSO_API_TOKEN_DAYS`, one year)."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        expires_at = timezone.now() + dt.timedelta(days=days or settings.COSO_API_TOKEN_DAYS)
        token = cls.objects.create(
            user=user,
            name=name,
            digest=cls.hash(raw),
            hint=raw[:10],
            expires_at=expires_at,
            read_only=read_only,
        )
        return token, raw

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at", "updated_at"])


class AccessAction(models.TextChoices):
    """What was done with personal data; the log page shows the label (Vietnamese through the catalog)."""

    MEMBER_VIEW = "member.view", _("Viewed a member record")
    MEMBER_LIST = "member.list", _("Viewed a member list")
    MEMBER_REVEAL = "member.reveal", _("Showed national IDs and phones in a list")
    MEMBER_EXPORT = "member.export", _("Exported members")
    MEMBER_ADMIN = "member.admin", _("Opened members in the admin")
    FEEDBACK_CONTACT = "feedback.view_contact", _("Viewed a reporter's contact")


class AccessLog(models.Model):
    """One row per response that carries personal data (national ID, phone, address, birth date): a record
    page, a list page, an API answer, an export, an admin page. The records shown are its `items`."""

    user = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("user")
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=40)
    object_label = models.CharField(_("record"), max_length=255, blank=True)
    organization_path = models.CharField(max_length=255, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    object_count = models.PositiveIntegerField(_("records shown"), default=1)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="accesslog_object")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.action} {self.object_label}"

    @property
    def action_label(self) -> str:
        try:
            return str(AccessAction(self.action).label)
        except ValueError:
            return self.action


class AccessLogItem(models.Model):
    """One record shown in an access-log entry: whose data it was, and where that record lived (for scope)."""

    entry = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="items")
    object_id = models.CharField(_("object id"), max_length=40)
    label = models.CharField(_("record"), max_length=255, blank=True)
    organization_path = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("record in an access log entry")
        verbose_name_plural = _("records in access log entries")
        indexes = [
            models.Index(fields=["object_id", "entry"], name="accesslogitem_object"),
            models.Index(fields=["organization_path", "entry"], name="accesslogitem_path"),
        ]

    def __str__(self) -> str:
        return self.label or self.object_id
