"""The demo is written in Vietnamese even when the calling thread has English active: a test or a command run
under another language must not store English texts in the demo (the escalation notes of overdue feedback
once came out as "Overdue since ...", and the page walk flagged them only when the tests ran in that order)."""

from __future__ import annotations

import pytest
from django.utils import translation

from coso.citizens.models import FeedbackUpdate, UpdateKind
from coso.demo.loader import load_demo


@pytest.mark.django_db
def test_the_demo_stores_vietnamese_texts_whatever_language_is_active():
    with translation.override("en"):
        load_demo(scale=0.05)
        assert translation.get_language() == "en"  # the caller's language is given back
    notes = list(FeedbackUpdate.objects.filter(kind=UpdateKind.ESCALATED).values_list("text", flat=True))
    assert notes, "the demo escalates some overdue feedback"
    assert not [note for note in notes if "Overdue" in note or "escalated" in note]
