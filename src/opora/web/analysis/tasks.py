"""Background tasks of the analysis (django-tasks; the worker is ``opora worker``)."""

from __future__ import annotations

from django_tasks import task

from opora.web.analysis.execution import run_execute
from opora.web.analysis.models import DONE
from opora.web.analysis.signals import run_finished


@task()
def execute_analysis_run(run_id: int) -> str:
    """Run one queued analysis (export → engine → load); returns its final status.

    A run that finishes sends :data:`~opora.web.analysis.signals.run_finished` (the card app
    then queues rendering the run's cards ahead, card/tasks.py).
    """
    run = run_execute(run_id=run_id)
    if run.status == DONE:
        run_finished.send(sender=execute_analysis_run.__class__, run=run)
    return run.status
