"""The library: documents in reach, a document's chain of versions, bookmarks."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from coso.accounts import permissions
from coso.core.text import fold

from ..models import Bookmark, Document
from .scope import reach_q, reaches


@dataclass
class DocumentFilters:
    q: str = ""
    kind: str = ""
    validity: str = ""  # "" all, "in_force", "replaced"
    bookmarked: bool = False


def document_list(*, actor, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """Documents the actor may read; words are matched without diacritics (NFC or NFD input alike)."""
    filters = filters or DocumentFilters()
    qs = Document.objects.filter(reach_q(actor))
    for word in fold(filters.q).split(" "):
        if word:
            qs = qs.filter(search_folded__contains=word)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.validity == "in_force":
        qs = qs.filter(replaced_by__isnull=True)
    elif filters.validity == "replaced":
        qs = qs.filter(replaced_by__isnull=False)
    if filters.bookmarked:
        qs = qs.filter(bookmarks__user=actor)
    bookmarked = Bookmark.objects.filter(document=OuterRef("pk"), user_id=getattr(actor, "pk", None))
    return (
        qs.select_related("organization", "replaced_by")
        .annotate(is_bookmarked=Exists(bookmarked))
        .defer("file_text", "search_folded")
        .order_by("-issued_on", "-id")
    )


def access_document(actor, pk, *, perm: str = "study.view") -> Document:
    try:
        document = Document.objects.select_related("organization", "replaced_by").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not reaches(actor, document.organization.path):
        raise Http404
    if perm != "study.view" and not permissions.can(actor, perm, document.organization.path):
        raise PermissionDenied
    return document


def document_chain(document: Document, *, limit: int = 20) -> tuple[list[Document], list[Document]]:
    """The documents it replaced (older, nearest first) and those that replaced it (newer, in order)."""
    newer: list[Document] = []
    step = document.replaced_by
    while step is not None and len(newer) < limit:
        newer.append(step)
        step = step.replaced_by
    older: list[Document] = []
    frontier = [document.pk]
    seen = {document.pk}
    while frontier and len(older) < limit:
        found = list(Document.objects.filter(replaced_by__in=frontier).order_by("-issued_on"))
        found = [d for d in found if d.pk not in seen]
        seen.update(d.pk for d in found)
        older.extend(found)
        frontier = [d.pk for d in found]
    return older, newer


def is_bookmarked(actor, document: Document) -> bool:
    return Bookmark.objects.filter(user_id=getattr(actor, "pk", None), document=document).exists()
