"""The library: documents, their files and new versions, bookmarks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from coso.accounts import permissions
from coso.core.concurrency import stamp
from coso.core.text import nfc
from coso.orgs.models import Organization

from .. import files
from ..models import Document
from ._common import _bump, _check_version, _fail, _full_clean, _lock, _no_html

DOCUMENT_FIELDS = ("kind", "number", "title", "issuing_body", "issued_on", "summary")


def _attach_document_file(document: Document, upload) -> None:
    kind = files.check_upload(upload)
    document.file = upload
    document.file_name = nfc(upload.name)[:255]
    document.file_size = upload.size
    document.file_text = files.docx_text(upload) if kind == "docx" else ""


def document_create(*, actor, organization: Organization, data: dict, upload=None) -> Document:
    """Add a document to the library of `organization` (its whole subtree reads it)."""
    permissions.authorize(actor, "study.manage_library", organization.path)
    document = Document(organization=organization, **{k: data.get(k) for k in DOCUMENT_FIELDS if k in data})
    document.summary = _no_html(document.summary, "summary")
    with transaction.atomic():
        if upload is not None:
            _attach_document_file(document, upload)
        _full_clean(document, exclude=["replaced_by"])
        stamp(document, actor).save()
    return document


def document_update(
    *, actor, document: Document, data: dict, expected_version: int | None, upload=None
) -> Document:
    permissions.authorize(actor, "study.manage_library", document.organization.path)
    with transaction.atomic():
        document = _lock(Document, document.pk)
        _check_version(document, expected_version)
        for name in DOCUMENT_FIELDS:
            if name in data:
                setattr(document, name, data[name])
        document.summary = _no_html(document.summary, "summary")
        if upload is not None:
            _attach_document_file(document, upload)
        _full_clean(document, exclude=["replaced_by"])
        _bump(document, actor)
        document.save()
    return document


def document_replace(
    *, actor, document: Document, replaced_by: Document | None, replaced_on: dt.date | None = None
) -> Document:
    """Mark `document` as replaced by a newer one (or in force again with None); the chain must not loop."""
    permissions.authorize(actor, "study.manage_library", document.organization.path)
    if replaced_by is not None:
        if replaced_by.pk == document.pk:
            raise _fail("replaced_by", _("A document cannot replace itself."))
        seen = {document.pk}
        step = replaced_by
        while step is not None:
            if step.pk in seen:
                raise _fail("replaced_by", _("This would make the documents replace each other in a loop."))
            seen.add(step.pk)
            step = step.replaced_by
        if replaced_by.issued_on < document.issued_on:
            raise _fail("replaced_by", _("The replacing document is older than the one it replaces."))
    with transaction.atomic():
        document = _lock(Document, document.pk)
        document.replaced_by = replaced_by
        document.replaced_on = (
            (replaced_on or (replaced_by.issued_on if replaced_by else None)) if replaced_by else None
        )
        _bump(document, actor)
        document.save()
    return document


def bookmark_toggle(*, actor, document: Document) -> bool:
    """Bookmark the document for the actor, or remove the bookmark; returns whether it is now bookmarked."""
    from ..models import Bookmark

    with transaction.atomic():
        deleted, _rows = Bookmark.objects.filter(user=actor, document=document).delete()
        if deleted:
            return False
        Bookmark.objects.create(user=actor, document=document)
        return True
