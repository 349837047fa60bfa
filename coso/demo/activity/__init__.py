"""The activity of a generated province (`coso generate`): a year of cell meetings with attendance and minutes,
study campaigns with learning reports, citizens' feedback with reception days and dialogues, commitments, and
last year's finished year-end review.

Written in bulk, commune by commune (one transaction each, so memory stays flat), from what is in the database:
it works right after the members are generated and on a province generated earlier (`--activity-only`). Each
commune draws from its own random generator seeded by the seed and the commune's code, so the same seed and
reference date give the same activity either way. The rules each writer follows are in its module docstring.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import reset_queries, transaction

from coso.citizens.models import Feedback
from coso.meetings.models import Meeting
from coso.orgs.models import CELL_KINDS, Organization

from . import citizens, study
from .commitments import CommitmentWriter
from .meetings import MeetingWriter
from .reviews import ReviewWriter
from .roster import load_roster


class ActivityExists(Exception):
    pass


@dataclass
class ActivityResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _rng(seed: int, key: str) -> random.Random:
    # A string seed is hashed with SHA-512 by `random`: stable across runs and Python processes.
    return random.Random(f"coso-activity:{seed}:{key}")


def generate_activity(
    *,
    root: Organization,
    seed: int,
    as_of: dt.date,
    months: int = 12,
    batch_size: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> ActivityResult:
    """Fill every app for the province `root`; refuses if its cells already have meetings."""
    started = time.perf_counter()
    say = progress or (lambda _text: None)
    cells = Organization.objects.filter(path__startswith=root.path + ".", kind__in=CELL_KINDS)
    if Meeting.objects.filter(organization__in=cells).exists():
        raise ActivityExists(f"The province {root.code} already has meetings; use a fresh data set.")
    communes = list(Organization.objects.filter(parent=root).exclude(kind__in=CELL_KINDS).order_by("path"))
    with transaction.atomic():
        docs = study.documents(root, as_of)
        province_campaign = study.province_campaign(root, docs, as_of)
        categories = citizens.categories()
    meetings = MeetingWriter(rng=_rng(seed, "meetings"), as_of=as_of, months=months, batch_size=batch_size)
    learning = study.StudyWriter(
        rng=_rng(seed, "study"), as_of=as_of, docs=docs, province=province_campaign, batch_size=batch_size
    )
    feedback = citizens.CitizensWriter(
        rng=_rng(seed, "citizens"),
        as_of=as_of,
        root=root,
        cats=categories,
        used_codes=set(Feedback.objects.values_list("code", flat=True)),
        batch_size=batch_size,
    )
    commitments = CommitmentWriter(
        rng=_rng(seed, "commitments"), as_of=as_of, root=root, batch_size=batch_size
    )
    with transaction.atomic():
        ratings = ReviewWriter(rng=_rng(seed, "reviews"), as_of=as_of, root=root, batch_size=batch_size)
    for index, commune in enumerate(communes):
        roster = load_roster(commune)
        with transaction.atomic():
            for name, writer in (
                ("meetings", meetings),
                ("study", learning),
                ("citizens", feedback),
                ("commitments", commitments),
                ("reviews", ratings),
            ):
                writer.rng = _rng(seed, f"{name}:{commune.code}")
                writer.write(roster)
        reset_queries()  # DEBUG keeps the last 9,000 queries, and bulk INSERTs are large (see generate.py)
        say(
            f"activity {index + 1}/{len(communes)} communes: {meetings.meetings} meetings, "
            f"{meetings.attendance} attendance rows, {learning.reports} reports, {feedback.feedback} feedback, "
            f"{time.perf_counter() - started:.0f} s"
        )
    with transaction.atomic():
        commitments.finish()
    counts = {
        "meetings": meetings.meetings,
        "attendance": meetings.attendance,
        "minutes": meetings.minutes,
        "campaigns": learning.campaigns,
        "learning reports": learning.reports,
        "feedback": feedback.feedback,
        "feedback updates": feedback.updates,
        "reception days": feedback.reception_days,
        "dialogues": feedback.dialogues,
        "hard tasks": commitments.tasks,
        "hard task updates": commitments.updates,
        "reviews": ratings.reviews,
        "rating steps": ratings.steps,
    }
    return ActivityResult(counts, time.perf_counter() - started)
