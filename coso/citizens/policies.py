"""Dated rules of the citizens app (same `Policy` shape as coso.core.policies): reception days, legal time
limits for complaints and denunciations, and Coso's own defaults for escalation and closing.

Units: "working days" are counted with coso.core.workdays; the laws' "days" are calendar days whose last day,
when it is a day off, moves to the next working day (Civil Code 2015, Art. 148).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from coso.core.policies import Policy, check_overrides, lookup

QD11 = "QĐ 11-QĐi/TW (18/02/2019), Điều 4"
KL215 = "QĐ 11-QĐi/TW sửa đổi theo KL 215-KL/TW (11/2025)"
LKN = "Luật Khiếu nại 2011"
LTC = "Luật Tố cáo 2018, Điều 30"
LTC24 = "Luật Tố cáo 2018, Điều 24 khoản 1 (07 ngày làm việc)"
COSO = "Coso (mặc định, có thể cấu hình)"

POLICIES: list[Policy] = [
    # Reception days a month of the committee head, by level.
    Policy("citizens.reception_days.provincial", 1, dt.date(2019, 2, 18), QD11),
    Policy("citizens.reception_days.district", 1, dt.date(2019, 2, 18), QD11),
    Policy("citizens.reception_days.commune", 1, dt.date(2019, 2, 18), QD11),
    Policy("citizens.reception_days.provincial", 1, dt.date(2025, 11, 1), KL215),
    Policy("citizens.reception_days.district", 0, dt.date(2025, 11, 1), KL215),
    Policy("citizens.reception_days.commune", 2, dt.date(2025, 11, 1), KL215),
    # Complaints, calendar days (Luật Khiếu nại 2011 counts "ngày", not "ngày làm việc"). First complaint: accept
    # within 10 days (Art. 27), settle within 30 days, 45 if complex; remote areas 45, 60 if complex (Art. 28).
    Policy("citizens.complaint.accept_days", 10, dt.date(2012, 7, 1), LKN + ", Điều 27"),
    Policy("citizens.complaint.days", 30, dt.date(2012, 7, 1), LKN + ", Điều 28"),
    Policy("citizens.complaint.days_complex", 45, dt.date(2012, 7, 1), LKN + ", Điều 28"),
    Policy("citizens.complaint.days_remote", 45, dt.date(2012, 7, 1), LKN + ", Điều 28"),
    Policy("citizens.complaint.days_remote_complex", 60, dt.date(2012, 7, 1), LKN + ", Điều 28"),
    # Second complaint (khiếu nại lần hai): accept within 10 days (Art. 36), settle within 45 days, 60 if complex;
    # remote areas 60, 70 if complex (Art. 37).
    Policy("citizens.complaint2.accept_days", 10, dt.date(2012, 7, 1), LKN + ", Điều 36"),
    Policy("citizens.complaint2.days", 45, dt.date(2012, 7, 1), LKN + ", Điều 37"),
    Policy("citizens.complaint2.days_complex", 60, dt.date(2012, 7, 1), LKN + ", Điều 37"),
    Policy("citizens.complaint2.days_remote", 60, dt.date(2012, 7, 1), LKN + ", Điều 37"),
    Policy("citizens.complaint2.days_remote_complex", 70, dt.date(2012, 7, 1), LKN + ", Điều 37"),
    # Denunciations. Acceptance: the receiving body records, classifies and checks the conditions for accepting
    # within 07 *working* days of receipt ("07 ngày làm việc", Luật Tố cáo 2018, Art. 24 §1; up to 10 working days
    # when it must verify in several places). Settling: 30 (calendar) days from acceptance; a complex case may be
    # extended once, an especially complex case twice, by at most 30 days each, in writing (Art. 30 §1-4;
    # the criteria of "phức tạp" / "đặc biệt phức tạp" are in Nghị định 31/2019/NĐ-CP, Art. 3).
    Policy("citizens.denunciation.accept_working_days", 7, dt.date(2019, 1, 1), LTC24),
    Policy("citizens.denunciation.days", 30, dt.date(2019, 1, 1), LTC),
    Policy("citizens.denunciation.extension_days", 30, dt.date(2019, 1, 1), LTC),
    Policy("citizens.denunciation.max_extensions_complex", 1, dt.date(2019, 1, 1), LTC + " khoản 2"),
    Policy(
        "citizens.denunciation.max_extensions_especially_complex", 2, dt.date(2019, 1, 1), LTC + " khoản 3"
    ),
    # Reports and petitions: the category's working days; these are the defaults of a new category.
    Policy("citizens.report.working_days", 10, dt.date(2020, 1, 1), "Tổng đài 1022 TP.HCM; " + COSO),
    Policy("citizens.report.working_days_multi", 15, dt.date(2020, 1, 1), "Tổng đài 1022 TP.HCM; " + COSO),
    # Coso's own rules.
    Policy("citizens.escalate_after_working_days", 2, dt.date(2020, 1, 1), COSO),
    Policy("citizens.due_soon_working_days", 2, dt.date(2020, 1, 1), COSO),
    Policy("citizens.close_after_days", 14, dt.date(2020, 1, 1), COSO),
]


OVERRIDES_SETTING = "COSO_CITIZENS_POLICIES"


def policy(key: str, on: dt.date | None = None) -> Any:
    return policy_record(key, on).value


def policy_record(key: str, on: dt.date | None = None) -> Policy:
    """The rule `key` in force on `on` (today when omitted); before the first entry, the first entry.

    An operator overrides a value for the whole installation with the environment variable
    COSO_CITIZENS_POLICIES, a JSON object (e.g. ``{"citizens.escalate_after_working_days": 3}``), read into the
    setting of the same name and checked at start-up (`check_settings`).
    """
    overrides = getattr(settings, OVERRIDES_SETTING, None) or {}
    return lookup(POLICIES, key, on, overrides, OVERRIDES_SETTING)


def check_settings() -> None:
    """Unknown keys or values of the wrong type in COSO_CITIZENS_POLICIES stop the start with a clear error."""
    check_overrides(OVERRIDES_SETTING, getattr(settings, OVERRIDES_SETTING, None) or {}, POLICIES)
