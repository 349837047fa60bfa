"""Sections that apps add to the home page, so the handbook grows without core knowing each app.

An app registers a provider in its AppConfig.ready():

    from coso.core import panels
    panels.register(home_panels)                                # def home_panels(request, today)
    panels.register(member_panels, page="member_detail")        # def member_panels(request, today, member)
    panels.register(org_panels, page="organization_detail")     # def org_panels(request, today, organization)

Pages that accept panels: "home" (core:home), "member_detail" (members:detail, called with `member=`, only
sections about that member's own record: the page has already checked that the user may see it) and
"organization_detail" (orgs:detail, called with `organization=`, likewise already checked).

Each provider returns the panels the user should see (or none); the home page renders them by `order`
(smaller first) with `{% include panel.template %}` and the panel's own context under `panel.context`.
Providers must run a bounded number of queries whatever the size of the user's part of the tree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50
    # Where it goes: "main" (the column everyone reads first) or "side".
    slot: str = "main"


Provider = Callable[..., Iterable[Panel]]
_providers: dict[str, list[Provider]] = {}


def register(provider: Provider, *, page: str = "home") -> Provider:
    providers = _providers.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)
    return provider


def panels_for(request: HttpRequest, today: dt.date, *, page: str = "home", **kwargs) -> list[Panel]:
    result: list[Panel] = []
    for provider in _providers.get(page, []):
        result.extend(provider(request, today, **kwargs) or [])
    return sorted(result, key=lambda panel: panel.order)
