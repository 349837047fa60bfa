"""Writes to the organization tree: creation, edits, restructuring, terms, committees, positions, supervision.

Every restructuring is one transaction and one `RestructuringEvent`; nothing is deleted, old organizations stay
marked (merged, split, dissolved) so any report can be read as of a date.

One sub-module per sub-area (tree, handover, restructuring, committees, supervision); every public name is
re-exported here, so callers import from `coso.orgs.services` as before.
"""

from __future__ import annotations

from .committees import committee_create, position_assign, position_end, term_create
from .handover import handover_preview
from .restructuring import (
    organization_dissolve,
    organization_merge,
    organization_move,
    organization_rename,
    organization_split,
)
from .supervision import supervision_assign, supervision_end
from .tree import ORGANIZATION_EDITABLE_FIELDS, _encode_segment, organization_create, organization_update

__all__ = [
    "ORGANIZATION_EDITABLE_FIELDS",
    "_encode_segment",
    "organization_create",
    "organization_update",
    "handover_preview",
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
