"""``analyze``: from the normalised tables to flags with evidence, context, objectivity and pairs.

This is the Python API the web app and ``opora analyze`` call. The heavy per-student stage runs on
the chosen engine (:func:`opora.engine.aggregate.compute_cell_stats`); every rule after it works
on the small per-cell table in NumPy/SciPy (:func:`evaluate`), so the rules are the same whatever
the engine. Every run writes the configuration it used, input checksums, row counts, timings and
what could not be computed (and why) to ``run.json``, so a past list can be reproduced and explained.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from opora.csv_safety import safe_row
from opora.engine.cells import Cells, group_index, group_sum, isin, to_cells
from opora.engine.config import Rules, load_rules
from opora.engine.context import analyse_context
from opora.engine.dynamics import dynamics_flags, positive_share, trends
from opora.engine.evidence import num
from opora.engine.gaps import LOW, compute_gaps, school_stats_table
from opora.engine.identify import Flag, counted_mask, identify
from opora.engine.objectivity import analyse_objectivity
from opora.engine.pairing import Pair, pair_schools
from opora.engine.regional import region_by_school, regional_values
from opora.glossary import FLAG_ORDER

FLAG_COLUMNS = ("school_key", "school_name", "municipality", "flag", "year", "evidence")
PAIR_COLUMNS = ("low_school_key", "low_school_name", "leader_school_key", "leader_school_name",
                "weak_subjects", "context_distance", "leader_strength_pct", "distance_km", "reason")


@dataclass
class Evaluation:
    """Everything the rules produce from one ``cell_stats`` table."""

    school_stats: pa.Table
    flags: list[Flag]
    context: pa.Table
    objectivity: pa.Table
    pairs: list[Pair]
    window: list[int]
    notes: list[str] = field(default_factory=list)
    indicators: dict[str, Any] = field(default_factory=dict)
    coefficients: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunSummary:
    out_dir: Path
    engine: str
    rules_version: str
    years: list[int]
    flag_counts: dict[str, int]
    row_counts: dict[str, int]
    timings: dict[str, float]
    not_computed: list[str]

    def __str__(self) -> str:
        flags = ", ".join(f"{k}: {v}" for k, v in self.flag_counts.items() if v) or "флагов нет"
        return (f"анализ ({self.engine}, правила {self.rules_version}, годы "
                f"{', '.join(map(str, self.years)) or '—'}): {flags}; результаты в {self.out_dir}")


class _Timer:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)


def evaluate(cell_stats: pa.Table, tables: dict[str, pa.Table], rules: Rules,
             timer: _Timer | None = None) -> Evaluation:
    """All school-level rules on ``cell_stats`` and the small tables (no engine, no files)."""
    timer = timer or _Timer()
    with timer.stage("regional"):
        cells = to_cells(cell_stats)
        regional = regional_values(cells, _table(tables, "reference"), _table(tables, "schools"),
                                   rules)
        gaps = compute_gaps(cells, regional, rules)
    with timer.stage("identification"):
        ident = identify(cells, regional, gaps, rules)
    with timer.stage("objectivity"):
        obj = analyse_objectivity(cells, gaps, _table(tables, "scales"), _table(tables, "markers"),
                                  ident.window, rules)
    with timer.stage("dynamics"):
        items, tau2 = trends(ident.years, ident.window, rules)
        last = ident.window[-1] if ident.window else 0
        dyn_flags = dynamics_flags(items, last)
    with timer.stage("context"):
        ctx = analyse_context(_table(tables, "context"), ident.years, ident.window, rules,
                              obj.schools, region_by_school(_table(tables, "schools")))
    with timer.stage("pairing"):
        pairs = _pairs(cells, gaps, ident.low_schools, ctx.leaders, ctx.index_by_school,
                       _table(tables, "schools"), counted_mask(cells, rules), last, rules)
    flags = ident.flags + obj.flags + dyn_flags + ctx.flags
    notes = regional.notes + ident.notes + obj.notes + ctx.notes
    if items:
        notes.append(f"динамика: изменчивость разницы с регионом от года к году сверх ошибки выборки "
                     f"τ = {num(tau2 ** 0.5, 2)} п.п. учтена в интервалах наклона")
    if len(ident.window) < rules.dynamics.min_years:
        notes.append("динамика требует не менее двух лет: флаги динамики не вычислялись")
    return Evaluation(school_stats_table(cells, regional, gaps), flags, ctx.table, obj.table,
                      pairs, ident.window, notes,
                      {"share_low_results_with_positive_dynamics": positive_share(
                          items, ident.low_schools)},
                      ctx.coefficients)


def _table(tables: dict[str, pa.Table], name: str) -> pa.Table | None:
    table = tables.get(name)
    return table if table is not None and table.num_rows > 0 else None


def _pairs(cells: Cells, gaps: Any, low: set[str], leaders: set[str], index: dict[str, float],
           schools: pa.Table | None, mask: np.ndarray, last: int, rules: Rules) -> list[Pair]:
    """Weak subjects of each ШНОР, leaders' strengths per subject, then the assignment."""
    tested = mask & ~np.isnan(gaps.gap_pct) & (gaps.status != "too_few")
    fam = cells.family
    weak: dict[str, set[str]] = {}
    for i in np.flatnonzero(tested & (gaps.status == LOW)
                            & isin(cells.school, low)).tolist():
        weak.setdefault(str(cells.school[i]), set()).add(str(fam[i]))
    rows = np.flatnonzero(tested & (cells.year == last))
    strength: dict[tuple[str, str], float] = {}
    if len(rows):
        key, first = group_index(cells.codes["school"][rows], cells.codes["family"][rows])
        n = cells.col("participants")[rows]
        w = group_sum(key, n, len(first))
        mean = group_sum(key, n * gaps.gap_pct[rows], len(first)) / np.maximum(w, 1e-9)
        strength = {(str(s), str(f)): float(g) for s, f, g in
                    zip(cells.school[rows][first], fam[rows][first], mean, strict=True)}
    for school in low:
        if school not in weak:
            weak[school] = {f for (s, f), g in strength.items() if s == school and g < 0}
    coords: dict[str, tuple[float, float]] = {}
    groups: dict[str, str] = {}
    if schools is not None:
        for r in schools.to_pylist():
            groups[str(r["school_key"])] = str(r.get("municipality") or "")
            if r.get("latitude") is not None and r.get("longitude") is not None:
                coords[str(r["school_key"])] = (float(r["latitude"]), float(r["longitude"]))
    return pair_schools(sorted(low), sorted(leaders), {k: sorted(v) for k, v in weak.items()},
                        strength, index, coords, rules, groups)


def analyze(input_dir: Path | str, out_dir: Path | str, *, config_path: Path | str | None = None,
            engine: str = "duckdb", years: tuple[int, int] | None = None) -> RunSummary:
    """Run the whole analysis on a directory of normalised tables and write the results."""
    from opora.engine.aggregate import compute_cell_stats
    from opora.engine.io import checksums, read_small_tables
    from opora.engine.session import open_session

    input_dir, out_dir = Path(input_dir), Path(out_dir)
    rules = load_rules(config_path)
    timer = _Timer()
    with timer.stage("read"):
        tables = read_small_tables(input_dir)
        sums = checksums(input_dir)
    with timer.stage("cell_stats"), open_session(engine) as es:
        cell_stats = compute_cell_stats(es, input_dir, years=years)
    result = evaluate(cell_stats, tables, rules, timer)
    with timer.stage("write"):
        counts = write_outputs(result, tables.get("schools"), out_dir)
    counts["cell_stats"] = cell_stats.num_rows
    flag_counts = {f: sum(1 for x in result.flags if x.flag == f) for f in FLAG_ORDER}
    summary = RunSummary(out_dir, engine, rules.version, result.window, flag_counts, counts,
                         timer.timings, result.notes)
    _write_run_json(out_dir, rules, summary, input_dir, sums, years, result, tables)
    return summary


def write_outputs(result: Evaluation, schools: pa.Table | None, out_dir: Path) -> dict[str, int]:
    """school_stats/context/objectivity Parquet, flags.csv and pairs.csv (UTF-8 with BOM)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pq.write_table(result.school_stats, out_dir / "school_stats.parquet")
    pq.write_table(result.context, out_dir / "context.parquet")
    pq.write_table(result.objectivity, out_dir / "objectivity.parquet")
    names = _school_names(schools)
    order = {f: i for i, f in enumerate(FLAG_ORDER)}
    flags = sorted(result.flags, key=lambda f: (f.school_key, order.get(f.flag, 99), f.year))
    with (out_dir / "flags.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(FLAG_COLUMNS)
        for f in flags:
            name, muni = names.get(f.school_key, ("", ""))
            writer.writerow(safe_row([f.school_key, name, muni, f.flag, f.year, f.evidence]))
    with (out_dir / "pairs.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(PAIR_COLUMNS)
        for p in result.pairs:
            writer.writerow(safe_row([
                p.low_school, names.get(p.low_school, ("", ""))[0], p.leader_school,
                names.get(p.leader_school, ("", ""))[0], ", ".join(p.weak_subjects),
                _round(p.context_distance), _round(p.leader_strength_pct),
                _round(p.distance_km), p.reason]))
    return {"school_stats": result.school_stats.num_rows, "flags": len(flags),
            "context": result.context.num_rows, "objectivity": result.objectivity.num_rows,
            "pairs": len(result.pairs)}


def _round(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _school_names(schools: pa.Table | None) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    if schools is None or schools.num_rows == 0:
        return out
    for r in schools.to_pylist():
        name = r.get("short_name") or r.get("full_name") or ""
        out[str(r["school_key"])] = (str(name), str(r.get("municipality") or ""))
    return out


def _write_run_json(out_dir: Path, rules: Rules, summary: RunSummary, input_dir: Path,
                    sums: dict[str, str], years: tuple[int, int] | None, result: Evaluation,
                    tables: dict[str, pa.Table]) -> None:
    payload = {
        "rules_version": rules.version, "rules_source": rules.source, "rules": rules.as_dict(),
        "engine": summary.engine, "input_dir": str(input_dir), "input_checksums": sums,
        "years_requested": list(years) if years else None, "years_analysed": result.window,
        "input_rows": {k: t.num_rows for k, t in tables.items()},
        "output_rows": summary.row_counts, "flag_counts": summary.flag_counts,
        "timings_s": summary.timings, "not_computed": result.notes,
        "indicators": result.indicators, "context_coefficients": result.coefficients,
    }
    (out_dir / "run.json").write_text(json.dumps(payload, ensure_ascii=False, indent=2), "utf-8")
