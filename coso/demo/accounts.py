"""The demo accounts, one per role: the single list that `coso demo`, the docs and the browser tests read."""

from __future__ import annotations

from dataclasses import dataclass

from coso.accounts.models import Role

# Passes the password validators (10+ characters, not common, not numeric, not like the username).
DEMO_PASSWORD = "coso-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    org_code: str
    display_name: str  # used when the account is not linked to a member record
    # Which member record the account is linked to (see loader.linked_member), or "" for none.
    member: str = ""
    superuser: bool = False

    @property
    def password(self) -> str:
        return DEMO_PASSWORD


DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount("admin", Role.SYSTEM_ADMIN, "HG", "Quản trị hệ thống", superuser=True),
    DemoAccount("thanhuy", Role.COMMITTEE_STAFF, "HG-VT", "Văn phòng Thành ủy Vị Thanh"),
    DemoAccount("lanhdao", Role.COMMITTEE_LEADER, "HG-VT", "Bí thư Thành ủy", member="city_secretary"),
    DemoAccount("phuong1", Role.COMMITTEE_STAFF, "VT-P1", "Văn phòng Đảng ủy phường I"),
    DemoAccount("kiemtra", Role.INSPECTION, "HG-VT", "Ủy ban Kiểm tra Thành ủy", member="inspection_chair"),
    DemoAccount(
        "bithu", Role.CELL_SECRETARY, "VT-P1-KV1", "Bí thư chi bộ khu vực 1", member="cell_secretary"
    ),
    DemoAccount("dangvien", Role.MEMBER, "VT-P1-KV1", "Đảng viên chi bộ khu vực 1", member="cell_member"),
]


def account(username: str) -> DemoAccount:
    return next(a for a in DEMO_ACCOUNTS if a.username == username)
