"""Dated rules of the citizens app (same `Policy` shape as coso.core.policies): reception days, legal time
limits for complaints and denunciations, and Coso's own defaults for escalation and closing.

Units: "working days" are counted with coso.core.workdays; the laws' "days" are calendar days whose last day,
when it is a day off, moves to the next working day (Civil Code 2015, Art. 148).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from coso.core.policies import Policy

QD11 = "QĐ 11-QĐi/TW (18/02/2019), Điều 4"
KL215 = "QĐ 11-QĐi/TW sửa đổi theo KL 215-KL/TW (11/2025)"
LKN = "Luật Khiếu nại 2011"
LTC = "Luật Tố cáo 2018, Điều 30"
COSO = "Coso (mặc định, có thể cấu hình)"

POLICIES: list[Policy] = [
    # Reception days a month of the committee head, by level.
    Policy("citizens.reception_days.provincial", 1, dt.date(2019, 2, 18), QD11),
    Policy("citizens.reception_days.district", 1, dt.date(2019, 2, 18), QD11),
    Policy("citizens.reception_days.commune", 1, dt.date(2019, 2, 18), QD11),
    Policy("citizens.reception_days.provincial", 1, dt.date(2025, 11, 1), KL215),
    Policy("citizens.reception_days.district", 0, dt.date(2025, 11, 1), KL215),
    Policy("citizens.reception_days.commune", 2, dt.date(2025, 11, 1), KL215),
    # Complaints (first complaint), calendar days.
    Policy("citizens.complaint.accept_days", 10, dt.date(2012, 7, 1), LKN + ", Điều 27"),
    Policy("citizens.complaint.days", 30, dt.date(2012, 7, 1), LKN + ", Điều 28"),
    Policy("citizens.complaint.days_complex", 45, dt.date(2012, 7, 1), LKN + ", Điều 28"),
    Policy("citizens.complaint.days_remote", 45, dt.date(2012, 7, 1), LKN + ", Điều 28"),
    Policy("citizens.complaint.days_remote_complex", 60, dt.date(2012, 7, 1), LKN + ", Điều 28"),
    # Denunciations, calendar days from acceptance; extensions in writing.
    Policy("citizens.denunciation.accept_days", 7, dt.date(2019, 1, 1), "Luật Tố cáo 2018, Điều 29"),
    Policy("citizens.denunciation.days", 30, dt.date(2019, 1, 1), LTC),
    Policy("citizens.denunciation.extension_days", 30, dt.date(2019, 1, 1), LTC),
    Policy("citizens.denunciation.max_extensions", 2, dt.date(2019, 1, 1), LTC),
    # Reports and petitions: the category's working days; these are the defaults of a new category.
    Policy("citizens.report.working_days", 10, dt.date(2020, 1, 1), "Tổng đài 1022 TP.HCM; " + COSO),
    Policy("citizens.report.working_days_multi", 15, dt.date(2020, 1, 1), "Tổng đài 1022 TP.HCM; " + COSO),
    # Coso's own rules.
    Policy("citizens.escalate_after_working_days", 2, dt.date(2020, 1, 1), COSO),
    Policy("citizens.due_soon_working_days", 2, dt.date(2020, 1, 1), COSO),
    Policy("citizens.close_after_days", 14, dt.date(2020, 1, 1), COSO),
]


def policy(key: str, on: dt.date | None = None) -> Any:
    return policy_record(key, on).value


def policy_record(key: str, on: dt.date | None = None) -> Policy:
    """The rule `key` in force on `on` (today when omitted); before the first entry, the first entry.

    An operator can override a value for the whole installation with the setting COSO_CITIZENS_POLICIES
    (e.g. ``{"citizens.escalate_after_working_days": 3}``).
    """
    overrides = getattr(settings, "COSO_CITIZENS_POLICIES", None) or {}
    if key in overrides:
        return Policy(key, overrides[key], dt.date.min, "COSO_CITIZENS_POLICIES")
    on = on or dt.date.today()
    rows = sorted((p for p in POLICIES if p.key == key), key=lambda p: p.effective_from)
    if not rows:
        raise KeyError(key)
    in_force = [p for p in rows if p.effective_from <= on]
    return in_force[-1] if in_force else rows[0]
