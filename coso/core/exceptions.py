"""Domain errors raised by services and translated to HTTP answers by views and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class CosoError(Exception):
    code = "error"
    status = 400
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, fields: dict | None = None, code: str | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(str(self.message))


class ConflictError(CosoError):
    """Someone else saved the record after it was loaded: a stale save is refused, never silently applied."""

    code = "conflict"
    status = 409
    default_message = _(
        "This record was changed by someone else after you opened it. Reload it, check the changes and save again."
    )


class RuleViolation(CosoError):
    code = "rule_violation"
    status = 422
    default_message = _("The change breaks a rule.")
