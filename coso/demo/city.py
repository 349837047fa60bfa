"""The demo's organization tree: the Vị Thanh city Party committee (Hậu Giang) as the seed articles describe it.

Province → city committee → ward and commune committees, agency committees and grassroots cells → cells.
Numbers are the members each cell gets at scale 1 (about 1,500 in all).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coso.orgs.models import OrgKind

CITY_ADDRESS = "thành phố Vị Thanh, Hậu Giang"


@dataclass(frozen=True)
class CellSpec:
    code: str
    name: str
    profile: str  # see people.CellProfile.kind
    members: int
    place: str = ""  # street or hamlet, for addresses
    small: bool = False  # a cell kept below 3 full members, so the structure warnings have something to show
    no_committee: bool = False  # large enough for a cell committee but has not elected one (a warning)


@dataclass(frozen=True)
class UnitSpec:
    """A grassroots organization under the city: a committee with cells, or a grassroots cell."""

    code: str
    name: str
    kind: str
    locality: str  # "phường I", "xã Hỏa Lựu", or "" for agencies
    cells: list[CellSpec] = field(default_factory=list)
    profile: str = "office"  # for grassroots cells
    members: int = 0  # for grassroots cells
    executive_size: int = 15


def _areas(prefix: str, counts: list[int], streets: list[str]) -> list[CellSpec]:
    return [
        CellSpec(f"{prefix}-KV{i}", f"Chi bộ khu vực {i}", "area", n, place=streets[(i - 1) % len(streets)])
        for i, n in enumerate(counts, start=1)
    ]


def _hamlets(prefix: str, names_counts: list[tuple[str, int]]) -> list[CellSpec]:
    return [
        CellSpec(f"{prefix}-A{i}", f"Chi bộ ấp {name}", "village", n, place=f"ấp {name}")
        for i, (name, n) in enumerate(names_counts, start=1)
    ]


def _police(prefix: str, where: str, n: int) -> CellSpec:
    return CellSpec(f"{prefix}-CA", f"Chi bộ Công an {where}", "police", n)


PROVINCE = ("HG", "Đảng bộ tỉnh Hậu Giang", OrgKind.PROVINCIAL, "Số 1 Võ Văn Kiệt, phường V, " + CITY_ADDRESS)
CITY = (
    "HG-VT",
    "Đảng bộ thành phố Vị Thanh",
    OrgKind.DISTRICT,
    "Số 3 Trần Hưng Đạo, phường I, " + CITY_ADDRESS,
)

UNITS: list[UnitSpec] = [
    UnitSpec(
        "VT-P1",
        "Đảng bộ phường I",
        OrgKind.GRASSROOTS_COMMITTEE,
        "phường I",
        [
            *_areas(
                "VT-P1",
                [51, 45, 41, 35],
                ["đường Trần Hưng Đạo", "đường Nguyễn Công Trứ", "đường 30 Tháng 4"],
            ),
            CellSpec("VT-P1-TH", "Chi bộ Trường Tiểu học Trần Quốc Toản", "school", 14),
            _police("VT-P1", "phường I", 10),
        ],
    ),
    UnitSpec(
        "VT-P3",
        "Đảng bộ phường III",
        OrgKind.GRASSROOTS_COMMITTEE,
        "phường III",
        [
            *_areas("VT-P3", [43, 38, 34], ["đường Lê Lợi", "đường Nguyễn Trãi", "đường Võ Văn Kiệt"]),
            CellSpec("VT-P3-THCS", "Chi bộ Trường THCS Võ Văn Kiệt", "school", 16),
            _police("VT-P3", "phường III", 9),
        ],
    ),
    UnitSpec(
        "VT-P4",
        "Đảng bộ phường IV",
        OrgKind.GRASSROOTS_COMMITTEE,
        "phường IV",
        [
            *_areas("VT-P4", [41, 36, 31], ["đường Ngô Quốc Trị", "đường Lê Quý Đôn", "đường Hòa Bình"]),
            _police("VT-P4", "phường IV", 8),
        ],
    ),
    UnitSpec(
        "VT-P5",
        "Đảng bộ phường V",
        OrgKind.GRASSROOTS_COMMITTEE,
        "phường V",
        [
            *_areas(
                "VT-P5", [49, 43, 38, 33], ["đường Trần Ngọc Quế", "đường 1 Tháng 5", "đường Điện Biên Phủ"]
            ),
            CellSpec("VT-P5-MN", "Chi bộ Trường Mầm non Sơn Ca", "school", 11),
            _police("VT-P5", "phường V", 10),
        ],
    ),
    UnitSpec(
        "VT-P7",
        "Đảng bộ phường VII",
        OrgKind.GRASSROOTS_COMMITTEE,
        "phường VII",
        [
            *_areas("VT-P7", [37, 33, 28], ["đường Nguyễn Huệ", "đường Châu Văn Liêm"]),
            _police("VT-P7", "phường VII", 8),
        ],
    ),
    UnitSpec(
        "VT-VTAN",
        "Đảng bộ phường Vị Tân",
        OrgKind.GRASSROOTS_COMMITTEE,
        "phường Vị Tân",
        [
            *_areas("VT-VTAN", [37, 33, 29], ["đường Lê Hồng Phong", "đường Cách Mạng Tháng 8"]),
            _police("VT-VTAN", "phường Vị Tân", 8),
        ],
    ),
    UnitSpec(
        "VT-HL",
        "Đảng bộ xã Hỏa Lựu",
        OrgKind.GRASSROOTS_COMMITTEE,
        "xã Hỏa Lựu",
        [
            *_hamlets(
                "VT-HL", [("Thạnh Trung", 37), ("Thạnh Xuân", 33), ("Thạnh Thuận", 31), ("Thạnh Hòa", 27)]
            ),
            CellSpec("VT-HL-TH", "Chi bộ Trường Tiểu học Hỏa Lựu", "school", 12),
            _police("VT-HL", "xã Hỏa Lựu", 7),
        ],
    ),
    UnitSpec(
        "VT-HT",
        "Đảng bộ xã Hỏa Tiến",
        OrgKind.GRASSROOTS_COMMITTEE,
        "xã Hỏa Tiến",
        [
            *_hamlets("VT-HT", [("Thạnh An", 35), ("Thạnh Lợi", 31), ("Thạnh Thắng", 29), ("Thạnh Phú", 26)]),
            _police("VT-HT", "xã Hỏa Tiến", 7),
        ],
    ),
    UnitSpec(
        "VT-TT",
        "Đảng bộ xã Tân Tiến",
        OrgKind.GRASSROOTS_COMMITTEE,
        "xã Tân Tiến",
        [
            *_hamlets("VT-TT", [("Bình Hòa", 33), ("Tân Phú", 29), ("Tân Thành", 25)]),
            CellSpec("VT-TT-A4", "Chi bộ ấp Tân Hiệp", "village", 4, place="ấp Tân Hiệp", small=True),
            _police("VT-TT", "xã Tân Tiến", 7),
        ],
    ),
    UnitSpec(
        "VT-CQD",
        "Đảng bộ Cơ quan Đảng thành phố",
        OrgKind.GRASSROOTS_COMMITTEE,
        "",
        [
            CellSpec("VT-CQD-VP", "Chi bộ Văn phòng Thành ủy", "office", 20),
            CellSpec("VT-CQD-TC", "Chi bộ Ban Tổ chức Thành ủy", "office", 12),
            CellSpec("VT-CQD-KT", "Chi bộ Ủy ban Kiểm tra Thành ủy", "office", 10),
            CellSpec("VT-CQD-TG", "Chi bộ Ban Tuyên giáo và Dân vận Thành ủy", "office", 12),
        ],
        executive_size=9,
    ),
    UnitSpec(
        "VT-CQCQ",
        "Đảng bộ Cơ quan Chính quyền thành phố",
        OrgKind.GRASSROOTS_COMMITTEE,
        "",
        [
            CellSpec("VT-CQCQ-VP", "Chi bộ Văn phòng HĐND và UBND thành phố", "office", 18),
            CellSpec("VT-CQCQ-TCKH", "Chi bộ Phòng Tài chính - Kế hoạch", "office", 11, no_committee=True),
            CellSpec("VT-CQCQ-NV", "Chi bộ Phòng Nội vụ", "office", 9),
            CellSpec("VT-CQCQ-GD", "Chi bộ Phòng Giáo dục và Đào tạo", "office", 12),
            CellSpec("VT-CQCQ-TNMT", "Chi bộ Phòng Tài nguyên và Môi trường", "office", 9),
        ],
        executive_size=9,
    ),
    UnitSpec(
        "VT-CA",
        "Đảng bộ Công an thành phố",
        OrgKind.GRASSROOTS_COMMITTEE,
        "",
        [
            CellSpec("VT-CA-HS", "Chi bộ Đội Cảnh sát hình sự", "police", 16),
            CellSpec("VT-CA-AN", "Chi bộ Đội An ninh", "police", 13),
            CellSpec("VT-CA-GT", "Chi bộ Đội Cảnh sát giao thông - Trật tự", "police", 18),
        ],
        executive_size=9,
    ),
    UnitSpec(
        "VT-QS",
        "Đảng bộ Quân sự thành phố",
        OrgKind.GRASSROOTS_COMMITTEE,
        "",
        [
            CellSpec("VT-QS-CH", "Chi bộ Ban Chỉ huy Quân sự", "army", 15),
            CellSpec("VT-QS-DD", "Chi bộ Đại đội Bộ binh", "army", 17),
        ],
        executive_size=7,
    ),
    UnitSpec(
        "VT-TTYT",
        "Chi bộ Trung tâm Y tế thành phố",
        OrgKind.GRASSROOTS_CELL,
        "",
        profile="health",
        members=27,
    ),
    UnitSpec(
        "VT-BQLDA",
        "Chi bộ Ban Quản lý dự án đầu tư xây dựng thành phố",
        OrgKind.GRASSROOTS_CELL,
        "",
        profile="office",
        members=14,
    ),
    UnitSpec(
        "VT-TTVH",
        "Chi bộ Trung tâm Văn hóa - Thể thao và Truyền thanh",
        OrgKind.GRASSROOTS_CELL,
        "",
        profile="office",
        members=12,
    ),
]

# The cell whose secretary and one member get demo accounts (`bithu`, `dangvien`).
DEMO_CELL = "VT-P1-KV1"
# The ward whose office has a demo account (`phuong1`).
DEMO_WARD = "VT-P1"
