"""Putting a report on the background queue (the page's side): the job record, and the task
enqueued after the commit. The tasks (:mod:`opora.web.reports.tasks`) do the work in
:mod:`opora.web.reports.jobs`; neither imports this module back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from opora.web.reports import services
from opora.web.reports.data import Meeting
from opora.web.reports.jobs import meeting_json
from opora.web.reports.models import ReportJob
from opora.web.reports.tasks import build_report
from opora.web.schools.models import Municipality, School


@transaction.atomic
def job_enqueue(*, user: Any, kind: str, fmt: str, municipality: Municipality | None,
                year: int | None, meeting: Meeting | None = None,
                publish_from: dt.date | None = None, school: School | None = None,
                review: int | None = None) -> ReportJob:
    """Queue a report (the note, the protocol, the indicator tables of a municipality or of
    ``school``, the expert sheet ``review``); runs when the transaction commits. With
    ``publish_from`` the note is published (PDF and DOCX) instead of handed back. The caller
    checked the scope; the job checks it again when it runs."""
    if fmt not in services.FORMATS:
        raise ValidationError(f"Неизвестный формат «{fmt}».", code="format")
    job = ReportJob.objects.create(created_by=user, kind=kind, fmt=fmt,
                                   municipality=municipality, year=year, school=school,
                                   review=review, meeting=meeting_json(meeting),
                                   publish_from=publish_from)
    transaction.on_commit(lambda: build_report.enqueue(job.pk))
    return job
