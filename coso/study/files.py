"""Uploaded study files (documents, learning reports): PDF or DOCX only, size-capped, checked by content."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from coso.core.exceptions import RuleViolation

MAX_BYTES = 10 * 1024 * 1024
EXTENSIONS = {".pdf": "pdf", ".docx": "docx"}


def _kind_of(head: bytes, data_file) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            data_file.seek(0)
            with zipfile.ZipFile(data_file) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def check_upload(upload, *, field: str = "file") -> str:
    """Return "pdf" or "docx"; refuse anything else, anything renamed, and anything over 10 MB."""
    name = (getattr(upload, "name", "") or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in EXTENSIONS:
        message = _("Upload a PDF or Word (.docx) file.")
        raise RuleViolation(message, fields={field: [message]})
    if upload.size > MAX_BYTES:
        message = _("The file is larger than 10 MB.")
        raise RuleViolation(message, fields={field: [message]})
    upload.seek(0)
    head = upload.read(8)
    kind = _kind_of(head, upload)
    upload.seek(0)
    if kind != EXTENSIONS[extension]:
        message = _("The file's content is not a PDF or Word document.")
        raise RuleViolation(message, fields={field: [message]})
    return kind


def docx_text(upload, *, limit: int = 50000) -> str:
    """The paragraphs of a DOCX file, for search (a PDF would need a parser: not worth it here)."""
    from docx import Document as DocxDocument

    upload.seek(0)
    try:
        document = DocxDocument(io.BytesIO(upload.read()))
    except Exception:  # a damaged file still uploads; it is just not searchable by its text
        return ""
    finally:
        upload.seek(0)
    return "\n".join(p.text for p in document.paragraphs)[:limit]
