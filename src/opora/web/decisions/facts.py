"""Gather the facts the recommendation rules read (:mod:`opora.web.decisions.rules`), for the
schools of a municipality's current official list, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from django.db.models import Count, Max, Q
from django.utils import timezone

from opora.glossary import HELD_STATUSES
from opora.web.analysis.models import Inclusion, RunObjectivity, RunSchoolStat
from opora.web.analysis.official import official_list
from opora.web.assessment.models import AssessmentScale, StudentResult, Task
from opora.web.context.models import ContextPassport
from opora.web.decisions.rules import WEAK_TASK_GAP_PP, Cell, MunicipalFacts, SchoolFacts, Sign
from opora.web.schools.models import Municipality
from opora.web.staff.models import Teacher
from opora.web.support.models import Curatorship, EventSchool


def municipal_facts(municipality: Municipality, *, as_of: dt.date | None = None) -> MunicipalFacts:
    """The facts of the schools on the current official list covering ``municipality``."""
    day = as_of or timezone.localdate()
    approved = official_list(municipality)
    year = approved.year if approved is not None else day.year
    facts = MunicipalFacts(municipality_id=municipality.pk, name=municipality.name, year=year,
                           as_of=day)
    if approved is None:
        return facts
    inclusions = (Inclusion.objects.filter(approved_list=approved,
                                           school__municipality=municipality)
                  .select_related("school").order_by("school__number", "school__short_name"))
    schools = {i.school_id: SchoolFacts(school_id=i.school_id, name=i.school.short_name,
                                        category=i.get_category_display(), year=approved.year)
               for i in inclusions}
    if not schools:
        return facts
    ids = list(schools)
    _cells(schools, approved.run_id, ids)
    _weak_tasks(schools, municipality.region_id, approved.year)
    _signs(schools, approved.run_id, ids, approved.year)
    _staff(schools, ids, day)
    _passports(schools, ids)
    _support(schools, ids, day)
    facts.schools = list(schools.values())
    return facts


def _cells(schools: dict[int, SchoolFacts], run_id: int, ids: list[int]) -> None:
    for row in RunSchoolStat.objects.filter(run_id=run_id, school_id__in=ids).order_by("pk"):
        schools[row.school_id].cells.append(Cell(
            procedure=row.procedure, subject=row.subject, grade=row.grade, year=row.year,
            participants=row.participants, mean_pct=row.mean_pct,
            region_mean_pct=row.region_mean_pct, gap_pct=row.gap_pct,
            gap_high_pct=row.gap_high_pct, fail_share_pct=row.fail_share_pct))


def _weak_tasks(schools: dict[int, SchoolFacts], region_id: int, year: int) -> None:
    """The weak tasks of each weak cell of the list's year, where task scores are loaded: one
    query per distinct work (procedure, subject, grade, year) over the region's students."""
    keys = {(c.procedure, c.subject, c.grade, c.year) for s in schools.values() for c in s.cells
            if c.year == year and c.gap_high_pct is not None and c.gap_high_pct < 0}
    for key in sorted(keys):
        rates = _task_rates(key, region_id)
        if rates is None:
            continue
        labels, region, by_school = rates
        for found in schools.values():
            own = by_school.get(found.school_id)
            if own is None:
                continue
            weak = tuple((labels[i], own[i], region[i]) for i in range(len(labels))
                         if region[i] - own[i] >= WEAK_TASK_GAP_PP)
            found.cells = [replace(c, weak_tasks=weak)
                           if (c.procedure, c.subject, c.grade, c.year) == key else c
                           for c in found.cells]


def _task_rates(key: tuple[str, str, int, int], region_id: int) -> tuple[
        list[str], list[float], dict[int, list[float]]] | None:
    """Per task: the share of its maximum scored in the region and by each school (%)."""
    procedure, subject, grade, year = key
    scale = AssessmentScale.objects.filter(procedure__code=procedure, subject__code=subject,
                                           grade=grade, year=year).first()
    if scale is None:
        return None
    tasks = list(Task.objects.filter(scale=scale).order_by("task_no"))
    if not tasks or any(t.max_score <= 0 for t in tasks):
        return None
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0] * len(tasks))
    counts: dict[int, int] = defaultdict(int)
    for school_id, scores in StudentResult.objects.filter(
            procedure__code=procedure, subject__code=subject, grade=grade, year=year,
            absent=False, task_scores__isnull=False,
            school__municipality__region_id=region_id).values_list("school_id", "task_scores"):
        if not isinstance(scores, list) or len(scores) != len(tasks):
            continue
        row = sums[school_id]
        for i, score in enumerate(scores):
            row[i] += float(score or 0)
        counts[school_id] += 1
    total = sum(counts.values())
    if not total:
        return None
    region = [100.0 * sum(sums[s][i] for s in sums) / total / t.max_score
              for i, t in enumerate(tasks)]
    by_school = {s: [100.0 * sums[s][i] / counts[s] / t.max_score for i, t in enumerate(tasks)]
                 for s in sums}
    return [t.label or str(t.task_no) for t in tasks], region, by_school


def _signs(schools: dict[int, SchoolFacts], run_id: int, ids: list[int], year: int) -> None:
    for row in RunObjectivity.objects.filter(run_id=run_id, school_id__in=ids, fired=True,
                                             year__gte=year - 1).order_by("-year", "pk"):
        schools[row.school_id].signs.append(Sign(
            procedure=row.procedure, subject=row.subject, grade=row.grade, year=row.year,
            sign=row.sign, text=row.text or row.sign))


def _staff(schools: dict[int, SchoolFacts], ids: list[int], day: dt.date) -> None:
    for school_id, staff, psychologists in (
            Teacher.objects.working_on(day).filter(school_id__in=ids).values("school_id")
            .annotate(n=Count("pk"), p=Count("pk", filter=Q(position="psychologist")))
            .values_list("school_id", "n", "p")):
        schools[school_id].staff, schools[school_id].psychologists = staff, psychologists


def _passports(schools: dict[int, SchoolFacts], ids: list[int]) -> None:
    """The newest passport of each school (ordered by year: the last one read wins)."""
    for passport in ContextPassport.objects.filter(school_id__in=ids).order_by("year"):
        found = schools[passport.school_id]
        found.preventive_share = passport.share_preventive_register
        found.ovz_share = passport.share_ovz
        found.low_income_share = passport.share_low_income


def _support(schools: dict[int, SchoolFacts], ids: list[int], day: dt.date) -> None:
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    for school_id, last in (EventSchool.objects.filter(
            school_id__in=ids, event__status__in=HELD_STATUSES, event__starts_at__lt=end)
            .values("school_id").annotate(last=Max("event__starts_at"))
            .values_list("school_id", "last")):
        schools[school_id].last_event = timezone.localtime(last).date()
    counts: dict[int, int] = defaultdict(int)
    for curatorship in Curatorship.objects.filter(school_id__in=ids):
        if curatorship.current_on(day):
            counts[curatorship.school_id] += 1
    for school_id, count in counts.items():
        schools[school_id].curators = count
