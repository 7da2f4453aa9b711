"""Health of background work: when a queued or running job counts as stalled, and the heartbeat.

Imports (:class:`~opora.web.imports.models.UploadEntry`) and analysis runs
(:class:`~opora.web.analysis.models.AnalysisRun`) are done by ``opora worker``. If that process
dies (killed, machine restarted), what it was doing stays «running» forever. Two different
situations look alike on a page and are told apart here:

- *running, but dead*: a running job whose record has not been touched for longer than
  ``OPORA_STALLED_AFTER_MINUTES`` (10 by default). A live worker touches the record at least every
  :func:`heartbeat_every` seconds (:func:`heartbeat`), even during a long engine stage, so only a
  dead (or hung) worker lets it go stale; such a job is marked failed with :data:`INTERRUPTED`;
- *queued, no worker*: a queued job older than the threshold whose task still waits in the
  database queue — no worker is running. Nothing is lost: the job runs when a worker starts, so it
  is only reported. A queued job whose task is no longer in the queue (its worker died before
  reaching it) is *orphaned* and is marked failed like a dead running one.

Several workers may run at once (``docs/operations.md``): a worker that starts resets only jobs
stale by the threshold, never fresh ones another live worker is doing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_STALLED_AFTER_MINUTES = 10
HEALTHY, WAITING, STALLED = "", "waiting", "stalled"

INTERRUPTED = ("Обработка прервана: фоновый обработчик остановился (процесс завершён или сервер "
               "перезапускался), не закончив работу. Ничего не сохранено.")


def stalled_after() -> timedelta:
    """How long a job may go untouched before it counts as stalled (``OPORA_STALLED_AFTER_MINUTES``;
    no file or municipality takes that long between two heartbeats)."""
    minutes = getattr(settings, "OPORA_STALLED_AFTER_MINUTES", DEFAULT_STALLED_AFTER_MINUTES)
    return timedelta(minutes=minutes)


def stalled_minutes() -> int:
    """The threshold in whole minutes, for messages."""
    return max(1, round(stalled_after().total_seconds() / 60))


def heartbeat_every() -> float:
    """Seconds between two heartbeats: a minute, and always well inside the threshold."""
    return min(60.0, stalled_after().total_seconds() / 4)


def stall_state(*, status: str, touched_at: datetime | None, queued: str, running: str,
                now: datetime | None = None) -> str:
    """:data:`STALLED` for a running job untouched longer than the threshold, :data:`WAITING` for
    a queued one, :data:`HEALTHY` (an empty string) otherwise — what a page warns about."""
    if status not in (queued, running) or touched_at is None:
        return HEALTHY
    if (now or timezone.now()) - touched_at <= stalled_after():
        return HEALTHY
    return STALLED if status == running else WAITING


def stale_before(now: datetime | None = None, *, sole_worker: bool = False) -> datetime:
    """Records touched before this moment are stale.

    ``sole_worker``: the caller knows it is the only worker and that the previous one died
    (the demo's supervisor restarting it), so everything running now is dead: no threshold.
    """
    now = now or timezone.now()
    return now if sole_worker else now - stalled_after()


def queued_task_ids(task: Any) -> set[int]:
    """The first argument (a run, job or entry id) of every call of ``task`` still waiting in the
    database queue (django-tasks-db, status READY): those jobs will be picked up by a worker."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().filter(task_path=task.module_path)
    ids = set()
    for args_kwargs in waiting.values_list("args_kwargs", flat=True):
        args = (args_kwargs or {}).get("args") or []
        if args and isinstance(args[0], int):
            ids.add(args[0])
    return ids


@contextmanager
def heartbeat(touch: Callable[[], Any], *, every: float | None = None) -> Iterator[None]:
    """Call ``touch`` every ``every`` seconds in a thread while the block runs.

    ``touch`` updates the job's ``updated_at``, so a long stage (the engine on a region) does not
    look stalled while the worker is alive. A failed touch (SQLite busy, a lost connection) is
    logged and tried again at the next beat; the thread closes its own database connection.
    """
    stop = threading.Event()
    interval = heartbeat_every() if every is None else every

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    touch()
                except Exception:  # a missed beat is harmless; the next one may succeed
                    logger.warning("heartbeat failed", exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name="opora-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
