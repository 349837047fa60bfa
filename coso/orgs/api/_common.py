"""The organizations router and the helpers its operations share (dates, paging, scope, output)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from coso.accounts import permissions
from coso.core.exceptions import CosoError, RuleViolation

from .. import selectors
from ..forms import DATE_INPUT_FORMATS
from ..models import Organization, RestructuringEvent, SupervisionAssignment

router = Router()


MAX_PAGE_SIZE = 100


def _parse_date(value):
    """Dates as ISO (yyyy-mm-dd) or as offices write them (dd/mm/yyyy)."""
    if isinstance(value, str):
        for fmt in DATE_INPUT_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    return value


def _ref(org) -> dict | None:
    return None if org is None else {"id": org.pk, "code": org.code, "name": org.name}


def _member(member) -> dict:
    return {"id": member.pk, "full_name": member.full_name}


def _org_out(org: Organization, counts: dict[str, int]) -> dict:
    return {
        "id": org.pk,
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "kind_label": str(org.get_kind_display()),
        "status": org.status,
        "status_label": str(org.get_status_display()),
        "parent_id": org.parent_id,
        "depth": org.depth,
        "address": org.address,
        "residential": org.residential,
        "established_on": org.established_on,
        "ended_on": org.ended_on,
        "successor_id": org.successor_id,
        "version": org.version,
        "counts": selectors.count_summary(counts),
    }


def _supervision_out(a: SupervisionAssignment) -> dict:
    return {
        "id": a.pk,
        "supervisor": _member(a.supervisor),
        "organization": _ref(a.organization),
        "assigned_by": _ref(a.assigned_by),
        "kind": a.kind,
        "kind_label": str(a.get_kind_display()),
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
    }


def _restructuring_out(event: RestructuringEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "effective_on": event.effective_on,
        "decision_number": event.decision_number,
        "note": event.note,
        "sources": [_ref(o) for o in event.sources.all()],
        "targets": [_ref(o) for o in event.targets.all()],
        "details": event.details,
        "recorded_by": str(event.recorded_by) if event.recorded_by_id else None,
    }


def _paging(page: int, page_size: int) -> None:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CosoError(
            _("Please correct the errors."),
            fields={"page_size" if page >= 1 else "page": [_("The value is out of range.")]},
            code="invalid",
        )


def _detail(request: HttpRequest, org: Organization) -> dict:
    counts = selectors.member_counts([org]).get(org.pk, {})
    data = _org_out(org, counts)
    data["ancestors"] = [_ref(a) for a in selectors.organization_ancestors(org)]
    data["warnings"] = [
        {"code": w.code, "message": w.message, "source": w.source}
        for w in selectors.structure_warnings(org, counts=counts)
    ]
    data["committees"] = [
        {
            "id": c.pk,
            "kind": c.kind,
            "kind_label": str(c.get_kind_display()),
            "term": {
                "id": c.term.pk,
                "name": c.term.name,
                "starts_on": c.term.starts_on,
                "ends_on": c.term.ends_on,
            },
            "positions": [
                {
                    "id": p.pk,
                    "title": p.title,
                    "title_label": p.label,
                    "member": _member(p.member),
                    "starts_on": p.starts_on,
                    "ends_on": p.ends_on,
                }
                for p in c.current_positions
            ],
        }
        for c in selectors.current_committees(org)
    ]
    data["supervisors"] = [
        _supervision_out(a)
        for a in selectors.supervision_list(actor=request.user, org=org).select_related("organization")
    ]
    data["supervises"] = [
        _supervision_out(a) for a in selectors.supervisions_assigned_by(org).select_related("assigned_by")
    ]
    return data


def _tree_out(node: selectors.TreeNode) -> dict:
    return {
        "id": node.org.pk,
        "code": node.org.code,
        "name": node.org.name,
        "kind": node.org.kind,
        "status": node.org.status,
        "counts": None if node.total_as_of is not None else selectors.count_summary(node.counts),
        "total_as_of": node.total_as_of,
        "has_children": node.has_children,
        "children": [_tree_out(child) for child in node.children],
    }


def _access(request: HttpRequest, pk: int, perm: str = "orgs.view") -> Organization:
    return selectors.access_organization(request.user, pk, perm=perm)


def _restructure_target(request: HttpRequest, pk: int) -> Organization:
    return _access(request, pk, "orgs.restructure")


def _member_in_scope(request: HttpRequest, pk: int, *, field: str):
    """A member the caller may see; an unknown or invisible one is a field error, not a leak."""
    from django.apps import apps

    Member = apps.get_model("members", "Member")  # noqa: N806 - a model class
    member = (
        Member.objects.filter(permissions.scope_q(request.user, "members.view", field="organization__path"))
        .select_related("organization")
        .filter(pk=pk)
        .first()
    )
    if member is None:
        raise RuleViolation(
            _("This member was not found."), fields={field: [_("This member was not found.")]}
        )
    return member
