"""Stopping analysis runs: a coordinator's cancel, and the reset of runs whose worker died.

Cancelling (issue 4): a queued run is cancelled at once — when a worker later takes its task,
:func:`opora.web.analysis.services.run_execute` finds it is no longer queued and does nothing.
A running run gets a *cancel request*; the task checks it between its stages (export, engine,
load) and once more inside the loading transaction, then stops with status «отменён» and no
stored results. A running run whose worker has stopped touching it (stalled,
:mod:`opora.web.core.background`) is cancelled at once: nobody would ever see the request.

Who may cancel mirrors who may start (:func:`opora.web.analysis.services.run_start`): a
coordinator of the run's municipality or a superuser; a region-wide run — a superuser only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.models import CANCELLED, QUEUED, RUNNING, AnalysisRun
from opora.web.core.background import stale_before

NOT_CANCELLABLE = "Расчёт уже завершён — отменять нечего."


def _who(user: Any) -> str:
    if user is None:
        return "пользователь удалён"
    return str(user.get_full_name() or user.get_username())


def _cancelled_text(who: str, when: datetime) -> str:
    return (f"Расчёт отменён: {who}, {timezone.localtime(when):%d.%m.%Y %H:%M}. Результаты этого "
            "расчёта не сохранены; прежние расчёты не затронуты.")


def cancelled_message(run: AnalysisRun) -> str:
    """«Расчёт отменён: кто, когда…» from the cancel request stored on the run."""
    found = AnalysisRun.objects.select_related("cancelled_by").get(pk=run.pk)
    return _cancelled_text(_who(found.cancelled_by), found.cancel_requested_at or timezone.now())


def run_cancel(*, user: Any, run: AnalysisRun) -> AnalysisRun:
    """Cancel a queued run at once, or ask a running one to stop; returns the run as stored.

    Raises :class:`PermissionDenied` for a user who may not cancel it and
    :class:`ValidationError` (code ``not_cancellable``) for a run that has already finished.
    Every write is conditional on the status it expects, so a worker taking or finishing the run
    at the same moment wins or loses cleanly, never half.
    """
    if not Viewer.of(user).may(Action.CANCEL_RUN, run):
        raise PermissionDenied("Отменить расчёт может координатор этого муниципалитета "
                               "(расчёт по региону — администратор системы).")
    now = timezone.now()
    rows = AnalysisRun.objects.filter(pk=run.pk)
    request = {"cancel_requested_at": now, "cancelled_by": user}
    final = {"status": CANCELLED, "stage": "", "finished_at": now, "updated_at": now,
             "message": _cancelled_text(_who(user), now), **request}
    if rows.filter(status=QUEUED).update(**final) == 0:
        dead = rows.filter(status=RUNNING, updated_at__lt=stale_before(now))
        final["message"] += " Фоновый обработчик к этому времени уже не отвечал."
        if dead.update(**final) == 0:
            rows.filter(status=RUNNING, cancel_requested_at__isnull=True).update(**request)
    run.refresh_from_db()
    if run.status not in (QUEUED, RUNNING, CANCELLED):
        raise ValidationError(NOT_CANCELLABLE, code="not_cancellable")
    return run
