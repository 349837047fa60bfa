"""What a review shows beside the form, read-only: the year's record gathered from the other apps.

Attendance comes from the meetings app, learning reports from the study app, discipline from the member's
events. A few queries for one member, whatever the size of the organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from coso.meetings import selectors as meetings
from coso.meetings.rules import MemberYear
from coso.members.models import EventKind, Member, MemberEvent
from coso.study.models import LearningReport, ReportStatus

from .grading import Facts


@dataclass(frozen=True)
class Evidence:
    year: int
    attendance: MemberYear
    reports_due: int
    reports_submitted: int
    reports_late: int
    discipline: tuple[MemberEvent, ...]
    # Remedies the member owns still open after their deadline (inspection), and the year's awards (emulation).
    remedies_overdue: tuple = ()
    awards: tuple = ()

    @property
    def attendance_percent(self) -> int | None:
        if not self.attendance.meetings:
            return None
        return round(100 * self.attendance.attended / self.attendance.meetings)

    @property
    def reports_missing(self) -> int:
        return self.reports_due - self.reports_submitted


def member_evidence(member: Member, *, year: int) -> Evidence:
    """The member's attendance, learning reports, discipline, overdue remedies and awards in `year`."""
    from coso.emulation.selectors import emulation_results
    from coso.inspection.selectors import overdue_remedies

    reports = LearningReport.objects.filter(member=member, due_on__year=year).values_list("status", "late")
    due = submitted = late = 0
    for status, was_late in reports:
        due += 1
        if status in (ReportStatus.SUBMITTED, ReportStatus.REVIEWED):
            submitted += 1
            late += bool(was_late)
    discipline = tuple(
        MemberEvent.objects.filter(member=member, kind=EventKind.DISCIPLINE, occurred_on__year=year).order_by(
            "occurred_on", "id"
        )
    )
    return Evidence(
        year=year,
        attendance=meetings.member_year(member, year=year),
        reports_due=due,
        reports_submitted=submitted,
        reports_late=late,
        discipline=discipline,
        remedies_overdue=tuple(overdue_remedies(member, year)),
        awards=tuple(emulation_results(year=year, member=member)["awards"]),
    )


@dataclass(frozen=True)
class CollectiveEvidence:
    year: int
    remedies_overdue: tuple
    awards: tuple
    scores: tuple
    # The decided ratings of the members of its subtree in the same cycle: (grade label, count), best first.
    members_rated: tuple = ()


def collective_evidence(organization, *, year: int, cycle=None) -> CollectiveEvidence:
    """An organization's year: its subtree's overdue remedies, its awards and emulation scores, and how its
    members were rated in the cycle (a collective's rating draws on them)."""
    from django.db.models import Count, Q

    from coso.emulation.selectors import emulation_results
    from coso.inspection.selectors import overdue_remedies

    from .grading import Grade
    from .models import AnnualReview, ReviewKind, ReviewStatus

    results = emulation_results(year=year, organization=organization)
    rated = ()
    if cycle is not None:
        path = organization.path
        counts = dict(
            AnnualReview.objects.filter(cycle=cycle, kind=ReviewKind.INDIVIDUAL, status=ReviewStatus.DECIDED)
            .filter(Q(organization__path=path) | Q(organization__path__startswith=path + "."))
            .values_list("grade")
            .annotate(n=Count("*"))
            .order_by()
        )
        rated = tuple((label, counts.get(value, 0)) for value, label in Grade.choices)
    return CollectiveEvidence(
        year=year,
        remedies_overdue=tuple(overdue_remedies(organization, year)),
        awards=tuple(results["awards"]),
        scores=tuple(results["scores"]),
        members_rated=rated,
    )


def member_facts(evidence: Evidence, *, score=None, concluded_finding: bool = False) -> Facts:
    """The grading engine's facts for an individual: every discipline form is a reprimand or worse. A
    degradation finding caps the rating only when the competent level concluded it (an inspection's
    conclusion), not because the member marked an item in their own self-check."""
    return Facts(score=score, disciplined=bool(evidence.discipline), degradation_finding=concluded_finding)
