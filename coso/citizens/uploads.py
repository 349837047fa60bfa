"""Checks on what citizens send: photos and PDF documents only, size-limited, and text without HTML."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from coso.core.exceptions import RuleViolation

from .models import AttachmentKind

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
IMAGE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
PDF_MAGIC = b"%PDF-"
# A tag, a comment, an entity-encoded tag or a script URL: citizens write plain text.
HTML_PATTERN = re.compile(r"<\s*[a-zA-Z!/?]|&lt;|&#0*60;|&#x0*3c;|javascript:", re.IGNORECASE)


def contains_html(text: str) -> bool:
    return bool(text and HTML_PATTERN.search(text))


def reject_html(fields: dict[str, str]) -> None:
    """Refuse the whole submission when any text field carries markup (rather than silently altering it)."""
    errors = {
        name: [_("Please write plain text, without HTML tags.")]
        for name, value in fields.items()
        if contains_html(value or "")
    }
    if errors:
        raise RuleViolation(_("Please write plain text, without HTML tags."), fields=errors, code="html")


def check_upload(upload: UploadedFile, *, field: str = "files") -> tuple[str, str]:
    """(kind, safe file name) of an accepted upload; RuleViolation naming the file otherwise.

    Images are opened and verified with Pillow (a renamed file or an SVG is refused); documents must be PDFs
    (magic bytes). Nothing else is accepted.
    """
    name = Path(upload.name or "file").name[:100]
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        message = _("The file %(name)s is larger than 5 MB.") % {"name": name}
        raise RuleViolation(message, fields={field: [message]}, code="file_too_large")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return AttachmentKind.DOCUMENT, f"{uuid.uuid4().hex}.pdf"
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        message = _("The file %(name)s is not a photo (JPEG, PNG, WebP) or a PDF document.") % {"name": name}
        raise RuleViolation(message, fields={field: [message]}, code="file_type")
    return AttachmentKind.PHOTO, f"{uuid.uuid4().hex}{IMAGE_FORMATS[image_format]}"


def check_uploads(uploads, *, field: str = "files") -> list[tuple[UploadedFile, str, str]]:
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_FILES:
        message = _("At most %(n)d files can be attached.") % {"n": MAX_FILES}
        raise RuleViolation(message, fields={field: [message]}, code="too_many_files")
    return [(upload, *check_upload(upload, field=field)) for upload in uploads]
