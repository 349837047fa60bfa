"""The 27 manifestations of degradation, "self-evolution" and "self-transformation" (NQ 04-NQ/TW, 30/10/2016;
continued by KL 21-KL/TW, 25/10/2021), coded A1-C9 for tagging self-reviews, criticism and inspection findings.

The labels are short paraphrases (DOMAIN.md §4), not the resolution's text. A self-check records a finding on
any item the member marks; none is ever preset.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ManifestationGroup(models.TextChoices):
    A = "A", _("Political ideology")
    B = "B", _("Ethics and lifestyle")
    C = "C", _("Self-evolution and self-transformation")


class Manifestation(models.TextChoices):
    A1 = "A1", _("Fading ideals; doubting Marxism-Leninism and Ho Chi Minh Thought")
    A2 = "A2", _("Drifting from the Party's aims; echoing wrong views")
    A3 = "A3", _("Undervaluing theory; lazy study")
    A4 = "A4", _("Ignoring organisational principles; weak drive, careless work")
    A5 = "A5", _("Not fighting wrong views; going along, avoiding conflict")
    A6 = "A6", _("Words not matching deeds")
    A7 = "A7", _("Imposing one's views; ignoring democratic centralism")
    A8 = "A8", _("Avoiding hard work; chasing posts and votes")
    A9 = "A9", _("Favouring relatives and factions in personnel work")
    B1 = "B1", _("Individualism, opportunism, envy")
    B2 = "B2", _("Competing for power, localism, autocratic style")
    B3 = "B3", _("Dishonest declaration of assets")
    B4 = "B4", _("Hiding faults, showing off")
    B5 = "B5", _("Bureaucracy, indifference to the people")
    B6 = "B6", _("Waste and extravagance")
    B7 = "B7", _("Corruption, abuse of power, group interests")
    B8 = "B8", _("Manipulating personnel work, buying posts")
    B9 = "B9", _("Dissolute life; breaching family ethics")
    C1 = "C1", _("Denying Marxism-Leninism and democratic centralism; demanding multi-party rule")
    C2 = "C2", _("Denying the socialist rule-of-law state or public land ownership")
    C3 = "C3", _("Acting against the Party line; distorting history, slandering leaders")
    C4 = "C4", _("Stirring dissent; smearing the Party on social media")
    C5 = "C5", _("Denying the Party's absolute leadership of the armed forces")
    C6 = "C6", _("Colluding with hostile forces; joining illegal groups")
    C7 = "C7", _("Distorting foreign policy")
    C8 = "C8", _("Spreading harmful works and information")
    C9 = "C9", _("Extremism, narrow nationalism, exploiting ethnicity or religion")


def group_of(code: str) -> ManifestationGroup:
    return ManifestationGroup(Manifestation(code).value[0])


def by_group() -> dict[ManifestationGroup, list[Manifestation]]:
    """The checklist as the self-review form shows it: three groups of nine, in order."""
    return {
        group: [item for item in Manifestation if item.value[0] == group.value]
        for group in ManifestationGroup
    }
