"""Background tasks of the analysis (django-tasks; the worker is ``opora worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def execute_analysis_run(run_id: int) -> str:
    """Run one queued analysis (export → engine → load); returns its final status."""
    from opora.web.analysis.services import run_execute

    return run_execute(run_id=run_id).status
