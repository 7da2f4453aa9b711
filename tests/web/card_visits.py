"""Visiting a school card in tests: its HTML and the number of database queries it took; a
finished run that flags the school, as the card's cache tests need one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opora.web.analysis.models import DONE, AnalysisRun, RunFlag


def card_visit(client: Any, school: Any) -> tuple[str, int]:
    """GET the card of ``school`` (must answer 200): the page and its query count."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/schools/{school.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def finished_run(school: Any, minutes_ago: int, evidence: str) -> AnalysisRun:
    """A run of the school's municipality finished ``minutes_ago``, flagging the school as
    ШНОР in 2024 with ``evidence``."""
    run = AnalysisRun.objects.create(
        scope="municipality", municipality=school.municipality,
        region=school.municipality.region, status=DONE, progress=100,
        finished_at=timezone.now() - timedelta(minutes=minutes_ago), rules_version="test")
    RunFlag.objects.create(run=run, school=school, flag="low_results", year=2024,
                           evidence=evidence)
    return run
