"""Reads of analysis runs and their stored results, always through the user's scope.

The school card (web-schoolcard) shows :func:`school_analysis`; the overview lives in
:mod:`opora.web.analysis.overview`. Nothing here runs the engine: every number was loaded from
the engine's output files when the run finished (:mod:`opora.web.analysis.loading`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from opora.glossary import SIGN_BY_CODE, SIGNS, flag_label, flag_rank, sign_name
from opora.numbers import PERCENT_POINTS, number, percent_points
from opora.web.accounts.scope import Action, Viewer
from opora.web.analysis.labels import procedure_name, subject_list, subject_name
from opora.web.analysis.models import (
    DONE,
    AnalysisRun,
    RunContext,
    RunFlag,
    RunObjectivity,
    RunPair,
    RunSchoolStat,
)
from opora.web.analysis.unpaired import unpaired_of
from opora.web.charts import school_works_chart, spec_json
from opora.web.schools.models import Municipality, School


def runs_covering(municipalities: list[Municipality]) -> QuerySet[AnalysisRun]:
    """Runs over one of these municipalities or over a region holding one of them."""
    return AnalysisRun.objects.filter(
        Q(municipality__in=[m.pk for m in municipalities])
        | Q(municipality__isnull=True, region__in={m.region_id for m in municipalities})
    ).select_related("municipality", "region", "created_by")


def may_see_drafts(viewer: Viewer, municipality: Municipality) -> bool:
    return viewer.may(Action.SEE_DRAFTS, municipality)


def visible_runs(viewer: Viewer, municipalities: list[Municipality]) -> QuerySet[AnalysisRun]:
    """Runs covering these municipalities that the viewer may read: every run of the
    municipalities whose drafts they see, only approved runs (current or replaced) of the rest."""
    drafts = [m for m in municipalities if may_see_drafts(viewer, m)]
    others = [m for m in municipalities if m not in drafts]
    condition = Q(pk__in=runs_covering(drafts).values("pk")) if drafts else Q(pk__in=[])
    if others:
        condition |= Q(pk__in=runs_covering(others).filter(approvals__isnull=False)
                       .values("pk"))
    return (AnalysisRun.objects.filter(condition)
            .select_related("municipality", "region", "created_by"))


def run_get(*, user: Any, pk: int) -> AnalysisRun:
    """One run the user may read (a draft only if they see drafts); 404 when it exists but is
    out of the user's scope."""
    viewer = Viewer.of(user)
    run = visible_runs(viewer, viewer.require_municipalities()).filter(pk=pk).first()
    if run is None:
        raise Http404("Расчёт не найден или недоступен")
    return run


def latest_finished_run(*, municipality: Municipality) -> AnalysisRun | None:
    """The newest finished run whose scope holds ``municipality`` (the default of every page)."""
    return (runs_covering([municipality]).filter(status=DONE)
            .order_by("-finished_at", "-pk").first())


def previous_finished_run(run: AnalysisRun) -> AnalysisRun | None:
    """The finished run of the same scope just before ``run`` (for «вошли / вышли / остаются»)."""
    # municipality_id=None (a regional run) is IS NULL; the plugin wants a number
    return (AnalysisRun.objects.filter(status=DONE, scope=run.scope, region_id=run.region_id,
                                       municipality_id=run.municipality_id)  # type: ignore[misc]
            .filter(Q(finished_at__lt=run.finished_at)
                    | Q(finished_at=run.finished_at, pk__lt=run.pk))
            .order_by("-finished_at", "-pk").first()) if run.finished_at else None


def school_analysis(*, school: School, run: AnalysisRun | None = None) -> dict[str, Any]:
    """Everything the stored runs say about one school — the school card's contract.

    The caller has already checked that the user may see ``school``. ``run`` defaults to the
    newest finished run covering the school's municipality; with no such run every list is
    empty and ``run`` is ``None``. Seven queries whatever the school. Keys:

    - ``run``: the :class:`AnalysisRun` shown (or ``None``);
    - ``flags``: that run's flags, ``[{flag, label, year, evidence}]`` in the glossary's order;
    - ``stats``: school_stats rows ``[{procedure, procedure_name, subject, subject_name, grade,
      year, participants, mean_pct, mean_score, fail_share_pct, region_mean_pct, gap_pct,
      gap_low_pct, gap_high_pct, region_source, region_source_kind, status}]`` (% of the maximum,
      differences in p. p. with the 95 % interval), newest year first;
    - ``objectivity``: ``[{procedure_name, subject_name, grade, year, sign, sign_label, value,
      text, fired}]``, fired signs first;
    - ``objectivity_table``: the same as a table — ``{signs: [(code, heading, name)], rows:
      [{work, year, fired, cells: [{value, text, fired} | None per sign]}]}``, works with a
      fired sign first (see :func:`objectivity_table`);
    - ``pairs_as_low`` / ``pairs_as_leader``: ``[{school, weak_subjects, context_distance,
      leader_strength_pct, distance_km, reason}]`` where ``school`` is the partner;
    - ``unpaired``: why a school of the list has no pair (:func:`~opora.web.analysis.unpaired.
      unpaired_of`: ``{heading, reason, …}``), or ``None``;
    - ``context``: by year ``[{year, context_index, quintile, adverse_context, result_gap_pct,
      expected_gap_pct, residual_pct, residual_low_pct, residual_high_pct}]``;
    - ``charts``: ``[{title, spec}]`` — one chart (or none): the school against the region by
      year, a panel for each procedure × subject × grade with at least two years (``spec`` is
      safe JSON for ``<script type="application/json" class="vega-spec">``).
    """
    return analysis_of_run(school=school,
                           run=run or latest_finished_run(municipality=school.municipality))


def analysis_of_run(*, school: School, run: AnalysisRun | None) -> dict[str, Any]:
    """:func:`school_analysis` of a given run (``None``: no finished run covers the school)."""
    data: dict[str, Any] = {"run": run, "flags": [], "stats": [], "objectivity": [],
                            "objectivity_table": objectivity_table([]),
                            "pairs_as_low": [], "pairs_as_leader": [], "unpaired": None,
                            "context": [],
                            "charts": []}
    if run is None:
        return data
    flags = RunFlag.objects.filter(run=run, school=school).values("flag", "year", "evidence")
    data["flags"] = sorted(({**f, "label": flag_label(f["flag"])} for f in flags),
                           key=lambda f: (flag_rank(f["flag"]), -f["year"]))
    data["stats"] = _stats(run, school)
    data["objectivity"] = _objectivity(run, school)
    data["objectivity_table"] = objectivity_table(data["objectivity"])
    data["pairs_as_low"], data["pairs_as_leader"] = _pairs(run, school)
    data["unpaired"] = unpaired_of(run, school)
    data["context"] = list(RunContext.objects.filter(run=run, school=school).order_by("year")
                           .values("year", "context_index", "quintile", "adverse_context",
                                   "result_gap_pct", "expected_gap_pct", "residual_pct",
                                   "residual_low_pct", "residual_high_pct"))
    data["charts"] = _year_charts(data["stats"])
    return data


_STAT_FIELDS = ("procedure", "subject", "grade", "year", "participants", "mean_pct", "mean_score",
                "fail_share_pct", "region_mean_pct", "gap_pct", "gap_low_pct", "gap_high_pct",
                "region_source", "region_source_kind", "status")


def _stats(run: AnalysisRun, school: School) -> list[dict[str, Any]]:
    rows = (RunSchoolStat.objects.filter(run=run, school=school)
            .order_by("-year", "procedure", "subject", "grade").values(*_STAT_FIELDS))
    return [{**r, "procedure_name": procedure_name(r["procedure"]),
             "subject_name": subject_name(r["subject"])} for r in rows]


def _objectivity(run: AnalysisRun, school: School) -> list[dict[str, Any]]:
    rows = (RunObjectivity.objects.filter(run=run, school=school)
            .order_by("-fired", "-year", "procedure", "subject", "grade", "sign")
            .values("procedure", "subject", "grade", "year", "participants", "sign", "value",
                    "text", "fired"))
    return [{**r, "procedure_name": procedure_name(r["procedure"]),
             "subject_name": subject_name(r["subject"]), "sign_label": sign_name(r["sign"])}
            for r in rows]


def objectivity_table(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Signs of one school as a table: a row per work (procedure, subject, grade, year), a
    column per sign, each cell the sign's value (``None`` where it was not computed).

    A school has up to six signs for each of its 20–40 works; as a list that was one line per
    sign and work, mostly «нет». Works with a fired sign come first, then newest year first.
    Each cell's ``shown`` is its value with the sign's unit («33,3 %», «z = 1,02»), and
    ``columns`` give each sign's heading, unit and what its value means (issue 13: bare numbers
    such as 8,57 / −0,57 / 0,36 said nothing to a coordinator).
    """
    signs = [(sign.code, sign.heading_ru, sign.name_ru) for sign in SIGNS]
    columns = [{"code": s.code, "heading": s.heading_ru + (f", {s.unit}" if s.unit else ""),
                "name": s.name_ru, "unit": s.unit, "meaning": s.meaning_ru} for s in SIGNS]
    column = {code: i for i, (code, _, _) in enumerate(signs)}
    works: dict[tuple[str, str, int, int], dict[str, Any]] = {}
    for row in rows:
        key = (row["procedure_name"], row["subject_name"], row["grade"], row["year"])
        work = works.setdefault(key, {
            "work": f"{key[0]}, {key[1].lower()}, {key[2]} класс", "year": key[3],
            "fired": False, "cells": [None] * len(signs)})
        if row["sign"] in column:
            work["cells"][column[row["sign"]]] = {
                "value": row["value"], "text": row["text"], "fired": row["fired"],
                "shown": sign_value_text(row["sign"], row["value"])}
            work["fired"] |= bool(row["fired"])
    ordered = sorted(works.values(), key=lambda w: (not w["fired"], -w["year"], w["work"]))
    return {"signs": signs, "columns": columns, "rows": ordered}


def sign_value_text(code: str, value: float | None) -> str:
    """A sign's value with its unit: a share «33,3 %», a difference «−16,9 п. п.», a
    standardised excess «z = 1,02», a correlation «r = −0,89»; «» without a value."""
    sign = SIGN_BY_CODE.get(code)
    if value is None or sign is None:
        return ""
    if sign.unit in ("z", "r"):
        return f"{sign.unit} = {number(value, 2)}"
    if sign.unit == PERCENT_POINTS:
        return percent_points(value)
    return f"{number(value, 1)} {sign.unit}".rstrip()


def _pairs(run: AnalysisRun, school: School) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def row(pair: RunPair, partner: School) -> dict[str, Any]:
        return {"school": partner, "weak_subjects": subject_list(pair.weak_subjects),
                "context_distance": pair.context_distance,
                "leader_strength_pct": pair.leader_strength_pct,
                "distance_km": pair.distance_km, "reason": pair.reason}

    as_low = RunPair.objects.filter(run=run, low_school=school).select_related("leader_school")
    as_leader = RunPair.objects.filter(run=run, leader_school=school).select_related("low_school")
    return ([row(p, p.leader_school) for p in as_low],
            [row(p, p.low_school) for p in as_leader])


def _year_charts(stats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The school against the region by year: one panel per procedure × subject × grade that
    the school has in two years or more, all in one faceted chart (none without such a work)."""
    cells: dict[tuple[str, str, int], list[dict[str, Any]]] = defaultdict(list)
    for row in stats:
        cells[(row["procedure"], row["subject"], row["grade"])].append(row)
    works = [(f"{procedure_name(procedure)}, {subject_name(subject).lower()}, {grade} класс", rows)
             for (procedure, subject, grade), rows in sorted(cells.items())
             if len({r["year"] for r in rows}) >= 2]
    if not works:
        return []
    title = "Результат школы и региона по годам, % от максимума"
    return [{"title": title, "spec": spec_json(school_works_chart(works, title=title))}]
