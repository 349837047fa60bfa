"""Places as citizens know them: "Phường I", "Khu vực 1", not the Party organization ("Đảng bộ phường I",
"Chi bộ khu vực 1"). Derived from the organization's name, so nothing has to be kept in step."""

from __future__ import annotations

# Longest first: "Đảng bộ cơ sở" before "Đảng bộ".
PARTY_PREFIXES = (
    "đảng ủy",
    "đảng uỷ",
    "đảng bộ cơ sở",
    "đảng bộ",
    "chi bộ cơ sở",
    "chi bộ",
)


def place_name(org) -> str:
    """The name the public portal shows for an organization's area."""
    name = (getattr(org, "name", org) or "").strip()
    folded = name.lower()
    for prefix in PARTY_PREFIXES:
        if folded.startswith(prefix + " ") and len(name) > len(prefix) + 1:
            rest = name[len(prefix) + 1 :].strip()
            return rest[:1].upper() + rest[1:]
    return name
