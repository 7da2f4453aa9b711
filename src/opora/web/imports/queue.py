"""Putting uploads on the background queue: a new upload job, a file run again, a school matched.

These write the job records and enqueue the tasks (:mod:`opora.web.imports.tasks`) after the
commit; the tasks do the work in :mod:`opora.web.imports.jobs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from opora.catalog import normalize_label
from opora.web.imports.jobs import HINT_FIELDS, spellings, unmatched_named
from opora.web.imports.models import UploadEntry, UploadJob
from opora.web.imports.targets import UploadTarget
from opora.web.imports.tasks import process_upload, rerun_entry
from opora.web.schools.models import School
from opora.web.schools.services import school_alias_confirm


def job_create(*, user: Any, target: UploadTarget, files: Sequence[UploadedFile],
               hints: dict[str, Any]) -> UploadJob:
    """Store the files with one entry each (queued) and enqueue the job after the commit."""
    hints = {k: v for k, v in hints.items() if k in HINT_FIELDS and v not in (None, "")}
    if target.school is not None:
        hints["school_key"] = target.school.key  # a school administrator loads only their school
    with transaction.atomic():
        job = UploadJob.objects.create(created_by=user, municipality=target.municipality,
                                       school=target.school, hints=hints)
        for position, upload in enumerate(files, start=1):
            name = PurePath(upload.name or f"файл {position}").name
            entry = UploadEntry(job=job, position=position, original_name=name)
            entry.file.save(name, upload, save=False)
            entry.save()
        transaction.on_commit(lambda: process_upload.enqueue(job.pk))
    return job


def entry_requeue(entry: UploadEntry, *, create_missing: bool,
                  skip_rejected: bool = False, replace: bool = False) -> None:
    """Run the file again in the background (after a school was matched or confirmed as new,
    or without its rejected rows as the coordinator chose, or replacing earlier data as the
    uploader agreed)."""
    entry.status, entry.message = UploadEntry.QUEUED, ""
    entry.save(update_fields=["status", "message", "updated_at"])
    transaction.on_commit(lambda: rerun_entry.enqueue(entry.pk, create_missing, skip_rejected,
                                                      replace))


def entry_match_school(*, entry: UploadEntry, key: str, school: School) -> int:
    """Record the file's spelling of an unknown school as the chosen school's alias; re-run.

    Only a school the file names by a name can be matched by alias (matching order in
    :mod:`opora.web.imports.matching`); the caller has checked ``school`` is in the job's
    municipality. Every rejected file of the same upload that names the school the same way is
    re-run too (a municipality's forms often repeat one spelling). Returns how many files re-run.
    """
    incoming = unmatched_named(entry, key)
    if incoming is None or not incoming.get("name"):
        raise ValueError(key)
    spelling = (normalize_label(incoming["name"]), normalize_label(incoming.get("municipality")))
    with transaction.atomic():
        school_alias_confirm(school=school, name=incoming["name"],
                             municipality_name=incoming.get("municipality", ""),
                             source=entry.original_name)
        rerun = [e for e in entry.job.entries.filter(status=UploadEntry.FAILED)
                 if e.pk == entry.pk or spelling in spellings(e)]
        for other in rerun:
            entry_requeue(other, create_missing=False)
    return len(rerun)
