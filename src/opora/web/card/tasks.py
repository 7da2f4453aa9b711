"""Background task of the card: render a finished run's school cards ahead (card/warming.py)."""

from __future__ import annotations

from django_tasks import task

#: Rendering a run's school cards ahead waits behind every other queued job: an upload or a run
#: a coordinator is watching goes first (``-priority``, then enqueueing order: django-tasks-db).
WARMING_PRIORITY = -10


@task(priority=WARMING_PRIORITY)
def warm_run_cards_task(run_id: int) -> int:
    """Render the school cards of a finished run ahead; the number of cards rendered (0 when
    the run is gone or the cache is not shared, or on a failure, which is logged: a card
    renders itself when visited)."""
    from opora.web.analysis.models import DONE, AnalysisRun
    from opora.web.card.warming import warm_after_run

    run = AnalysisRun.objects.filter(pk=run_id, status=DONE).first()
    warmed = warm_after_run(run) if run is not None else None
    return warmed.cards if warmed is not None else 0
