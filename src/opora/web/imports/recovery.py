"""Upload files whose worker died: found by the stall threshold, marked interrupted.

``opora manage reset_stalled`` and a starting ``opora worker`` call :func:`entries_reset_stalled`
(:mod:`opora.web.core.background` explains the threshold and the sole-worker case).
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from opora.web.core.background import queued_task_ids, stale_before
from opora.web.imports.jobs import ENTRY_INTERRUPTED
from opora.web.imports.models import UploadEntry
from opora.web.imports.tasks import process_upload, rerun_entry


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
