"""Report fixtures on the personas' territory (``personas.py``), numbers chosen by hand so the
tests can compute every expected value independently of the code under test.

«Первый» (A — СОШ № 1, B — СОШ № 2):

* an analysis run of 2024, approved by the coordinator as the official list of 2024
  (basis «приказ № 5»); A flagged «низкие результаты» (ШНОР) with the evidence «Ниже региона по
  русскому языку»; B flagged only «лидер» (not on the list);
* A's results in that run: ВПР, русский язык, 4 класс — 20 participants, 45.0 % against the
  region's 55.0 % (a gap of −10.0 п. п.); ВПР, математика, 4 класс — 22 participants, 50.5 %
  against 48.0 % (+2.5 п. п.);
* support in the school year after the list (1 Sept 2024 – 31 Aug 2025): two held events for A
  (a visit on 1 Oct 2024 with two of A's three teachers, a seminar on 1 Feb 2025);
* A has three teachers; one has a diagnostic (of 10 Jan 2025).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from opora.web.analysis.models import DONE, AnalysisRun, RunFlag, RunSchoolStat
from opora.web.analysis.official import run_approve
from opora.web.staff.models import DiagnosticScore, Teacher, TeacherDiagnostic
from opora.web.support.services.events import EventData, event_create

YEAR = 2024
EVIDENCE = "Ниже региона по русскому языку"
STATS = (  # subject, participants, school %, region %
    ("rus", 20, 45.0, 55.0),
    ("math", 22, 50.5, 48.0),
)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def make_report_data(case: Any) -> dict[str, Any]:
    """The run, its approved list, results, teachers and events; ``case`` holds the personas."""
    run = AnalysisRun.objects.create(
        scope="municipality", municipality=case.first, region=case.first.region, status=DONE,
        progress=100, finished_at=timezone.now(), rules_version="test",
        run_json={"years_analysed": [YEAR]})
    RunFlag.objects.create(run=run, school=case.a, flag="low_results", year=YEAR,
                           evidence=EVIDENCE)
    RunFlag.objects.create(run=run, school=case.b, flag="leader", year=YEAR, evidence="Лидер")
    for subject, n, mean, region in STATS:
        RunSchoolStat.objects.create(run=run, school=case.a, procedure="VPR", subject=subject,
                                     grade=4, year=YEAR, participants=n, mean_pct=mean,
                                     region_mean_pct=region, gap_pct=mean - region)
    approved = run_approve(user=case.coordinator, run=run, year=YEAR, basis="приказ № 5")
    teachers = [Teacher.objects.create(school=case.a, name=f"Учитель {i}") for i in (1, 2, 3)]
    diagnostic = TeacherDiagnostic.objects.create(teacher=teachers[0], date=dt.date(2025, 1, 10),
                                                  instrument="regional")
    DiagnosticScore.objects.create(diagnostic=diagnostic, domain="subject_domain", score=7,
                                   max_score=10)
    events = [
        event_create(by=case.coordinator, data=EventData(
            kind="monitoring_visit", topic="Визит", starts_at=_at(dt.date(2024, 10, 1)),
            ends_at=_at(dt.date(2024, 10, 1)) + dt.timedelta(hours=2), status="held",
            organiser_kind="coordinator", place="школа", schools=[case.a],
            participants=teachers[:2])),
        event_create(by=case.coordinator, data=EventData(
            kind="seminar", topic="Семинар", starts_at=_at(dt.date(2025, 2, 1)),
            ends_at=_at(dt.date(2025, 2, 1)) + dt.timedelta(hours=2), status="held",
            organiser_kind="coordinator", place="ИМЦ", schools=[case.a])),
    ]
    return {"run": run, "approved": approved, "teachers": teachers, "events": events}


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def built_in_background(case: Any, url: str, user: Any) -> Any:
    """Ask ``url`` as ``user``: the page offers to build it in the background; press «Построить»
    (the queued job runs at the commit) and download the file from the job's page."""
    from opora.web.reports.models import ReportJob

    case.client.force_login(user)
    page = case.client.get(url)
    case.assertContains(page, "строится в фоне")
    with case.settings(TASKS=IMMEDIATE), case.captureOnCommitCallbacks(execute=True):
        response = case.client.post("/reports/jobs/", page.context["fields"])
    job = ReportJob.objects.filter(created_by=user).latest("pk")
    case.assertRedirects(response, f"/reports/jobs/{job.pk}/")
    case.assertContains(case.client.get(f"/reports/jobs/{job.pk}/"), "готов")
    return case.client.get(f"/reports/jobs/{job.pk}/file/")
