"""Creating and editing an organization."""

from __future__ import annotations

from django.http import HttpRequest

from coso.core.patching import refuse_unwritable, sent_fields

from .. import services
from ._common import _access, _detail, router
from .schemas import OrgCreateIn, OrgDetailOut, OrgUpdateIn


@router.post(
    "/", response={201: OrgDetailOut}, url_name="organization_create", summary="Create an organization"
)
def organization_create(request: HttpRequest, payload: OrgCreateIn):
    parent = _access(request, payload.parent, "orgs.change")
    org = services.organization_create(
        actor=request.user,
        code=payload.code.strip(),
        name=payload.name,
        kind=payload.kind,
        parent=parent,
        address=payload.address,
        established_on=payload.established_on,
        residential=payload.residential,
    )
    return 201, _detail(request, org)


@router.patch(
    "/{int:org_id}", response=OrgDetailOut, url_name="organization_update", summary="Edit an organization"
)
def organization_update(request: HttpRequest, org_id: int, payload: OrgUpdateIn):
    """Send the fields to change (code, name, address, established_on) and the `version` you read.

    A stale version answers 409. Renaming by decision and moving are restructurings (dated, recorded)."""
    org = _access(request, org_id, "orgs.change")
    fields = sent_fields(request, payload)
    # Refused here too: an unknown key must not reach the service as a keyword argument.
    refuse_unwritable(fields, services.ORGANIZATION_EDITABLE_FIELDS)
    for name in ("code", "name", "address"):
        if fields.get(name) is None and name in fields:
            fields[name] = ""
    if fields.get("residential", False) is None:
        del fields["residential"]
    org = services.organization_update(
        actor=request.user, org=org, expected_version=payload.version, **fields
    )
    return _detail(request, org)
