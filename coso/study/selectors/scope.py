"""Who must study, and how far the actor reaches in the tree (up to the campaigns above, down the subtree)."""

from __future__ import annotations

from django.db.models import Q

from coso.accounts import permissions
from coso.members.models import MemberStatus
from coso.orgs.models import PATH_SEPARATOR

REQUIRED_STATUSES = (MemberStatus.FULL, MemberStatus.PROBATIONARY)


def _ancestors(path: str) -> list[str]:
    segments = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(segments[:i]) for i in range(1, len(segments) + 1)]


def reach_q(actor, *, field: str = "organization__path", perm: str = "study.view") -> Q:
    """Rows published by an organization in the actor's scope, or by one above it (its documents reach down)."""
    paths = permissions.scope_paths(actor, perm)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    above = sorted({ancestor for path in paths for ancestor in _ancestors(path)})
    return permissions.scope_q(actor, perm, field=field) | Q(**{f"{field}__in": above})


def reaches(actor, path: str, *, perm: str = "study.view") -> bool:
    paths = permissions.scope_paths(actor, perm)
    if paths is None:
        return True
    return any(
        root == path or root.startswith(path + PATH_SEPARATOR) or path.startswith(root + ".")
        for root in paths
    )


def _subtree_q(path: str, field: str = "path") -> Q:
    return Q(**{field: path}) | Q(**{f"{field}__startswith": path + PATH_SEPARATOR})
