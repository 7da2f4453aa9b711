"""From the normalised tables to flags with evidence, context, objectivity and pairs.

Two entry points share one core (:func:`_evaluation`): :func:`analyze_tables` takes Arrow tables in
memory and returns the outputs in memory (the web run, which exports them from its database);
:func:`analyze` reads a directory of Parquet files and writes the outputs as files (``opora
analyze``, and Spark at national scale). The heavy per-student stage runs on the chosen engine
(:mod:`opora.engine.aggregate`); every rule after it works on the small per-cell table in
NumPy/SciPy (:func:`evaluate`), so the rules are the same whatever the engine and the source. The
outputs are the tables of :data:`opora.schemas.OUTPUTS`; the run's summary holds what ``run.json``
records — the configuration used, row counts, timings and what could not be computed (and why) —
so a past list can be reproduced and explained.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pyarrow as pa

from opora.engine.agreement import resolve
from opora.engine.cells import Cells, group_index, group_sum, isin_coded, to_cells
from opora.engine.config import Rules, load_rules
from opora.engine.context import analyse_context
from opora.engine.dynamics import dynamics_flags, positive_share, trends
from opora.engine.evidence import num
from opora.engine.gaps import LOW, TOO_FEW, compute_gaps, school_stats_table, status_in
from opora.engine.identify import Flag, analysis_window, counted_mask, identify
from opora.engine.objectivity import Objectivity, analyse_objectivity, student_signs
from opora.engine.outputs import output_tables, write_outputs
from opora.engine.pairing import Pair, Pairing, Unpaired, pair_schools_explained
from opora.engine.regional import region_by_school, regional_values, set_regions
from opora.glossary import ADVERSE_CONTEXT, FLAG_ORDER, RISK_ZONE, flag_label, flag_rank
from opora.schemas import OUTPUTS, TABLES, conform

if TYPE_CHECKING:
    from opora.engine.session import EngineSession
    from opora.engine.storage import Location


T = TypeVar("T")


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


@dataclass
class RunSummary:
    """What a run did; ``run_json`` is the whole record ``run.json`` holds (and the web stores)."""

    engine: str
    rules_version: str
    years: list[int]
    flag_counts: dict[str, int]
    row_counts: dict[str, int]
    timings: dict[str, float]
    not_computed: list[str]
    run_json: dict[str, Any] = field(default_factory=dict)
    out_dir: Path | str | None = None  # a local directory or a URL (s3://…, hdfs://…)
    #: schools (not flags) with each flag in the last year of the window: what the run page and
    #: the overview count (a school may have a flag for several years or by several rules)
    school_counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        counts = self.school_counts or self.flag_counts
        flags = ", ".join(f"{k}: {v}" for k, v in counts.items() if v) or "флагов нет"
        where = f"результаты в {self.out_dir}" if self.out_dir else "результаты в памяти"
        return (f"анализ ({self.engine}, правила {self.rules_version}, годы "
                f"{', '.join(map(str, self.years)) or '—'}): {flags}; {where}")


@dataclass
class Evaluation:
    """The evaluation as Arrow tables of the declared schemas (:data:`opora.schemas.OUTPUTS`)."""

    school_stats: pa.Table
    flags: pa.Table
    context: pa.Table
    objectivity: pa.Table
    pairs: pa.Table
    unpaired: pa.Table
    summary: RunSummary
    #: What the rules read (``cell_stats`` and the small tables :data:`RULE_INPUTS`): kept with a
    #: run, they let the identification be redone with other settings without the student rows
    #: (:mod:`opora.engine.whatif`).
    rule_inputs: dict[str, pa.Table] = field(default_factory=dict)

    def tables(self) -> dict[str, pa.Table]:
        """The outputs by name, in the order of :data:`opora.schemas.OUTPUTS`."""
        return {name: getattr(self, name) for name in OUTPUTS}


#: The small input tables the identification and the context read, kept with ``cell_stats``.
RULE_INPUTS = ("reference", "schools", "context")

#: The stages of :func:`evaluate` (every rule after the engine's ``cell_stats``), each timed in
#: ``run.json``; ``timings_s["rules"]`` is the whole rules stage by the clock (issue 18: the rules
#: timed apart from the engine). Objectivity runs beside identification, dynamics and context, so
#: the stages' times add up to more than ``rules``.
RULE_STAGES = ("regional", "identification", "objectivity", "dynamics", "context", "pairing")


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)


def evaluate(cell_stats: pa.Table, tables: Mapping[str, pa.Table], rules: Rules,
             timer: _Timer | None = None) -> Findings:
    """All school-level rules on ``cell_stats`` and the small tables (no engine, no files).

    Objectivity (whole-array NumPy, which lets go of the interpreter) runs in threads beside
    the rest: its signs 1–3 as soon as the regions are known, beside the regional values and the
    gaps; the other signs and the ``school_stats`` table beside the identification and the
    dynamics, whose sentences are Python — both cores work (issue 18). Each stage is timed on
    its own thread (objectivity: its two parts added); ``timings["rules"]`` is the stage's time
    by the clock, from the first rule to the last.
    """
    timer = timer or _Timer()
    started = time.perf_counter()
    schools = _table(tables, "schools")
    with ThreadPoolExecutor(3, thread_name_prefix="opora-stage") as beside:
        with timer.stage("regional"):
            cells = to_cells(cell_stats)
            regions = set_regions(cells, schools)
            window = analysis_window(cells, rules)
            # signs 1–3 need the regions, not the gaps: they start at once
            early = beside.submit(_timed, student_signs, cells, _table(tables, "scales"),
                                  window, rules)
            regional = regional_values(cells, _table(tables, "reference"), schools, rules,
                                       regions)
            gaps = compute_gaps(cells, regional, rules)

        def objectivity() -> tuple[Objectivity, float]:
            signs, took = early.result()
            obj, rest = _timed(analyse_objectivity, cells, gaps, _table(tables, "scales"),
                               _table(tables, "markers"), window, rules, signs)
            return obj, round(took + rest, 3)

        obj_done = beside.submit(objectivity)
        stats_done = beside.submit(school_stats_table, cells, regional, gaps)
        with timer.stage("identification"):
            ident = identify(cells, regional, gaps, rules)
        with timer.stage("dynamics"):
            items, tau2 = trends(ident.years, ident.window, rules)
            last = ident.window[-1] if ident.window else 0
            dyn_flags = dynamics_flags(items, last)
        obj, timer.timings["objectivity"] = obj_done.result()
        with timer.stage("context"):
            ctx = analyse_context(_table(tables, "context"), ident.years, ident.window, rules,
                                  obj.schools, region_by_school(schools))
            agreed = resolve(ident.flags + obj.flags + dyn_flags + ctx.flags, ctx.leaders)
        with timer.stage("pairing"):
            pairing = _pairs(cells, gaps, ident.low_schools, agreed.leaders,
                             ctx.index_by_school, schools, counted_mask(cells, rules), last,
                             rules)
            unpaired = pairing.unpaired + _not_low(agreed.flags, ident.low_schools, last)
        school_stats = stats_done.result()
    flags = agreed.flags
    notes = regional.notes + ident.notes + obj.notes + ctx.notes + agreed.notes
    if items:
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


def _timed(fn: Callable[..., T], *args: Any) -> tuple[T, float]:
    """``fn(*args)`` and its seconds by the clock (a stage split over threads adds its parts)."""
    start = time.perf_counter()
    found = fn(*args)
    return found, round(time.perf_counter() - start, 3)


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


def _pairs(cells: Cells, gaps: Any, low: set[str], leaders: set[str], index: dict[str, float],
           schools: pa.Table | None, mask: np.ndarray, last: int, rules: Rules) -> Pairing:
    """Weak subjects of each ШНОР, leaders' strengths per subject, then the assignment."""
    tested = mask & ~np.isnan(gaps.gap_pct) & ~status_in(gaps, TOO_FEW)
    fam = cells.family
    weak: dict[str, set[str]] = {}
    for i in np.flatnonzero(tested & status_in(gaps, LOW)
                            & isin_coded(cells.school, cells.codes["school"], low)).tolist():
        weak.setdefault(str(cells.school[i]), set()).add(str(fam[i]))
    # only the schools pairing reads: leaders' strengths and the ШНОР's own (issue 18)
    rows = np.flatnonzero(tested & (cells.year == last)
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
    for school in low:
        if school not in weak:
            weak[school] = below.get(school, set())
    coords: dict[str, tuple[float, float]] = {}
    groups: dict[str, str] = {}
    if schools is not None:
        # the four columns read, not a dict per school of all fourteen (issue 18)
        def column(name: str) -> list[Any]:
            return (schools.column(name).to_pylist() if name in schools.column_names
                    else [None] * schools.num_rows)

        for key, municipality, lat, lon in zip(column("school_key"), column("municipality"),
                                               column("latitude"), column("longitude"),
                                               strict=True):
            groups[str(key)] = str(municipality or "")
            if lat is not None and lon is not None:
                coords[str(key)] = (float(lat), float(lon))
    return pair_schools_explained(sorted(low), sorted(leaders),
                                  {k: sorted(v) for k, v in weak.items()}, strength, index,
                                  coords, rules, groups)


def analyze_tables(tables: Mapping[str, pa.Table], *, rules: Rules | Path | str | None = None,
                   years: tuple[int, int] | None = None, engine: str = "duckdb",
                   spark_master: str | None = None) -> Evaluation:
    """Run the whole analysis on normalised tables in memory; the outputs come back in memory.

    ``tables`` are named as in :data:`opora.schemas.TABLES` (missing ones are empty) and are
    conformed to their schemas; ``results`` is scanned by the engine where it lies, no file is
    written. ``rules``: a :class:`Rules`, a TOML file over the defaults, or ``None`` (defaults).
    ``spark_master``: the cluster of ``engine="spark"`` (``None``: Spark in local mode).
    """
    from opora.engine.aggregate import cell_stats_of_tables

    rules = rules if isinstance(rules, Rules) else load_rules(rules)
    timer = _Timer()
    with timer.stage("inputs"):
        inputs = {name: conform(table, TABLES[name]) for name, table in tables.items()
                  if name in TABLES}
    return _evaluation(inputs, lambda es: cell_stats_of_tables(es, inputs, years=years),
                       rules=rules, engine=engine, years=years, timer=timer,
                       spark_master=spark_master)


def analyze(input_dir: Path | str | Location, out_dir: Path | str | Location, *,
            config_path: Path | str | None = None, engine: str = "duckdb",
            years: tuple[int, int] | None = None, spark_master: str | None = None) -> RunSummary:
    """Run the whole analysis on a directory of normalised tables and write the results.

    ``input_dir`` and ``out_dir`` are local directories or locations on S3-compatible storage or
    HDFS (``s3://bucket/prefix``, ``hdfs://host:port/path``; :mod:`opora.engine.storage`): the
    tables are read and the outputs written through the location's file system.
    ``spark_master``: the cluster of ``engine="spark"`` (``None``: Spark in local mode). Its
    executors read the student rows of ``input_dir`` themselves: a local directory must be at the
    same path on every node (on one machine any local path will do); S3 and HDFS they reach
    directly.
    """
    from opora.engine.aggregate import compute_cell_stats
    from opora.engine.io import checksums, read_small_tables
    from opora.engine.storage import as_location, storage_errors

    source, target = as_location(input_dir), as_location(out_dir)
    rules = load_rules(config_path)
    timer = _Timer()
    with timer.stage("read"):
        tables = read_small_tables(source)
        sums = checksums(source)
    result = _evaluation(tables, lambda es: compute_cell_stats(es, source, years=years),
                         rules=rules, engine=engine, years=years, timer=timer,
                         spark_master=spark_master)
    with timer.stage("write"):
        write_outputs(result.tables(), target)
    summary = result.summary
    summary.out_dir = target.url if target.remote else Path(target.url)
    summary.run_json.update(input_dir=source.url, input_checksums=sums)
    text = json.dumps(summary.run_json, ensure_ascii=False, indent=2)
    with storage_errors(target, "записать результаты в"), \
            target.fs.open_output_stream(target.child("run.json")) as fh:
        fh.write(text.encode("utf-8"))
    return summary


def _evaluation(tables: Mapping[str, pa.Table], cells_of: Callable[[EngineSession], pa.Table], *,
                rules: Rules, engine: str, years: tuple[int, int] | None,
                timer: _Timer, spark_master: str | None = None) -> Evaluation:
    """The core both entry points share: the engine's stage, the rules, the declared outputs."""
    from opora.engine.session import open_session

    master = spark_master if engine == "spark" and spark_master else None
    with timer.stage("cell_stats"), open_session(engine, spark_master=master) as es:
        cell_stats = cells_of(es)
    found = evaluate(cell_stats, tables, rules, timer)
    with timer.stage("outputs"):
        outputs = output_tables(found.school_stats, found.flags, found.context,
                                found.objectivity, found.pairs, tables.get("schools"),
                                found.unpaired, found.window[-1] if found.window else None)
    counts = {name: table.num_rows for name, table in outputs.items()}
    counts["cell_stats"] = cell_stats.num_rows
    flag_counts = {f: sum(1 for x in found.flags if x.flag == f) for f in FLAG_ORDER}
    schools = school_counts(found.flags, found.window)
    summary = RunSummary(engine, rules.version, found.window, flag_counts, counts, timer.timings,
                         found.notes, school_counts=schools)
    summary.run_json = {
        "rules_version": rules.version, "rules_source": rules.source, "rules": rules.as_dict(),
        "engine": engine, "input_dir": None, "input_checksums": None,
        "years_requested": list(years) if years else None, "years_analysed": found.window,
        "input_rows": {k: t.num_rows for k, t in tables.items()},
        "output_rows": counts, "flag_counts": flag_counts, "school_counts": schools,
        "timings_s": timer.timings, "not_computed": found.notes,
        "indicators": found.indicators, "context_coefficients": found.coefficients,
    }
    if master:
        summary.run_json["spark_master"] = master
    rule_inputs = {"cell_stats": cell_stats,
                   **{name: tables[name] for name in RULE_INPUTS if name in tables}}
    return Evaluation(**outputs, summary=summary, rule_inputs=rule_inputs)
