"""Background task of the card: render a finished run's school cards ahead (card/warming.py)."""

from __future__ import annotations

from django_tasks import task

from opora.web.analysis.models import DONE, AnalysisRun
from opora.web.analysis.signals import list_approved, run_finished
from opora.web.card.warming import cache_is_shared, warm_after_run

#: Rendering a run's school cards ahead waits behind every other queued job: an upload or a run
#: a coordinator is watching goes first (``-priority``, then enqueueing order: django-tasks-db).
WARMING_PRIORITY = -10


@task(priority=WARMING_PRIORITY)
def warm_run_cards_task(run_id: int) -> int:
    """Render the school cards of a finished run ahead; the number of cards rendered (0 when
    the run is gone or the cache is not shared, or on a failure, which is logged: a card
    renders itself when visited)."""
    run = AnalysisRun.objects.filter(pk=run_id, status=DONE).first()
    warmed = warm_after_run(run) if run is not None else None
    return warmed.cards if warmed is not None else 0


def _queue_warming(sender: object, run: AnalysisRun, **_: object) -> None:
    """A run is done or approved: render its cards ahead, behind other work, if the cache is
    shared."""
    if cache_is_shared():
        warm_run_cards_task.enqueue(run.pk)


def connect() -> None:
    """Listen for finished runs (called once by the card app's ``ready``)."""
    run_finished.connect(_queue_warming, dispatch_uid="opora-card-warming")
    list_approved.connect(_queue_warming, dispatch_uid="opora-card-warming-approved")
