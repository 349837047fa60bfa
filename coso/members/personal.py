"""Who sees which field of a member record: the one table that pages, the API, exports and history use.

Three levels, from what a peer sees to the most protected (docs/personal-data.md explains each line):

- PEER: anyone who may see the member at all (`members.view`: their cell, the offices above).
- PERSONAL: basic personal data (Decree 13/2023/NĐ-CP art. 2.3): the member themself and the roles holding
  `members.view_personal` (cell secretary, committee staff and leaders, inspection, administrators).
- SENSITIVE: sensitive personal data (Decree 13/2023/NĐ-CP art. 2.4: ethnic origin, religion): the member
  themself and the roles holding `members.view_sensitive` (committee staff and leaders, administrators).

In lists the national ID and the phone are masked even for those who may see them ("0*******123"); a "show"
link (HTML) or `?reveal=1` (API) shows them and is written to the access log.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum

from coso.accounts import permissions


class Level(IntEnum):
    PEER = 0
    PERSONAL = 1
    SENSITIVE = 2


# field -> the lowest level that sees it. A field not listed here is PEER.
FIELDS: dict[str, Level] = {
    "full_name": Level.PEER,
    "gender": Level.PEER,
    "status": Level.PEER,
    "organization": Level.PEER,
    "admitted_on": Level.PEER,
    "full_member_on": Level.PEER,
    "theory_level": Level.PEER,
    "education": Level.PEER,
    "professional_qualification": Level.PEER,
    "occupation": Level.PEER,
    "working_away": Level.PEER,
    "date_of_birth": Level.PERSONAL,
    "birth_year": Level.PERSONAL,
    "national_id": Level.PERSONAL,
    "phone": Level.PERSONAL,
    "email": Level.PERSONAL,
    "current_address": Level.PERSONAL,
    "hometown": Level.PERSONAL,
    "card_number": Level.PERSONAL,
    "photo": Level.PERSONAL,
    "events": Level.PERSONAL,
    "ethnicity": Level.SENSITIVE,
    "religion": Level.SENSITIVE,
}

# Shown masked in lists, even to those who may see them, until the user asks to show them (logged).
MASKED_IN_LISTS = ("national_id", "phone")


def level_of(field: str) -> Level:
    return FIELDS.get(field, Level.PEER)


def hidden_fields(level: Level) -> set[str]:
    """The fields a viewer at `level` may not see."""
    return {name for name, needed in FIELDS.items() if needed > level}


def viewer_level(actor, member) -> Level:
    """The level of `actor` on one member (no query beyond the actor's cached grants)."""
    return level_checker(actor)(member)


def level_checker(actor) -> Callable[[object], Level]:
    """A function telling, without queries, the actor's level on a listed member (organization loaded)."""
    personal_paths = permissions.scope_paths(actor, "members.view_personal")
    sensitive_paths = permissions.scope_paths(actor, "members.view_sensitive")
    own = getattr(actor, "member_id", None) if getattr(actor, "is_authenticated", False) else None

    def check(member) -> Level:
        if own is not None and member.pk == own:
            return Level.SENSITIVE
        path = member.organization.path
        if permissions.path_in_scope(path, sensitive_paths):
            return Level.SENSITIVE
        if permissions.path_in_scope(path, personal_paths):
            return Level.PERSONAL
        return Level.PEER

    return check


def mask(value: str | None, *, keep: int = 3) -> str:
    """The first and the last characters of a personal value: 0912345678 → 0******678."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= keep + 1:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - keep - 1) + value[-keep:]


def log_list(*, request, members, levels, revealed: bool, channel: str) -> None:
    """Write one access-log entry for a list response (page, API page, admin list) that shows personal fields.

    `members` are the records on the page and `levels` the viewer's level on each; the entry lists those
    shown with personal fields (the viewer's own record aside). Nothing is written when there are none.
    """
    from django.utils.translation import gettext as _

    from coso.accounts.models import AccessAction
    from coso.accounts.services import access_log_record

    actor = request.user
    own = getattr(actor, "member_id", None)
    shown = [m for m, level in zip(members, levels, strict=True) if level >= Level.PERSONAL and m.pk != own]
    if not shown:
        return
    paths = [m.organization.path for m in shown]
    common = _common_path(paths)
    action = AccessAction.MEMBER_REVEAL if revealed else AccessAction.MEMBER_LIST
    access_log_record(
        actor=actor,
        action=action,
        obj=shown[0].organization if len(set(paths)) == 1 else "members",
        label=_("List of %(count)d members") % {"count": len(shown)},
        path=common,
        request=request,
        detail=f"{channel} {request.GET.urlencode()}".strip(),
        items=shown,
    )


def _common_path(paths: list[str]) -> str:
    """The deepest organization path every one of `paths` lies in ("" when they share no root)."""
    parts = [path.split(".") for path in paths]
    common = []
    for column in zip(*parts, strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return ".".join(common)
