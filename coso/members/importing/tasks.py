"""Background task for large member imports (django.tasks API; the worker is `coso worker`)."""

from __future__ import annotations

from django_tasks import task

from .jobs import import_job_execute


@task()
def import_job_run(job_id: int, commit: bool) -> None:
    import_job_execute(job_id, commit=commit)
