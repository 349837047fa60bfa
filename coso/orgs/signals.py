"""What hangs on an organization follows it when it stops.

`orgs` restructures the tree but does not know what the other apps hang on an organization: its members, open
feedback items, planned reception days, commitments, campaigns... When an organization stops (merged into
another, split into new ones, dissolved), the restructuring service sends `organization_handover` inside its
transaction, once per stopping organization and before its sub-organizations move, then `members_handover`
for the members' own move. Each app's receiver moves its
live records to the successor and returns a list of `Handover` lines; the lines are kept on the
`RestructuringEvent` so the record says what went where. `handover_preview` asks the same question without
writing, for the confirmation page, so the office sees every consequence before it confirms.

Arguments of both signals (keyword):
- `kind`: "merge", "split" or "dissolve";
- `source`: the organization that stops;
- `parts`: where its members go, a list of (organization, member ids or None for all of them); empty when
  dissolved (members must have left first). In a preview of a merge into a new organization the organization
  is None;
- `successor`: the organization that takes over open matters (the merge target, the split part chosen by the
  office, the parent of a dissolved organization); None in a preview when it is still to be created;
- `effective_on`: the date; `actor`: who records it (handover only).

A receiver raises `RuleViolation` to refuse (the transaction rolls back).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal
from django.utils.translation import gettext_lazy

organization_handover = Signal()
# Sent right after `organization_handover` (same arguments): the members move last, so the receivers of the
# first signal still find the stopping organization's people in it (to notify them of a cancelled meeting...).
members_handover = Signal()
handover_preview = Signal()

# Labels of the handover keys, filled by the receivers' modules (lazy strings: shown in the reader's language).
# The tree's own: seats of a committee carried to the new organization, seats that ended with the old ones.
HANDOVER_LABELS: dict[str, object] = {
    "seats_carried": gettext_lazy("committee seats carried over"),
    "seats_ended": gettext_lazy("committee seats ended"),
    "sub_organizations": gettext_lazy("sub-organizations"),
}


@dataclass(frozen=True)
class Handover:
    key: str  # stable: stored in the event's details and given by the API
    count: int


def register_labels(labels: dict[str, object]) -> None:
    HANDOVER_LABELS.update(labels)


def collect(signal: Signal, totals: dict[str, int] | None = None, **kwargs) -> dict[str, int]:
    """Send `signal` and add every receiver's lines to `totals` (key -> count), which is returned."""
    totals = {} if totals is None else totals
    for _receiver, response in signal.send(sender=None, **kwargs):
        for line in response or ():
            totals[line.key] = totals.get(line.key, 0) + line.count
    return totals


def labelled(totals: dict[str, int]) -> list[tuple[str, int]]:
    """Handover totals as (label, count) in the reader's language, leaving out what had nothing to move."""
    return [(str(HANDOVER_LABELS.get(key, key)), count) for key, count in totals.items() if count]
