"""Import jobs: an uploaded file is checked (the report), then written on confirmation.

Small files are checked and written while the user waits; files with more rows than
settings.COSO_IMPORT_BACKGROUND_ROWS go to the background task (`tasks.import_job_run`) and the page polls the
progress stored on the job. The file is re-checked right before writing: the database may have changed since
the preview.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from coso.accounts import permissions
from coso.core.exceptions import CosoError, RuleViolation
from coso.orgs.models import Organization

from ..models import ImportJob, ImportStatus
from .pipeline import import_file
from .plan import plan_import
from .reader import CSV, FileProblem, file_format

logger = logging.getLogger(__name__)


def estimate_rows(data: bytes, name: str) -> int:
    """About how many rows the file has, without reading it all (decides foreground or background)."""
    try:
        kind = file_format(name, data[:8])
    except FileProblem:
        return 0
    if kind == CSV:
        return data.count(b"\n")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True)
        rows = workbook.worksheets[0].max_row if workbook.worksheets else 0
        workbook.close()
    except Exception:  # an unreadable workbook: the check reports why
        return 0
    return rows or len(data) // 100


def import_job_create(*, actor, organization: Organization, name: str, data: bytes) -> ImportJob:
    """Keep the uploaded file and check it now, or in the background when it is large."""
    permissions.authorize(actor, "members.import", organization.path)
    if len(data) > settings.COSO_IMPORT_MAX_BYTES:
        limit = settings.COSO_IMPORT_MAX_BYTES // (1024 * 1024) or 1
        raise RuleViolation(
            _("The file is larger than %(size)d MB.") % {"size": limit},
            fields={"file": [_("The file is larger than %(size)d MB.") % {"size": limit}]},
        )
    try:
        file_format(name, data[:8])
    except FileProblem as exc:
        raise RuleViolation(exc.message, fields={"file": [exc.message]})
    job = ImportJob(
        created_by=actor if getattr(actor, "pk", None) else None,
        organization=organization,
        original_name=name[:255],
        size=len(data),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.background = estimate_rows(data, name) > settings.COSO_IMPORT_BACKGROUND_ROWS
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    _start(job, commit=False)
    return job


def import_job_confirm(*, actor, job: ImportJob) -> ImportJob:
    """Write a checked job (again in the background when it is large)."""
    permissions.authorize(actor, "members.import", job.organization.path)
    if not job.can_confirm:
        raise RuleViolation(_("This import cannot be confirmed: it has errors or is already done."))
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.PENDING, done=0
    )
    if not updated:
        raise RuleViolation(_("This import is already being written."))
    job.refresh_from_db()
    _start(job, commit=True)
    return job


def _start(job: ImportJob, *, commit: bool) -> None:
    if job.background:
        from .tasks import import_job_run

        # Views and the CLI run in autocommit: the job row is saved before a worker can pick it up.
        import_job_run.enqueue(job.pk, commit)
    else:
        import_job_execute(job.pk, commit=commit)
        job.refresh_from_db()


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done=done, total=total)

    return report


def _write_progress(job_id: int):
    """Progress of the write, and how to close what reports it.

    The write is one transaction, so progress saved through the import's own connection would show only at the
    end. On PostgreSQL it goes through a second connection in autocommit, which the polling page sees at once;
    SQLite has one writer at a time, so there the bar waits for the end.
    """
    if connection.vendor != "postgresql":
        return None, lambda: None
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = connection.ops.quote_name(ImportJob._meta.db_table)

    update = f"UPDATE {table} SET done = %s, total = %s WHERE id = %s"  # noqa: S608 - the model's own table

    def report(done: int, total: int) -> None:
        with side.cursor() as cursor:
            cursor.execute(update, [done, total, job_id])

    return report, side.close


def import_job_execute(job_id: int, *, commit: bool) -> None:
    """Check the job's file and, when `commit` and it is clean, write it. Runs in a request or in the worker."""
    job = ImportJob.objects.select_related("organization", "created_by").get(pk=job_id)
    actor = job.created_by
    if actor is None:
        actor = permissions.SYSTEM
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            _execute(job, actor, commit=commit)
        except CosoError as exc:
            _finish(job, ImportStatus.FAILED, error=str(exc.message))
        except Exception as exc:  # the job must never stay "running" forever
            logger.exception("member import %s failed", job.pk)
            _finish(job, ImportStatus.FAILED, error=_("Unexpected error: %(error)s") % {"error": exc})


def _execute(job: ImportJob, actor, *, commit: bool) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, done=0)
    with job.file.open("rb") as handle:
        data = handle.read()
    if commit:
        _check_and_write(job, actor, data)
        return
    report = plan_import(
        data, job.original_name, actor=actor, into=job.organization, progress=_progress(job.pk)
    )
    job.report = report.as_dict()
    if report.ok:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKED, report=job.report)
    else:
        # Nothing can be written from this file: the job is over.
        _finish(job, ImportStatus.CHECKED, report=job.report)


def _check_and_write(job: ImportJob, actor, data: bytes) -> None:
    """The confirmed job: the file is checked again (the database may have changed since the preview) and
    written if still clean, in one pass (pipeline.import_file)."""
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.WRITING, done=0)
    side, close = _write_progress(job.pk)
    try:
        report, result = import_file(
            data,
            job.original_name,
            actor=actor,
            into=job.organization,
            checking=side or _progress(job.pk),
            writing=side,
        )
    finally:
        close()
    job.report = report.as_dict()
    if result is None:
        _finish(job, ImportStatus.CHECKED, report=job.report)
        return
    written = result["created"] + result["updated"]
    _finish(job, ImportStatus.DONE, report=job.report, result=result, done=written, total=written)


def _finish(job: ImportJob, status: str, **fields) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now(), **fields)
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
