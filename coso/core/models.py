"""Base models shared by every app: timestamps, optimistic locking, quick choice labels."""

from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _


class ChoiceLabelsMixin:
    """`get_<field>_display()` from a mapping built once per field, not once per call.

    Django's own rebuilds the mapping on every call, and hashing the choices' lazy labels translates every one of
    them: 50 µs a call, 8 times the lookup, in every list row that shows a status. The labels stay lazy in the
    mapping, so each call still answers in the request's language."""

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name, overridden
        value = getattr(self, field.attname)
        labels = field.__dict__.get("_coso_choice_labels")
        if labels is None:
            labels = field._coso_choice_labels = dict(make_hashable(field.flatchoices))
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class TimeStampedModel(ChoiceLabelsMixin, models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A record people edit together: every save through a service bumps `version`.

    A save that carries an older version than the one stored is refused (see core.concurrency), so two
    people editing the same record never silently overwrite each other.
    """

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True
