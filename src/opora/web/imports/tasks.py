"""Background tasks of the import page (django-tasks; the worker is ``opora worker``)."""

from __future__ import annotations

from django_tasks import task

from opora.web.imports.jobs import entry_run, job_run


@task()
def process_upload(job_id: int) -> None:
    """Import the files of one upload job, one after another."""
    job_run(job_id)


@task()
def rerun_entry(entry_id: int, create_missing: bool, skip_rejected: bool = False,
                replace: bool = False) -> None:
    """Import one file again (its unknown schools matched, or confirmed as new, or without the
    rejected rows as the coordinator chose, or replacing earlier data as the uploader agreed)."""
    entry_run(entry_id, create_missing=create_missing, skip_rejected=skip_rejected,
              replace=replace)
