"""The effectiveness analysis of a municipality, from the official run's results and lists.

The facts: the official run's gaps to the region (``RunSchoolStat.gap_pct`` per work and year),
the schools' social context index (``RunContext``), and the official lists — a school entered in
the first year it is on a list as ШНОР, ШНСУ or both (the year of that list: ``since_year`` would
count a stay from years in the risk zone, which is not entering); schools never
on a list are the pool the comparison group is matched from. The statistics are
:mod:`opora.engine.effectiveness` (docstrings there; docs/methodology.md, «Анализ
эффективности»).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache

from opora.catalog import PROCEDURES, SUBJECTS
from opora.engine.effectiveness import Effect, Gap, estimate, school_year_gaps, sentence
from opora.web.analysis.models import (
    CATEGORY_RISK,
    AnalysisRun,
    ApprovedList,
    Inclusion,
    RunContext,
    RunSchoolStat,
)
from opora.web.analysis.official import current_lists, official_run
from opora.web.core.fragments import versioned_key
from opora.web.schools.models import Municipality


@dataclass
class Row:
    effect: Effect
    work: str
    text: str


@dataclass
class Dynamics:
    """The mean gap to the region over all works, by year: the schools that entered in
    ``entry_year`` beside the schools never on a list (the table under the estimates)."""

    entry_year: int
    years: list[int]
    entered: list[float | None]
    never: list[float | None]


@dataclass
class Analysis:
    run: AnalysisRun | None
    entry_years: list[int]
    rows: list[Row]
    entered: int
    pool: int
    dynamics: list[Dynamics] = field(default_factory=list)


def work_label(procedure: str, subject: str) -> str:
    if procedure == "*":
        return "Все работы"
    p, s = PROCEDURES.get(procedure), SUBJECTS.get(subject)
    return f"{p.name_ru if p else procedure}, {(s.name_ru if s else subject).lower()}"


#: An analysis lives an hour: its key names the run and the lists it follows from, which never
#: change (a new list is a new record, a withdrawn one leaves the key).
ANALYSIS_SECONDS = 3600


def analyse(municipality: Municipality) -> Analysis:
    """The analysis of ``municipality``'s official run and current lists — computed once per
    run and set of lists and kept (every municipality under a region-wide list shares it: a
    region's notes and pages ask for it 30 times)."""
    run = official_run(municipality)
    if run is None:
        return Analysis(None, [], [], 0, 0)
    lists = current_lists(municipality)
    key = versioned_key(f"monitoring:effect:{run.pk}:{'-'.join(str(a.pk) for a in lists)}")
    found = cache.get(key)
    if found is None:
        found = _analyse(run, lists)
        cache.set(key, found, ANALYSIS_SECONDS)
    return found


def _analyse(run: AnalysisRun, lists: list[ApprovedList]) -> Analysis:
    stats = list(RunSchoolStat.objects.filter(run=run).values_list(
        "school_id", "procedure", "subject", "year", "gap_pct", "participants"))
    gaps = school_year_gaps(Gap(s, p, subj, y, g, n or 0) for s, p, subj, y, g, n in stats
                            if g is not None)
    entered: dict[int, int] = {}
    listed: set[int] = set()
    for school, year, category in Inclusion.objects.filter(
            approved_list__in=lists).values_list(
            "school_id", "approved_list__year", "category"):
        listed.add(school)
        if category != CATEGORY_RISK:  # a year in the risk zone before is not entering
            entered[school] = min(year, entered.get(school, year))
    schools = {s for s, *_ in stats}
    never = schools - listed
    context = dict(RunContext.objects.filter(run=run).order_by("year").values_list(
        "school_id", "context_index"))
    works = sorted({(p, subj) for _s, p, subj, *_ in stats})
    rows = []
    years = sorted(set(entered.values()))
    for year in years:
        for procedure, subject in [("*", "*"), *works]:
            e = estimate(gaps, entered, never, {k: v for k, v in context.items()
                                                if v is not None}, year, procedure, subject)
            if procedure != "*" and e.treated == 0:
                continue
            rows.append(Row(e, work_label(procedure, subject), sentence(e)))
    all_years = sorted({y for _s, _p, _subj, y, *_ in stats})
    dynamics = [Dynamics(year, all_years,
                         [_mean(gaps, {s for s, y in entered.items() if y == year}, y)
                          for y in all_years],
                         [_mean(gaps, never, y) for y in all_years]) for year in years]
    return Analysis(run, years, rows, len(entered), len(never), dynamics)


def _mean(gaps: dict[tuple[int, str, str, int], float], schools: set[int],
          year: int) -> float | None:
    found = [gaps[(s, "*", "*", year)] for s in schools if (s, "*", "*", year) in gaps]
    return sum(found) / len(found) if found else None
