from __future__ import annotations

from django_tasks import task

from opora.web.reports.jobs import job_run


@task()
def build_report(job_id: int) -> None:
    """Build one queued report (``ReportJob``)."""
    job_run(job_id)
