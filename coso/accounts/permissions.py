"""The one place that decides who may see or do what.

A `RoleGrant(user, organization, role)` applies to the organization's whole subtree. Every selector, view,
export and API route asks this module, through `scope_q` for querysets and `authorize` for single objects:
an object outside the actor's subtree is a 404 (it does not exist for them); an object they may see but not
change is a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from .models import Role, RoleGrant

ALL_ROLES = frozenset(Role)
OFFICE_ROLES = frozenset({Role.COMMITTEE_STAFF, Role.SYSTEM_ADMIN})
PERSONAL_DATA_ROLES = frozenset(
    {Role.CELL_SECRETARY, Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.INSPECTION, Role.SYSTEM_ADMIN}
)

# permission code -> roles that hold it. Viewing codes ("*.view") decide existence (404); others decide 403.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "orgs.view": ALL_ROLES,
    "orgs.change": OFFICE_ROLES,
    "orgs.restructure": OFFICE_ROLES,
    "orgs.view_history": PERSONAL_DATA_ROLES,
    "members.view": ALL_ROLES,
    "members.view_personal": PERSONAL_DATA_ROLES,
    # Sensitive personal data (Decree 13/2023/NĐ-CP art. 2.4: ethnic origin, religion): only the roles that keep
    # the records and answer for them; the field-by-field table is coso/members/personal.py (docs/personal-data.md).
    "members.view_sensitive": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "members.view_history": frozenset(
        {Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.INSPECTION, Role.SYSTEM_ADMIN}
    ),
    "members.change": OFFICE_ROLES,
    "members.record_event": OFFICE_ROLES,
    "members.import": OFFICE_ROLES,
    "members.export": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "accounts.view_grants": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "accounts.manage_grants": frozenset({Role.SYSTEM_ADMIN}),
    # Who looked at whose personal data: the committee's heads and its inspection answer for it in their subtree.
    "accounts.view_access_log": frozenset({Role.COMMITTEE_LEADER, Role.INSPECTION, Role.SYSTEM_ADMIN}),
    # Personal API tokens are for the staff's own tools and integrations; a plain member uses the pages.
    "accounts.use_api": ALL_ROLES - {Role.MEMBER},
    # Hard tasks: the organization's office registers and reports; the upper committee accepts and verifies
    # (checked on the parent organization, so nobody verifies their own organization's commitment).
    "commitments.view": ALL_ROLES,
    "commitments.manage": OFFICE_ROLES | {Role.CELL_SECRETARY},
    "commitments.verify": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    # Reviews and quality ratings (issue 11): committees open cycles; the cell's secretary and the committee's
    # staff propose ratings; the committee's leaders decide them.
    "reviews.view": ALL_ROLES,
    "reviews.manage": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "reviews.propose": frozenset(
        {Role.CELL_SECRETARY, Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}
    ),
    "reviews.decide": frozenset({Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    # Inspection and supervision (issue 11 §3-4). Cases and discipline records are confidential: only the
    # inspection committee, the committee's leaders and the administrator know they exist (404 for anyone else).
    # Shortcomings and remedies are visible to their owner (selectors) and the organization's office and heads.
    "inspection.view": ALL_ROLES,
    "inspection.view_cases": frozenset({Role.INSPECTION, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "inspection.manage": frozenset({Role.INSPECTION, Role.SYSTEM_ADMIN}),
    "inspection.view_remedies": frozenset(
        {Role.CELL_SECRETARY, Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.INSPECTION, Role.SYSTEM_ADMIN}
    ),
    "inspection.manage_remedies": frozenset(
        {Role.CELL_SECRETARY, Role.COMMITTEE_STAFF, Role.INSPECTION, Role.SYSTEM_ADMIN}
    ),
    # Verified by the inspection committee or the upper level (checked on the parent organization).
    "inspection.verify": frozenset(
        {Role.INSPECTION, Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}
    ),
    # Emulation (issue 11 §5): committees launch movements and record awards; an organization's secretary or
    # office signs its covenant and scores itself; the upper committee scores it (checked on the parent
    # organization, so nobody gives the upper score to their own organization).
    "emulation.view": ALL_ROLES,
    "emulation.manage": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "emulation.score": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "emulation.self_score": OFFICE_ROLES | {Role.CELL_SECRETARY},
    "study.view": ALL_ROLES,
    "study.view_reports": PERSONAL_DATA_ROLES,
    "study.manage_library": OFFICE_ROLES,
    "study.launch_campaign": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "study.review": frozenset({Role.CELL_SECRETARY, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "meetings.view": ALL_ROLES,
    "meetings.manage": frozenset({Role.CELL_SECRETARY, Role.COMMITTEE_STAFF, Role.SYSTEM_ADMIN}),
    "meetings.approve_minutes": frozenset({Role.CELL_SECRETARY, Role.COMMITTEE_STAFF, Role.SYSTEM_ADMIN}),
    "meetings.overview": frozenset(
        {Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.INSPECTION, Role.SYSTEM_ADMIN}
    ),
    "meetings.answer_escalation": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "meetings.plan_rotation": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "meetings.edit_topics": OFFICE_ROLES,
    # The planning pages (leaders' rotation, seasonal topics) serve those who run meetings, not every member.
    "meetings.view_planning": ALL_ROLES - {Role.MEMBER},
    # Citizens: staff and heads see the feedback of their subtree; the office receives and assigns; handlers
    # (cell secretaries included) answer; only the receiving unit's office and heads see a hidden reporter.
    "citizens.view": PERSONAL_DATA_ROLES,
    "citizens.handle": PERSONAL_DATA_ROLES - {Role.INSPECTION},
    "citizens.receive": OFFICE_ROLES,
    "citizens.view_contact": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "citizens.record": frozenset({Role.COMMITTEE_STAFF, Role.COMMITTEE_LEADER, Role.SYSTEM_ADMIN}),
    "citizens.record_dialogue": PERSONAL_DATA_ROLES - {Role.INSPECTION},
    "citizens.configure": frozenset({Role.SYSTEM_ADMIN}),
}

# For each permission, the permission that decides whether the object exists for the actor at all.
VISIBILITY = {code: code.split(".")[0] + ".view" for code in PERMISSIONS}
VISIBILITY.update(
    {
        "accounts.view_grants": "orgs.view",
        "accounts.manage_grants": "orgs.view",
        "accounts.view_access_log": "orgs.view",
        "accounts.use_api": "orgs.view",
        "inspection.view_cases": "inspection.view_cases",
        "inspection.manage": "inspection.view_cases",
        "inspection.view_remedies": "inspection.view_remedies",
        "inspection.manage_remedies": "inspection.view_remedies",
        "inspection.verify": "inspection.view_remedies",
    }
)


class _SystemActor:
    """The actor for work no person does in the moment: the CLI, the demo loader, scheduled jobs."""

    pk = None
    id = None
    member_id = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    username = "system"

    def __str__(self) -> str:
        return "system"


SYSTEM = _SystemActor()


@dataclass(frozen=True)
class Grant:
    path: str
    role: str
    organization_id: int


def grants_of(user) -> list[Grant]:
    """The user's active grants, loaded once per request (cached on the user object)."""
    if user is None or not user.is_authenticated or getattr(user, "pk", None) is None:
        return []
    cached = getattr(user, "_coso_grants", None)
    if cached is None:
        rows = RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "organization__path", "role", "organization_id"
        )
        cached = [Grant(path, role, org_id) for path, role, org_id in rows]
        user._coso_grants = cached
    return cached


def forget(user) -> None:
    """Drop the cached grants (and roots) after they change."""
    for name in ("_coso_grants", "_coso_roots"):
        if user is not None and hasattr(user, name):
            delattr(user, name)


def roles_of(user) -> set[str]:
    return {grant.role for grant in grants_of(user)}


def is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def _minimal(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another path of the list: their subtree is already covered."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path == kept or path.startswith(kept + ".") for kept in result):
            result.append(path)
    return result


def scope_paths(user, perm: str) -> list[str] | None:
    """The roots of the subtrees where `user` holds `perm`; None means everywhere (a superuser)."""
    if perm not in PERMISSIONS:
        raise KeyError(f"unknown permission {perm!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if is_superuser(user):
        return None
    roles = PERMISSIONS[perm]
    return _minimal(grant.path for grant in grants_of(user) if grant.role in roles)


def root_paths(user) -> frozenset[str]:
    """The paths of the tree's roots (organizations without a parent, whatever their status), read once per
    request (cached on the user object like the grants)."""
    cached = getattr(user, "_coso_roots", None)
    if cached is None:
        from coso.orgs.models import Organization

        cached = user._coso_roots = frozenset(
            Organization.objects.filter(parent__isnull=True).values_list("path", flat=True)
        )
    return cached


def covers_whole_tree(user, paths: list[str] | None) -> bool:
    """Whether the subtrees at `paths` (minimal, as scope_paths gives them) hold every organization: every root
    is one of them. A province administrator of a one-province deployment is the usual case; a root has no
    separator in its path, so users below the roots never cost the query."""
    if paths is None:
        return True
    if not paths or all("." in path for path in paths):
        return False
    return root_paths(user) <= set(paths)


def _present_q(field: str) -> Q:
    """What the path filter still says once it covers every organization: the row has an organization.

    `field` is a path reached through relations ("organization__path", "member__organization__path") or a copied
    path column ("organization_path"). The first relation may be empty (a feedback item not yet escalated), so it
    is tested (`organization_id IS NOT NULL`, no join); the relations after it are required on every model
    (a member's organization, a committee's organization: tested in accounts/tests/test_scope_shortcut.py)."""
    parts = field.split("__")
    if parts == ["path"]:
        return Q()
    if len(parts) == 1:
        return Q(**{f"{field}__isnull": False})
    return Q(**{f"{parts[0]}__isnull": False})


def scope_q(user, perm: str, *, field: str = "path") -> Q:
    """A filter on a path field (e.g. "path" or "organization__path") limiting rows to the actor's scope.

    When the scope holds the whole tree the filter says only that the row has an organization: the same rows,
    without the joins and path comparisons (a province's 200,000 members joined otherwise)."""
    paths = scope_paths(user, perm)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    if covers_whole_tree(user, paths):
        return _present_q(field)
    query = Q()
    for path in paths:
        query |= Q(**{field: path}) | Q(**{f"{field}__startswith": path + "."})
    return query


def path_in_scope(path: str, paths: list[str] | None) -> bool:
    if paths is None:
        return True
    return any(path == root or path.startswith(root + ".") for root in paths)


def can(user, perm: str, path: str) -> bool:
    """Whether `user` holds `perm` on the organization at `path`."""
    return path_in_scope(path, scope_paths(user, perm))


def authorize(user, perm: str, path: str) -> None:
    """Raise Http404 when the object is outside what the actor may see, PermissionDenied when only `perm` fails."""
    if not can(user, VISIBILITY[perm], path):
        raise Http404
    if not can(user, perm, path):
        raise PermissionDenied


def can_view_member_personal(user, *, member_id: int, path: str) -> bool:
    """Personal fields (national ID, phone, address, birth date): the member themself or a role that needs them."""
    if user is not None and user.is_authenticated and getattr(user, "member_id", None) == member_id:
        return True
    return can(user, "members.view_personal", path)


def can_view_member_sensitive(user, *, member_id: int, path: str) -> bool:
    """Sensitive fields (ethnicity, religion): the member themself or a role that keeps the records."""
    if user is not None and user.is_authenticated and getattr(user, "member_id", None) == member_id:
        return True
    return can(user, "members.view_sensitive", path)


def can_here(user, perm: str, organization_id: int) -> bool:
    """Whether `user` holds `perm` through a grant on this very organization, not inherited from a grant on an
    organization above it (e.g. only the receiving unit's own office and heads see a hidden reporter)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_superuser(user):
        return True
    roles = PERMISSIONS[perm]
    return any(g.organization_id == organization_id and g.role in roles for g in grants_of(user))


def has_any(user, perm: str) -> bool:
    """Whether the user holds `perm` anywhere (to show or hide menu entries)."""
    paths = scope_paths(user, perm)
    return paths is None or bool(paths)


def home_path(user) -> str | None:
    """The highest organization the user works on, for the home page and default filters."""
    paths = scope_paths(user, "orgs.view")
    if paths is None:
        return None
    return min(paths, key=lambda p: (p.count("."), p)) if paths else None
