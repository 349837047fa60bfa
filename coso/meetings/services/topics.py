"""Seasonal topics that committees suggest to the cells under them."""

from __future__ import annotations

from coso.accounts import permissions
from coso.core.concurrency import save_versioned, stamp
from coso.orgs.models import Organization

from ..models import SeasonalTopic
from ._common import _full_clean


def seasonal_topic_save(
    *,
    actor,
    organization: Organization,
    month: int,
    topic: str,
    note: str = "",
    instance: SeasonalTopic | None = None,
    expected_version: int | None = None,
) -> SeasonalTopic:
    permissions.authorize(actor, "meetings.edit_topics", organization.path)
    item = instance or SeasonalTopic(organization=organization)
    item.month = month
    item.topic = (topic or "").strip()
    item.note = note or ""
    _full_clean(item, exclude=["organization"])
    if instance is None:
        stamp(item, actor).save()
    else:
        save_versioned(item, expected_version=expected_version, actor=actor)
    return item


def seasonal_topic_delete(*, actor, topic: SeasonalTopic) -> None:
    permissions.authorize(actor, "meetings.edit_topics", topic.organization.path)
    topic.delete()
