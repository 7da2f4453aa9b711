"""Upload jobs: create one from the page, run its files one by one, resolve unknown schools.

Each file is imported by :func:`opora.web.imports.services.import_file`, all or nothing in its
own transaction: one file's refusal leaves the files before and after it as they are. The entry
records what the import said, so the page can show progress and then the result per file.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.utils import timezone

from opora.catalog import normalize_label
from opora.formats import ReadHints
from opora.formats.isolation import IsolatedRead
from opora.web.core.background import INTERRUPTED, heartbeat
from opora.web.imports.loading import bulk_session
from opora.web.imports.models import UploadEntry
from opora.web.imports.outcome import ImportOutcome
from opora.web.imports.services import import_file, read_ahead
from opora.web.imports.targets import job_target, target_scope

logger = logging.getLogger(__name__)

HINT_FIELDS = ("procedure", "subject", "grade", "year", "school_key")
ENTRY_INTERRUPTED = (f"{INTERRUPTED} Нажмите «Обработать заново» или загрузите файл ещё раз.")
FILE_DELETED = ("Файл удалён по сроку хранения отклонённых загрузок (docs/operations.md); ничего не "
                "сохранено. Загрузите его ещё раз.")
INTERNAL_ERROR = ("Файл не удалось обработать из-за внутренней ошибки программы; ничего не "
                  "сохранено. Сообщите администратору номер загрузки.")


def job_run(job_id: int) -> None:
    """Import every queued file of the job, in order, each in its own transaction.

    The files are read ahead in child processes (:func:`opora.web.imports.services.read_ahead`):
    while one file is written, the next ones are being read. Each entry is finished (and the
    page's count goes up) as soon as its own file is done.
    """
    queued = list(UploadEntry.objects.filter(job_id=job_id, status=UploadEntry.QUEUED)
                  .select_related("job").order_by("position"))
    if not queued:
        return
    hints = ReadHints(**queued[0].job.hints, on_page=True)
    files = [(Path(e.file.path) if e.file else Path(), "auto", hints) for e in queued]
    with bulk_session():
        for entry, read in zip(queued, read_ahead(files), strict=True):
            entry_run(entry.pk, read=read)


def entry_run(entry_id: int, *, create_missing: bool = False,
              skip_rejected: bool = False, replace: bool = False,
              read: IsolatedRead | None = None) -> UploadEntry:
    """Import one queued file and record the outcome on its entry; never raises for a bad file.

    A file that is no longer queued (reset as interrupted meanwhile, or a task delivered twice)
    is left as it is. ``skip_rejected``: the coordinator chose «загрузить без отклонённых строк»
    (:func:`opora.web.imports.services.import_file`); the choice is kept on the entry, so that a
    later re-run (schools matched or created) keeps it. ``replace``: the uploader agreed that
    the file replaces the data loaded before (the entry said what, waiting in «confirm»).
    ``read``: the file as read ahead by :func:`job_run`.
    """
    entry = UploadEntry.objects.select_related(
        "job__municipality__region", "job__school", "job__created_by").get(pk=entry_id)
    claimed = UploadEntry.objects.filter(pk=entry_id, status=UploadEntry.QUEUED).update(
        status=UploadEntry.RUNNING, updated_at=timezone.now())
    if not claimed:
        return entry
    entry.status = UploadEntry.RUNNING
    job = entry.job
    if not entry.file:  # a rejected file deleted after its time (delete_rejected_uploads)
        entry.status, entry.message, entry.problems_count = UploadEntry.FAILED, FILE_DELETED, 0
        entry.save()
        return entry
    try:
        with heartbeat(lambda: UploadEntry.objects.filter(pk=entry_id, status=UploadEntry.RUNNING)
                       .update(updated_at=timezone.now())):
            skip_rejected = skip_rejected or bool((entry.counts or {}).get("skip_rejected"))
            outcome = import_file(
                path=entry.file.path, user=job.created_by,
                hints=ReadHints(**job.hints, on_page=True),
                municipality=job.municipality, create_missing_schools=create_missing,
                scope=target_scope(job_target(job)), stored=entry.file.name or "",
                skip_rejected=skip_rejected, replace=replace, read=read)
    except Exception:  # the page must say something; the traceback goes to the log only
        logger.exception("upload %s, file %s: import crashed", job.pk, entry.original_name)
        entry.status, entry.message, entry.problems_count = UploadEntry.FAILED, INTERNAL_ERROR, 0
        entry.save()
        return entry
    _record(entry, outcome, skip_rejected)
    return entry


def _record(entry: UploadEntry, outcome: ImportOutcome, skip_rejected: bool = False) -> None:
    status = {"succeeded": UploadEntry.DONE, "failed": UploadEntry.FAILED,
              "duplicate": UploadEntry.DUPLICATE, "confirm": UploadEntry.CONFIRM}[outcome.status]
    batch = outcome.batch
    entry.status, entry.message = status, outcome.summary()
    entry.batch = batch if batch.pk is not None else None  # «confirm» recorded no batch
    if status == UploadEntry.DUPLICATE:
        entry.counts, entry.schools_matched, entry.problems_count = {}, 0, 0
        entry.unmatched = []
    else:
        read = {k: v for k, v in batch.counts.items() if k != "written"}
        entry.counts = {"read": read, "written": outcome.written,
                        "rejected": outcome.rejected_rows, "skippable": outcome.skippable,
                        "skip_rejected": skip_rejected, "replaced": outcome.replaced}
        entry.schools_matched = batch.schools_matched
        entry.problems_count = len(outcome.problems) + len(outcome.warnings)
        entry.unmatched = outcome.unmatched_schools
    entry.save()


def unmatched_named(entry: UploadEntry, key: str) -> dict[str, str] | None:
    """The entry's unknown school with this key, as the file spells it (None if not listed)."""
    return next((s for s in entry.unmatched if s.get("key") == key), None)


def spellings(entry: UploadEntry) -> set[tuple[str, str]]:
    return {(normalize_label(s.get("name")), normalize_label(s.get("municipality")))
            for s in entry.unmatched if s.get("name")}


def entry_interrupted(entry: UploadEntry) -> bool:
    """Whether the file failed because its worker stopped (so running it again makes sense)."""
    return (entry.status == UploadEntry.FAILED and entry.batch_id is None
            and entry.message == ENTRY_INTERRUPTED)
