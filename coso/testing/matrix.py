"""The permission matrix: for every route, the status each persona gets.

Each app declares its routes in `coso/<app>/tests/test_matrix.py` as a list `CASES` of `Case` and runs them with
`pytest.mark.parametrize(("case", "persona"), matrix_params(CASES))` and `check_case(client, world, case, persona)`.
`tests/test_route_coverage.py` fails when a URL name or API operation exists that no app's CASES covers.

Personas (see the root conftest): anonymous, province_admin, commune_staff, commune_leader, secretary_a,
member_a, secretary_b. The objects used in URLs live in cell A (or commune C1) unless a case says otherwise,
so secretary_b is the outsider (404) and member_a is usually the too-low role (403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

PERSONAS = (
    "anonymous",
    "province_admin",
    "commune_staff",
    "commune_leader",
    "secretary_a",
    "member_a",
    "secretary_b",
)


@dataclass
class Case:
    """One route. `route` is the URL name ("members:detail") or the API operation ("api:member_detail")."""

    route: str
    url: Callable[[Any], str]
    expect: dict[str, int]
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    content_type: str | None = None
    label: str = ""
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        missing = set(PERSONAS) - set(self.expect)
        if missing:
            raise ValueError(f"{self.route}: no expected status for {sorted(missing)}")

    @property
    def id(self) -> str:
        return self.label or f"{self.method.upper()} {self.route}"


def matrix_params(cases: list[Case]):
    return [pytest.param(case, persona, id=f"{case.id}|{persona}") for case in cases for persona in PERSONAS]


def login(client, world, persona: str):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


def check_case(client, world, case: Case, persona: str):
    login(client, world, persona)
    url = case.url(world)
    kwargs: dict[str, Any] = {}
    if case.data is not None:
        kwargs["data"] = case.data(world)
        if case.content_type:
            kwargs["content_type"] = case.content_type
    response = getattr(client, case.method)(url, **kwargs)
    expected = case.expect[persona]
    assert response.status_code == expected, (
        f"{case.id} as {persona}: expected {expected}, got {response.status_code}: "
        f"{getattr(response, 'content', b'')[:300]!r}"
    )
    return response


# Status shortcuts for readable tables.
def statuses(*, anonymous: int, **by_persona: int) -> dict[str, int]:
    result = {"anonymous": anonymous}
    result.update(by_persona)
    return result
