"""Partial updates (PATCH): a field the caller may not change is refused by name (403), never silently dropped,
and a PATCH that changes nothing leaves the record, its version and its history as they were
(`core.concurrency.save_versioned(..., skip_unchanged=True)`).

Each app decides which fields a caller may change (`<entity>_writable_fields`); its update service calls
`refuse_unwritable` with them, so the HTML forms and the API follow the same rule.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from .exceptions import CosoError

NOT_WRITABLE = _("You may not change this field.")


class FieldsNotWritable(CosoError):
    code = "forbidden"
    status = 403
    default_message = _("You may not change some of the fields you sent.")


def sent_fields(request, payload: Schema, *, exclude: Collection[str] = ("version",)) -> dict:
    """What a PATCH body carried: the declared fields that were set (parsed by the schema) and any key the
    schema does not declare (read from the JSON body, since the schema drops them)."""
    data = payload.model_dump(exclude_unset=True)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = {}
    if isinstance(body, dict):
        for name, value in body.items():
            data.setdefault(name, value)
    for name in exclude:
        data.pop(name, None)
    return data


def refuse_unwritable(data: Mapping, writable: Collection[str]) -> None:
    """Raise FieldsNotWritable (403, naming each field) when `data` carries a field outside `writable`."""
    refused = sorted(set(data) - set(writable))
    if refused:
        raise FieldsNotWritable(
            gettext("You may not change these fields: %(fields)s.") % {"fields": ", ".join(refused)},
            fields={name: [NOT_WRITABLE] for name in refused},
        )


def changed_values(instance, values: Mapping) -> dict:
    """The entries of `values` that differ from the instance's current values (for rules that only apply to a
    real change, e.g. fields locked once a record is held or agreed)."""
    return {name: value for name, value in values.items() if getattr(instance, name, None) != value}
