"""Gather the facts the recommendation rules read (:mod:`opora.web.decisions.rules`), for the
schools of a municipality's current official list, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Max, Q
from django.utils import timezone

from opora.glossary import HELD_STATUSES
from opora.web.analysis.models import Inclusion, RunObjectivity, RunSchoolStat
from opora.web.analysis.official import official_list
from opora.web.context.models import ContextPassport
from opora.web.decisions.rules import Cell, MunicipalFacts, SchoolFacts, Sign
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
