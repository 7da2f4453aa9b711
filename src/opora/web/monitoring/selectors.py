"""Indicator tables in the seeds' form: Критерий / Показатель / Единица измерения / one column
per year, for a school or a municipality, each share with its numerator and denominator.

The municipal indicators count over the schools of the year's official list (ШНОР, ШНСУ or both;
the risk zone is not counted): the list approved for that year, or for a year without one the
nearest earlier list (the earliest when there is none before) — :func:`listed_schools`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from opora.numbers import number
from opora.web.analysis.models import CATEGORY_RISK, ApprovedList, Inclusion
from opora.web.analysis.official import current_lists, official_run
from opora.web.monitoring import facts as fact_reader
from opora.web.monitoring.catalogue import MUNICIPALITY, SCHOOL, IndicatorDef, catalogue_for
from opora.web.monitoring.formulas import Counted, Index, municipal_values, school_values
from opora.web.monitoring.models import TypedValue
from opora.web.schools.models import Municipality, School

DEFAULT_YEARS = 3


def default_years(to: int | None = None, n: int = DEFAULT_YEARS) -> list[int]:
    last = to or timezone.localdate().year
    return list(range(last - n + 1, last + 1))


@dataclass
class Cell:
    counted: Counted | None
    text: str
    detail: str  # «3 из 7» for a share
    url: str


@dataclass
class Row:
    indicator: IndicatorDef
    cells: list[Cell]
    first_of_criterion: bool = False


def cell_text(ind: IndicatorDef, counted: Counted | None) -> tuple[str, str]:
    """(value, «числитель из знаменателя») as the table shows them."""
    if counted is None:
        return "нет данных", ""
    value = counted.value
    if ind.unit == "yes_no":
        return ("да" if counted.numerator else "нет"), ""
    if value is None:
        return "нет данных", f"0 из {counted.denominator}" if counted.denominator == 0 else ""
    if ind.share:
        if counted.denominator is None:
            return "нет данных", ""
        return f"{number(value, 1)} %", f"{counted.numerator} из {counted.denominator}"
    return str(counted.numerator), ""


def facts_url(code: str, year: int, *, school: int | None = None,
              municipality: int | None = None) -> str:
    query = {"indicator": code, "year": year}
    query.update({"school": school} if school is not None else {"municipality": municipality})
    return reverse("monitoring:facts") + "?" + urlencode(query)


def school_values_by_year(schools: list[School], years: list[int]) -> dict[
        tuple[int, int], dict[str, Counted]]:
    """Every school indicator of ``schools`` in ``years`` — the one computation pages, the API
    and the bench share (typed values included)."""
    runs: dict[int, int | None] = {}
    run_of: dict[int, int | None] = {}
    for school in schools:
        if school.municipality_id not in run_of:
            run = official_run(school.municipality)
            run_of[school.municipality_id] = run.pk if run is not None else None
        runs[school.pk] = run_of[school.municipality_id]
    index = Index.of(fact_reader.load([s.pk for s in schools], years, runs))
    found = {(s.pk, y): school_values(index, s.pk, y) for s in schools for y in years}
    for typed in TypedValue.objects.filter(school_id__in=[s.pk for s in schools],
                                           year__in=years):
        found[(typed.school_id, typed.year)][typed.indicator] = Counted(
            frozenset(), None, num=typed.numerator, den=typed.denominator, kind="typed")
    return found


def listed_schools(municipality: Municipality, years: list[int]) -> dict[int, tuple[
        ApprovedList | None, list[int]]]:
    """Each year's official list (or the nearest, see the module) and its schools counted."""
    lists = current_lists(municipality)
    members: dict[int, list[int]] = {a.pk: [] for a in lists}
    for list_id, school in (Inclusion.objects.filter(approved_list__in=lists,
                                                     school__municipality=municipality)
                            .exclude(category=CATEGORY_RISK)
                            .values_list("approved_list_id", "school_id")):
        members[list_id].append(school)
    result: dict[int, tuple[ApprovedList | None, list[int]]] = {}
    for year in years:
        before = [a for a in lists if a.year <= year]
        chosen = before[-1] if before else (lists[0] if lists else None)
        result[year] = (chosen, members[chosen.pk] if chosen else [])
    return result


def municipal_values_by_year(municipality: Municipality, years: list[int]) -> tuple[
        dict[int, dict[str, Counted]], dict[int, tuple[ApprovedList | None, list[int]]]]:
    schools = list(School.objects.filter(municipality=municipality))
    per = school_values_by_year(schools, years)
    listed = listed_schools(municipality, years)
    values = {year: municipal_values({s.pk: per[(s.pk, year)] for s in schools},
                                     listed[year][1], [s.pk for s in schools])
              for year in years}
    return values, listed


def _rows(indicators: list[IndicatorDef], years: list[int],
          value: dict[int, dict[str, Counted]], **where: int) -> list[Row]:
    rows, criterion = [], ""
    for ind in indicators:
        cells = []
        for year in years:
            counted = value[year].get(ind.code)
            text, detail = cell_text(ind, counted)
            url = facts_url(ind.code, year, **where) if counted is not None else ""
            cells.append(Cell(counted, text, detail, url))
        rows.append(Row(ind, cells, ind.criterion != criterion))
        criterion = ind.criterion
    return rows


def school_table(school: School, years: list[int]) -> list[Row]:
    per = school_values_by_year([school], years)
    indicators = catalogue_for(years[-1]).of_level(SCHOOL)
    return _rows(indicators, years, {y: per[(school.pk, y)] for y in years}, school=school.pk)


def municipal_table(municipality: Municipality, years: list[int]) -> tuple[
        list[Row], dict[int, tuple[ApprovedList | None, list[int]]]]:
    values, listed = municipal_values_by_year(municipality, years)
    indicators = catalogue_for(years[-1]).of_level(MUNICIPALITY)
    return _rows(indicators, years, values, municipality=municipality.pk), listed


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), fact_reader.year_end(year)
