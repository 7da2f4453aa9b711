"""The rules stage: every school-level rule on the per-cell table, whatever the engine.

:func:`evaluate` takes ``cell_stats`` (the engine's stage, :mod:`opora.engine.aggregate`) and the
small tables and runs the regional values and gaps, the identification, objectivity, dynamics,
context and pairs in NumPy/SciPy — the same rules for DuckDB, Spark, files or tables in memory.
The module imports SciPy and every rule's module (≈ 1.5–2 s of one core on a fresh process), so
:mod:`opora.engine.run` imports it on a thread while the engine's stage runs (issue 18).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from opora.engine.agreement import resolve
from opora.engine.cells import Cells, group_index, group_sum, isin_coded, to_cells
from opora.engine.config import Rules
from opora.engine.context import choose_leaders, context_by_year
from opora.engine.dynamics import dynamics_flags, positive_share, trends_read
from opora.engine.evidence import num
from opora.engine.gaps import LOW, TOO_FEW, compute_gaps, school_stats_table, status_in
from opora.engine.identify import Flag, analysis_window, counted_mask, identify
from opora.engine.objectivity import (
    Objectivity,
    analyse_objectivity,
    gap_signs,
    student_signs,
    window_rows,
)
from opora.engine.pairing import Pair, Pairing, Unpaired, pair_schools_explained
from opora.engine.regional import region_by_school, regional_values, set_regions
from opora.engine.timing import Timer, timed
from opora.glossary import ADVERSE_CONTEXT, FLAG_ORDER, RISK_ZONE, flag_label, flag_rank


@dataclass
class Findings:
    """Everything the rules produce from one ``cell_stats`` table, as the rules hold it."""

    school_stats: pa.Table
    flags: list[Flag]
    context: pa.Table
    objectivity: pa.Table
    pairs: list[Pair]
    window: list[int]
    notes: list[str] = field(default_factory=list)
    indicators: dict[str, Any] = field(default_factory=dict)
    coefficients: dict[str, Any] = field(default_factory=dict)
    unpaired: list[Unpaired] = field(default_factory=list)


#: The stages of :func:`evaluate` (every rule after the engine's ``cell_stats``), each timed in
#: ``run.json``; ``timings_s["rules"]`` is the whole rules stage by the clock (issue 18: the rules
#: timed apart from the engine). Objectivity runs beside identification, dynamics and context, so
#: the stages' times add up to more than ``rules``.
RULE_STAGES = ("regional", "identification", "objectivity", "dynamics", "context", "pairing")


def evaluate(cell_stats: pa.Table, tables: Mapping[str, pa.Table], rules: Rules,
             timer: Timer | None = None,
             school_stats_ready: Callable[[pa.Table], None] | None = None) -> Findings:
    """All school-level rules on ``cell_stats`` and the small tables (no engine, no files).

    Objectivity (whole-array NumPy, which lets go of the interpreter) runs in threads beside
    the rest: its signs 1–3 as soon as the regions are known, beside the regional values and the
    gaps; the other signs and the ``school_stats`` table beside the identification, the
    dynamics and the context's years, whose sentences are Python — both cores work (issue 18);
    only the leaders (never a school with signs of non-objective results) wait for it.
    ``school_stats_ready`` is handed the ``school_stats`` table as soon as it is built, on the
    thread that built it — ``opora analyze`` writes its file while the rules go on (issue 18:
    Arrow encodes Parquet outside the interpreter, on the core the rules leave idle). Each stage
    is timed on
    its own thread (objectivity: its two parts added); ``timings["rules"]`` is the stage's time
    by the clock, from the first rule to the last.
    """
    timer = timer or Timer()
    started = time.perf_counter()
    schools = _table(tables, "schools")
    with ThreadPoolExecutor(3, thread_name_prefix="opora-stage") as beside:
        with timer.stage("regional"):
            cells = to_cells(cell_stats)
            regions = set_regions(cells, schools)
            window = analysis_window(cells, rules)
            # signs 1–3 need the regions, not the gaps: they start at once
            early = beside.submit(timed, student_signs, cells, _table(tables, "scales"),
                                  window, rules)
            regional = regional_values(cells, _table(tables, "reference"), schools, rules,
                                       regions)
            gaps = compute_gaps(cells, regional, rules)

        def objectivity() -> tuple[Objectivity, float]:
            # signs 4–6 need the gaps only: computed while signs 1–3 still run (issue 18)
            later, first = timed(gap_signs, cells, gaps, window_rows(cells, window),
                                 _table(tables, "markers"), rules)
            signs, took = early.result()
            obj, rest = timed(analyse_objectivity, cells, gaps, _table(tables, "scales"),
                               _table(tables, "markers"), window, rules, signs, later)
            return obj, round(first + took + rest, 3)

        obj_done = beside.submit(objectivity)
        def stats() -> pa.Table:
            table = school_stats_table(cells, regional, gaps)
            if school_stats_ready is not None:
                school_stats_ready(table)
            return table

        stats_done = beside.submit(stats)
        with timer.stage("identification"):
            ident = identify(cells, regional, gaps, rules)
        with timer.stage("dynamics"):
            # the trends a flag or the indicator reads, as objects (issue 18)
            items, tau2, n_trends = trends_read(ident.years, ident.window, rules,
                                                ident.low_schools)
            last = ident.window[-1] if ident.window else 0
            dyn_flags = dynamics_flags(items, last)
        # the context's years and what pairing reads before the leaders need no objectivity:
        # they run while it is computed (issue 18)
        ctx, took = timed(context_by_year, _table(tables, "context"), ident.years,
                          ident.window, rules, region_by_school(schools))
        known, before = timed(_pairing_inputs, cells, gaps, ident.low_schools, schools,
                              counted_mask(cells, rules))
        obj, timer.timings["objectivity"] = obj_done.result()
        with timer.stage("context"):
            choose_leaders(ctx, ident.years, ident.window, rules, obj.schools)
            agreed = resolve(ident.flags + obj.flags + dyn_flags + ctx.flags, ctx.leaders)
        timer.timings["context"] = round(timer.timings["context"] + took, 3)
        with timer.stage("pairing"):
            pairing = _pairs(cells, gaps, known, ident.low_schools, agreed.leaders,
                             ctx.index_by_school, last, rules)
            unpaired = pairing.unpaired + _not_low(agreed.flags, ident.low_schools, last)
        timer.timings["pairing"] = round(timer.timings["pairing"] + before, 3)
        school_stats = stats_done.result()
    flags = agreed.flags
    notes = regional.notes + ident.notes + obj.notes + ctx.notes + agreed.notes
    if n_trends:
        notes.append(f"динамика: изменчивость разницы с регионом от года к году сверх ошибки выборки "
                     f"τ = {num(tau2 ** 0.5, 2)} п.п. учтена в интервалах наклона")
    if len(ident.window) < rules.dynamics.min_years:
        notes.append("динамика требует не менее двух лет: флаги динамики не вычислялись")
    timer.timings["rules"] = round(time.perf_counter() - started, 3)
    return Findings(school_stats, flags, ctx.table, obj.table,
                      pairing.pairs, ident.window, notes,
                      {"share_low_results_with_positive_dynamics": positive_share(
                          items, ident.low_schools)},
                      ctx.coefficients, unpaired)


def _not_low(flags: list[Flag], low: set[str], last: int) -> list[Unpaired]:
    """Schools on the list of the last year as ШНСУ or the risk zone only: seed 001 pairs ШНОР
    («сетевые пары: ШНОР и школа-лидер»), so they get no pair, and say so."""
    listed: dict[str, set[str]] = {}
    for f in flags:
        if f.year == last and f.flag in (ADVERSE_CONTEXT.code, RISK_ZONE.code):
            listed.setdefault(f.school_key, set()).add(f.flag)
    found = []
    for school in sorted(set(listed) - low):
        names = " и ".join(_in_sentence(flag_label(c))
                           for c in sorted(listed[school], key=flag_rank))
        found.append(Unpaired(school, "not_low", (
            f"в списке {last} года как {names}, не как ШНОР: сетевые пары со школами-лидерами "
            "подбираются для ШНОР (seed 001: «сетевые пары: ШНОР и школа-лидер»)"), None))
    return found


def _in_sentence(label: str) -> str:
    """«Зона риска» → «зона риска» inside a sentence; an abbreviation («ШНСУ») stays."""
    return label if label.split()[0].isupper() else label[0].lower() + label[1:]


def school_counts(flags: list[Flag], window: list[int]) -> dict[str, int]:
    """Per flag code (display order), the schools with it in the window's last year."""
    last = window[-1] if window else None
    found: dict[str, set[str]] = {code: set() for code in FLAG_ORDER}
    for f in flags:
        if f.year == last:
            found.setdefault(f.flag, set()).add(f.school_key)
    return {code: len(keys) for code, keys in found.items()}


def _table(tables: Mapping[str, pa.Table], name: str) -> pa.Table | None:
    table = tables.get(name)
    return table if table is not None and table.num_rows > 0 else None


@dataclass
class _PairingInputs:
    """What pairing reads that does not depend on the leaders (:func:`_pairing_inputs`)."""

    tested: np.ndarray  # cells that count: identification cells with a gap and enough students
    weak: dict[str, set[str]]  # ШНОР → its subjects (families) with a low cell
    coords: dict[str, tuple[float, float]]  # school → (latitude, longitude), where known
    groups: dict[str, str]  # school → municipality (pairs are made within one)


def _pairing_inputs(cells: Cells, gaps: Any, low: set[str], schools: pa.Table | None,
                    mask: np.ndarray) -> _PairingInputs:
    """The ШНОР's weak subjects and where the schools are: read while objectivity is still
    computed, before the leaders are known (issue 18)."""
    tested = mask & ~np.isnan(gaps.gap_pct) & ~status_in(gaps, TOO_FEW)
    fam = cells.family
    weak: dict[str, set[str]] = {}
    for i in np.flatnonzero(tested & status_in(gaps, LOW)
                            & isin_coded(cells.school, cells.codes["school"], low)).tolist():
        weak.setdefault(str(cells.school[i]), set()).add(str(fam[i]))
    coords: dict[str, tuple[float, float]] = {}
    groups: dict[str, str] = {}
    if schools is not None:
        # the four columns read, not a dict per school of all fourteen (issue 18)
        def column(name: str) -> list[Any]:
            return (schools.column(name).to_pylist() if name in schools.column_names
                    else [None] * schools.num_rows)

        keys = [str(key) for key in column("school_key")]
        groups = dict(zip(keys, [str(m or "") for m in column("municipality")], strict=True))
        coords = {key: (float(lat), float(lon)) for key, lat, lon in zip(
            keys, column("latitude"), column("longitude"), strict=True)
            if lat is not None and lon is not None}
    return _PairingInputs(tested, weak, coords, groups)


def _pairs(cells: Cells, gaps: Any, known: _PairingInputs, low: set[str], leaders: set[str],
           index: dict[str, float], last: int, rules: Rules) -> Pairing:
    """Leaders' strengths per subject (a ШНОР without a low cell: its subjects below the
    region), then the assignment."""
    fam = cells.family
    # only the schools pairing reads: leaders' strengths and the ШНОР's own (issue 18)
    rows = np.flatnonzero(known.tested & (cells.year == last)
                          & isin_coded(cells.school, cells.codes["school"], low | leaders))
    strength: dict[tuple[str, str], float] = {}
    if len(rows):
        key, first = group_index(cells.codes["school"][rows], cells.codes["family"][rows])
        n = cells.col("participants")[rows]
        w = group_sum(key, n, len(first))
        mean = group_sum(key, n * gaps.gap_pct[rows], len(first)) / np.maximum(w, 1e-9)
        strength = {(str(s), str(f)): float(g) for s, f, g in
                    zip(cells.school[rows][first], fam[rows][first], mean, strict=True)}
    below: dict[str, set[str]] = {}
    for (s, f), g in strength.items():
        if g < 0:
            below.setdefault(s, set()).add(f)
    weak = dict(known.weak)
    for school in low:
        if school not in weak:
            weak[school] = below.get(school, set())
    return pair_schools_explained(sorted(low), sorted(leaders),
                                  {k: sorted(v) for k, v in weak.items()}, strength, index,
                                  known.coords, rules, known.groups)
