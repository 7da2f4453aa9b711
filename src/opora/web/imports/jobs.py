"""Upload jobs: create one from the page, run its files one by one, resolve unknown schools.

Each file is imported by :func:`opora.web.imports.services.import_file`, all or nothing in its
own transaction: one file's refusal leaves the files before and after it as they are. The entry
records what the import said, so the page can show progress and then the result per file.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from opora.catalog import normalize_label
from opora.formats import ReadHints
from opora.web.core.background import INTERRUPTED, heartbeat, queued_task_ids, stale_before
from opora.web.imports.models import UploadEntry, UploadJob
from opora.web.imports.outcome import ImportOutcome
from opora.web.imports.services import import_file
from opora.web.imports.targets import UploadTarget, job_target
from opora.web.schools.models import School
from opora.web.schools.services import school_alias_confirm

logger = logging.getLogger(__name__)

HINT_FIELDS = ("procedure", "subject", "grade", "year", "school_key")
ENTRY_INTERRUPTED = (f"{INTERRUPTED} Нажмите «Обработать заново» или загрузите файл ещё раз.")
INTERNAL_ERROR = ("Файл не удалось обработать из-за внутренней ошибки программы; ничего не "
                  "сохранено. Сообщите администратору номер загрузки.")


def job_create(*, user: Any, target: UploadTarget, files: Sequence[UploadedFile],
               hints: dict[str, Any]) -> UploadJob:
    """Store the files with one entry each (queued) and enqueue the job after the commit."""
    from opora.web.imports.tasks import process_upload

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


def job_run(job_id: int) -> None:
    """Import every queued file of the job, in order."""
    queued = UploadEntry.objects.filter(job_id=job_id, status=UploadEntry.QUEUED)
    for entry_id in queued.values_list("pk", flat=True):
        entry_run(entry_id)


def entry_run(entry_id: int, *, create_missing: bool = False) -> UploadEntry:
    """Import one queued file and record the outcome on its entry; never raises for a bad file.

    A file that is no longer queued (reset as interrupted meanwhile, or a task delivered twice)
    is left as it is.
    """
    entry = UploadEntry.objects.select_related(
        "job__municipality__region", "job__school", "job__created_by").get(pk=entry_id)
    claimed = UploadEntry.objects.filter(pk=entry_id, status=UploadEntry.QUEUED).update(
        status=UploadEntry.RUNNING, updated_at=timezone.now())
    if not claimed:
        return entry
    entry.status = UploadEntry.RUNNING
    job = entry.job
    try:
        with heartbeat(lambda: UploadEntry.objects.filter(pk=entry_id, status=UploadEntry.RUNNING)
                       .update(updated_at=timezone.now())):
            outcome = import_file(
                path=entry.file.path, user=job.created_by, hints=ReadHints(**job.hints),
                municipality=job.municipality, create_missing_schools=create_missing,
                scope=job_target(job).scope())
    except Exception:  # the page must say something; the traceback goes to the log only
        logger.exception("upload %s, file %s: import crashed", job.pk, entry.original_name)
        entry.status, entry.message, entry.problems_count = UploadEntry.FAILED, INTERNAL_ERROR, 0
        entry.save()
        return entry
    _record(entry, outcome)
    return entry


def _record(entry: UploadEntry, outcome: ImportOutcome) -> None:
    status = {"succeeded": UploadEntry.DONE, "failed": UploadEntry.FAILED,
              "duplicate": UploadEntry.DUPLICATE}[outcome.status]
    batch = outcome.batch
    entry.status, entry.batch, entry.message = status, batch, outcome.summary()
    if status == UploadEntry.DUPLICATE:
        entry.counts, entry.schools_matched, entry.problems_count = {}, 0, 0
        entry.unmatched = []
    else:
        read = {k: v for k, v in batch.counts.items() if k != "written"}
        entry.counts = {"read": read, "written": outcome.written}
        entry.schools_matched = batch.schools_matched
        entry.problems_count = len(outcome.problems) + len(outcome.warnings)
        entry.unmatched = outcome.unmatched_schools
    entry.save()


def entry_requeue(entry: UploadEntry, *, create_missing: bool) -> None:
    """Run the file again in the background (after a school was matched or confirmed as new)."""
    from opora.web.imports.tasks import rerun_entry

    entry.status, entry.message = UploadEntry.QUEUED, ""
    entry.save(update_fields=["status", "message", "updated_at"])
    transaction.on_commit(lambda: rerun_entry.enqueue(entry.pk, create_missing))


def unmatched_named(entry: UploadEntry, key: str) -> dict[str, str] | None:
    """The entry's unknown school with this key, as the file spells it (None if not listed)."""
    return next((s for s in entry.unmatched if s.get("key") == key), None)


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
                 if e.pk == entry.pk or spelling in _spellings(e)]
        for other in rerun:
            entry_requeue(other, create_missing=False)
    return len(rerun)


def _spellings(entry: UploadEntry) -> set[tuple[str, str]]:
    return {(normalize_label(s.get("name")), normalize_label(s.get("municipality")))
            for s in entry.unmatched if s.get("name")}


def entries_reset_stalled(*, now: datetime | None = None,
                          sole_worker: bool = False) -> dict[str, int]:
    """Mark files whose worker died as failed («Обработка прервана…»); count the rest.

    ``interrupted``: running files untouched for longer than the threshold
    (:mod:`opora.web.core.background`), and queued files older than it whose task is gone from the
    queue (the worker died on an earlier file of the same upload) and whose upload no live
    worker is busy with. ``waiting``: queued files
    whose task still waits for a worker — left as they are. An import is one transaction, so an
    interrupted file has saved nothing.
    """
    from opora.web.imports.tasks import process_upload, rerun_entry

    now = now or timezone.now()
    cutoff = stale_before(now, sole_worker=sole_worker)
    failed = {"status": UploadEntry.FAILED, "message": ENTRY_INTERRUPTED, "updated_at": now,
              "problems_count": 0}
    stale = UploadEntry.objects.filter(updated_at__lt=cutoff)
    interrupted = stale.filter(status=UploadEntry.RUNNING).update(**failed)
    old_queued = stale.filter(status=UploadEntry.QUEUED)
    live_jobs = UploadEntry.objects.filter(status=UploadEntry.RUNNING,
                                           updated_at__gte=cutoff).values("job_id")
    orphaned = (old_queued.exclude(job_id__in=queued_task_ids(process_upload))
                .exclude(pk__in=queued_task_ids(rerun_entry)).exclude(job_id__in=live_jobs))
    interrupted += orphaned.update(**failed)
    return {"interrupted": interrupted, "waiting": old_queued.count()}


def entry_interrupted(entry: UploadEntry) -> bool:
    """Whether the file failed because its worker stopped (so running it again makes sense)."""
    return (entry.status == UploadEntry.FAILED and entry.batch_id is None
            and entry.message == ENTRY_INTERRUPTED)
