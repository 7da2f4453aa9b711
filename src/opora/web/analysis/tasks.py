"""Background tasks of the analysis (django-tasks; the worker is ``opora worker``)."""

from __future__ import annotations

from django_tasks import task

#: Rendering a run's school cards ahead (schools/warming.py) waits behind every other queued
#: job: an upload or a run a coordinator is watching goes first (``-priority``, then enqueueing
#: order: django-tasks-db).
WARMING_PRIORITY = -10


@task()
def execute_analysis_run(run_id: int) -> str:
    """Run one queued analysis (export → engine → load); returns its final status.

    A finished run's school cards are then rendered ahead of their readers by
    :func:`warm_run_cards_task`, queued behind any other work, when the web server shares the
    worker's cache.
    """
    from opora.web.analysis.models import DONE
    from opora.web.analysis.services import run_execute
    from opora.web.schools.warming import cache_is_shared

    run = run_execute(run_id=run_id)
    if run.status == DONE and cache_is_shared():
        warm_run_cards_task.enqueue(run.pk)
    return run.status


@task(priority=WARMING_PRIORITY)
def warm_run_cards_task(run_id: int) -> int:
    """Render the school cards of a finished run ahead (schools/warming.py); the number of
    cards rendered (0 when the run is gone or the cache is not shared, or on a failure, which
    is logged: a card renders itself when visited)."""
    from opora.web.analysis.models import DONE, AnalysisRun
    from opora.web.schools.warming import warm_after_run

    run = AnalysisRun.objects.filter(pk=run_id, status=DONE).first()
    warmed = warm_after_run(run) if run is not None else None
    return warmed.cards if warmed is not None else 0
