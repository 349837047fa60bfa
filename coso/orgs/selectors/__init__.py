"""Reads of the organization tree, always scoped by the actor through accounts.permissions.

One sub-module per sub-area (organizations, tree, structure, page, supervision); every public name is re-exported
here, so callers import from `coso.orgs.selectors` as before.
"""

from __future__ import annotations

from .organizations import (
    access_organization,
    active_children_count,
    count_summary,
    member_counts,
    organization_ancestors,
    organization_list,
    organization_subtree,
    scope_base_depth,
)
from .page import (
    access_committee,
    access_position,
    access_restructuring,
    access_supervision,
    access_term,
    current_committees,
    current_term,
    organization_children,
    restructuring_list,
    supervisions_assigned_by,
    term_list,
)
from .structure import (
    Warning,
    WarningSummary,
    structure_warning_summary,
    structure_warnings,
    structure_warnings_bulk,
)
from .supervision import (
    group_by_parent,
    needed_supervision,
    open_seats,
    supervision_coverage,
    supervision_list,
    supervisor_choices,
    unsupervised_by_area,
    unsupervised_list,
)
from .tree import (
    TreeNode,
    member_totals_as_of,
    organization_search_tree,
    organization_tree,
    organization_tree_as_of,
)

__all__ = [
    "active_children_count",
    "access_organization",
    "count_summary",
    "member_counts",
    "organization_ancestors",
    "organization_list",
    "organization_subtree",
    "TreeNode",
    "member_totals_as_of",
    "organization_search_tree",
    "organization_tree",
    "organization_tree_as_of",
    "access_committee",
    "access_position",
    "access_restructuring",
    "access_supervision",
    "access_term",
    "current_committees",
    "current_term",
    "organization_children",
    "restructuring_list",
    "supervisions_assigned_by",
    "term_list",
    "Warning",
    "WarningSummary",
    "structure_warning_summary",
    "structure_warnings",
    "structure_warnings_bulk",
    "needed_supervision",
    "open_seats",
    "group_by_parent",
    "scope_base_depth",
    "supervision_coverage",
    "supervision_list",
    "supervisor_choices",
    "unsupervised_by_area",
    "unsupervised_list",
]
