"""Runs whose worker died: found by the stall threshold, marked interrupted (:mod:`opora.web.core.background`).

``opora manage reset_stalled`` and a starting ``opora worker`` call :func:`runs_reset_stalled`;
queued runs whose task still waits in the queue are left for a worker.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from opora.web.analysis.models import FAILED, QUEUED, RUNNING, AnalysisRun
from opora.web.analysis.tasks import execute_analysis_run
from opora.web.core.background import INTERRUPTED, queued_task_ids, stale_before

RUN_INTERRUPTED = f"{INTERRUPTED} Запустите расчёт заново на странице «Расчёты»."


def runs_reset_stalled(*, now: datetime | None = None, sole_worker: bool = False) -> dict[str, int]:
    """Mark runs whose worker died as failed («Обработка прервана…»); count the rest.

    Returns ``{"interrupted": n, "waiting": m}``: ``interrupted`` — running runs untouched for
    longer than the threshold, plus queued ones whose task is no longer in the queue;
    ``waiting`` — queued runs older than the threshold that still wait for a worker (left as
    they are: a worker will run them).
    """
    now = now or timezone.now()
    cutoff = stale_before(now, sole_worker=sole_worker)
    failed = {"status": FAILED, "stage": "", "finished_at": now, "updated_at": now,
              "message": RUN_INTERRUPTED}
    interrupted = AnalysisRun.objects.filter(status=RUNNING, updated_at__lt=cutoff).update(**failed)
    waiting_ids = queued_task_ids(execute_analysis_run)
    old_queued = AnalysisRun.objects.filter(status=QUEUED, updated_at__lt=cutoff)
    interrupted += old_queued.exclude(pk__in=waiting_ids).update(**failed)
    return {"interrupted": interrupted, "waiting": old_queued.count()}
