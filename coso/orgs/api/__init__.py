"""JSON API of the organization tree (django-ninja), mounted by coso.api.api under /api/v1/orgs/.

Every route reads through the selectors and writes through the services, so scope is decided by
accounts.permissions: out of scope is 404, visible but not allowed is 403, a stale version is 409.

`router` and the schemas live in `_common` and `schemas`; the operations in one sub-module per sub-area
(reads, organizations, restructuring, committees, supervision), re-exported here.
"""

from __future__ import annotations

# isort: off
# The sub-modules add their operations to `router` when imported: in this order, the order of the
# paths in the schema and of the URL patterns tried.
from . import reads, organizations, restructuring, committees, supervision  # noqa: F401

# isort: on
from ._common import MAX_PAGE_SIZE, router
from .committees import committee_create, position_assign, position_end, term_create
from .organizations import organization_create, organization_update
from .reads import (
    organization_detail,
    organization_list,
    organization_subtree,
    organization_tree,
    organization_unsupervised_list,
    restructuring_list,
)
from .restructuring import (
    organization_dissolve,
    organization_merge,
    organization_move,
    organization_rename,
    organization_split,
)
from .schemas import (
    CommitteeIn,
    CommitteeOut,
    Counts,
    Dated,
    DissolveIn,
    EndIn,
    MemberRef,
    MergeIn,
    MoveIn,
    OrgCreateIn,
    OrgDetailOut,
    OrgOut,
    OrgPage,
    OrgRef,
    OrgUpdateIn,
    PositionIn,
    PositionOut,
    RenameIn,
    RestructuringOut,
    RestructuringPage,
    SplitIn,
    SplitPartIn,
    SupervisionIn,
    SupervisionOut,
    TermIn,
    TermOut,
    TreeNodeOut,
    UnsupervisedOut,
    WarningOut,
)
from .supervision import supervision_assign, supervision_end

__all__ = [
    "MAX_PAGE_SIZE",
    "router",
    "CommitteeIn",
    "CommitteeOut",
    "Counts",
    "Dated",
    "DissolveIn",
    "EndIn",
    "MemberRef",
    "MergeIn",
    "MoveIn",
    "OrgCreateIn",
    "OrgDetailOut",
    "OrgOut",
    "OrgPage",
    "OrgRef",
    "OrgUpdateIn",
    "PositionIn",
    "PositionOut",
    "RenameIn",
    "RestructuringOut",
    "RestructuringPage",
    "SplitIn",
    "SplitPartIn",
    "SupervisionIn",
    "SupervisionOut",
    "TermIn",
    "TermOut",
    "TreeNodeOut",
    "UnsupervisedOut",
    "WarningOut",
    "organization_detail",
    "organization_list",
    "organization_subtree",
    "organization_tree",
    "organization_unsupervised_list",
    "restructuring_list",
    "organization_create",
    "organization_update",
    "organization_dissolve",
    "organization_merge",
    "organization_move",
    "organization_rename",
    "organization_split",
    "committee_create",
    "position_assign",
    "position_end",
    "term_create",
    "supervision_assign",
    "supervision_end",
]


# The OpenAPI operation ids stay those of the single module this package replaced
# (coso_orgs_api_<function>), so generated clients keep their method names.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.operation_id = _operation.operation_id or (
            f"coso_orgs_api_{_operation.view_func.__name__}"
        )
