"""What a restructuring will do, in sentences an office checks before confirming (the confirmation page).

The counts come from the tree's selectors and from every app's `handover_preview` receiver (see `signals`), so
the page names each consequence that the service will carry out.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import selectors, services, signals
from .models import Organization


def _names(orgs) -> str:
    return ", ".join(o.name for o in orgs)


def restructuring_preview(kind: str, form) -> list[str]:
    """What the restructuring will do, in sentences an office can check before confirming."""
    data = form.cleaned_data
    on = data["effective_on"].strftime("%d/%m/%Y")
    if kind == "merge":
        return _merge_preview(data, on)
    if kind == "split":
        kwargs = form.service_kwargs()
        lines = []
        for part in kwargs["parts"]:
            lines.append(
                _("%(name)s (code %(code)s) will be created with %(m)d members.")
                % {"name": part["name"], "code": part["code"], "m": len(part["member_ids"])}
            )
        heir = kwargs["parts"][kwargs["takes_over"]]["name"]
        lines += _handover_lines(
            services.handover_preview(
                kind="split", source=form.source_org, parts=[], successor=None, on=data["effective_on"]
            ),
            heir,
        )
        children = selectors.active_children_count([form.source_org])
        if children:
            lines.append(
                _("Its %(c)d sub-organizations will move under %(heir)s.") % {"c": children, "heir": heir}
            )
        lines += _seat_lines([form.source_org], data["effective_on"])
        lines.append(
            _("%(name)s will be marked split on %(on)s; nothing is deleted.")
            % {"name": form.source_org.name, "on": on}
        )
        return lines
    if kind == "move":
        org, parent = data["org"], data["new_parent"]
        descendants = selectors.organization_subtree(org, include_self=False).count()
        return [
            _("%(name)s and its %(c)d sub-organizations will move under %(parent)s on %(on)s.")
            % {"name": org.name, "c": descendants, "parent": parent.name, "on": on},
            _("Its members stay in it."),
        ]
    if kind == "rename":
        return [
            _("%(old)s will be renamed %(new)s on %(on)s.")
            % {"old": data["org"].name, "new": data["new_name"], "on": on}
        ]
    org = data["org"]
    lines = []
    if org.parent is not None:
        lines += _handover_lines(
            services.handover_preview(
                kind="dissolve", source=org, parts=[], successor=org.parent, on=data["effective_on"]
            ),
            org.parent.name,
        )
    lines += _seat_lines([org], data["effective_on"])
    lines.append(
        _(
            "%(name)s will be marked dissolved on %(on)s; its supervision assignments end and its role grants are "
            "revoked. Nothing is deleted."
        )
        % {"name": org.name, "on": on}
    )
    return lines


def _handover_lines(totals: dict[str, int], heir: str) -> list[str]:
    """One sentence per kind of open matter the successor takes over (what the other apps hang on the org)."""
    totals = {key: n for key, n in totals.items() if key not in ("members_moved", "members_carried")}
    return [
        _("%(heir)s takes over %(label)s: %(n)d.") % {"heir": heir, "label": label, "n": n}
        for label, n in signals.labelled(totals)
    ]


def _seat_lines(orgs: list[Organization], on) -> list[str]:
    seats = selectors.open_seats(orgs)
    if not seats:
        return []
    return [
        _("The %(n)d committee seats of %(names)s end on %(on)s.")
        % {"n": seats, "names": _names(orgs), "on": on.strftime("%d/%m/%Y")}
    ]


def _merge_preview(data: dict, on: str) -> list[str]:
    sources = list(data["sources"])
    target = data.get("target")
    target_name = target.name if target else data["new_name"]
    totals: dict[str, int] = {}
    for org in sources:
        for key, n in services.handover_preview(
            kind="merge", source=org, parts=[(target, None)], successor=target, on=data["effective_on"]
        ).items():
            totals[key] = totals.get(key, 0) + n
    direct, carried = totals.get("members_moved", 0), totals.get("members_carried", 0)
    children = selectors.active_children_count(sources)
    lines = []
    if target is None:
        lines.append(
            _("A new organization %(name)s (code %(code)s) will be created.")
            % {"name": data["new_name"], "code": data["new_code"]}
        )
    lines += [
        _("%(m)d members and %(c)d sub-organizations will move to %(target)s on %(on)s.")
        % {"m": direct + carried, "c": children, "target": target_name, "on": on},
        _("Of these members, %(d)d are recorded directly in %(names)s and %(s)d stay in their own cells.")
        % {"d": direct, "s": carried, "names": _names(sources)},
    ]
    residential = [org for org in sources if org.residential]
    if residential and not (target and target.residential):
        lines.append(
            _("%(target)s will be a residential area on the citizens' portal, as %(names)s was.")
            % {"target": target_name, "names": _names(residential)}
        )
    lines += _handover_lines(totals, target_name)
    committee_from = data.get("committee_from")
    others = [org for org in sources if committee_from is None or org.pk != committee_from.pk]
    if committee_from is not None:
        seats = selectors.open_seats([committee_from])
        lines.append(
            _("The current committee of %(source)s (%(n)d seats) carries over to %(target)s.")
            % {"source": committee_from.name, "n": seats, "target": target_name}
        )
    elif target is None:
        lines.append(
            _(
                "%(target)s will have no committee yet: appoint its secretary and committee after the merge "
                "(reception days and approvals need them)."
            )
            % {"target": target_name}
        )
    lines += _seat_lines(others, data["effective_on"])
    lines.append(
        _("%(names)s will be marked merged into %(target)s; nothing is deleted.")
        % {"names": _names(sources), "target": target_name}
    )
    return lines
