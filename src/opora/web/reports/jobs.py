"""Building a report in the background: the work (:func:`job_run`, the task's side); the queue
(the page's side) is :mod:`opora.web.reports.queue`. The viewer's scope is checked when the job is
made and again when it runs (a role revoked in between: the job fails, nothing is built)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from opora.web.accounts.scope import Viewer
from opora.web.reports import services
from opora.web.reports.data import Meeting, ReportDataMissing
from opora.web.reports.models import DONE, FAILED, RUNNING, ReportJob

log = logging.getLogger(__name__)


def meeting_json(meeting: Meeting | None) -> dict[str, Any]:
    if meeting is None:
        return {}
    found = dataclasses.asdict(meeting)
    found["date"] = meeting.date.isoformat() if meeting.date else None
    found["attendees"] = list(meeting.attendees)
    return found


def _meeting(data: dict[str, Any]) -> Meeting | None:
    if not data:
        return None
    day = dt.date.fromisoformat(data["date"]) if data.get("date") else None
    return Meeting(**{**data, "date": day, "attendees": tuple(data.get("attendees") or ())})


def job_run(job_id: int) -> None:
    job = ReportJob.objects.select_related("created_by", "municipality__region",
                                           "school__municipality__region").get(pk=job_id)
    job.status = RUNNING
    job.save(update_fields=["status"])
    try:
        if job.publish_from is not None:
            assert job.municipality is not None and job.year is not None
            found = services.document_publish(user=job.created_by,
                                              municipality=job.municipality, year=job.year,
                                              visible_from=job.publish_from)
            _finish(job, DONE, f"Опубликовано: {found.title}")
            return
        built = services.build(viewer=Viewer.of(job.created_by), kind=job.kind, fmt=job.fmt,
                               municipality=job.municipality, year=job.year,
                               school=job.school, review=job.review,
                               meeting=_meeting(job.meeting))
    except (ReportDataMissing, ValidationError, PermissionDenied, Http404) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        _finish(job, FAILED, text or "Недостаточно прав для этого отчёта.")
        return
    except Exception:
        log.exception("report job %s failed", job_id)
        _finish(job, FAILED, "Отчёт не удалось построить: ошибка на сервере, она записана в "
                             "журнал. Попробуйте ещё раз или сообщите администратору.")
        raise
    job.content, job.filename = built.content, built.filename
    _finish(job, DONE, built.title)


def _finish(job: ReportJob, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.save(update_fields=["status", "message", "finished_at", "content", "filename"])
