"""Background tasks of the analysis (django-tasks; the worker is ``opora worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def execute_analysis_run(run_id: int) -> str:
    """Run one queued analysis (export → engine → load); returns its final status.

    A finished run's school cards are then rendered ahead of their readers (schools/warming.py),
    after the run is already shown as done.
    """
    from opora.web.analysis.models import DONE
    from opora.web.analysis.services import run_execute
    from opora.web.schools.warming import warm_after_run

    run = run_execute(run_id=run_id)
    if run.status == DONE:
        warm_after_run(run)
    return run.status
