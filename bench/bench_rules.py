"""The rules stage next to the engine's stage: ``timings_s["rules"]`` against ``cell_stats``.

    .venv/bin/python bench/bench_rules.py [--data КАТАЛОГ] [--scale region] [--repeat 3]
        [--cells CELL_STATS.parquet | --save-cells CELL_STATS.parquet]

On a data set — ``--data`` (as ``opora generate`` writes it) or one generated at ``--scale`` (3
years, seed 1, cached in ``bench/out/data``) — computes ``cell_stats`` on DuckDB once, then runs
the rules (:func:`opora.engine.rules_stage.evaluate`, the stages :data:`opora.engine.rules_stage.RULE_STAGES`:
regional values and gaps, identification, objectivity, dynamics, context, pairing with their
evidence sentences; what ``opora analyze`` records as ``timings_s["rules"]``) ``--repeat`` times
(``--cells``: on a ``cell_stats`` saved as Parquet — ``--save-cells`` writes one —, the engine's
stage left out), and prints both stages side by side: wall seconds, CPU seconds of the process
(all its threads: DuckDB uses two, the rules as many as the machine has cores) with CPU / wall,
per 1,000 cells, and the process's peak memory. Objectivity runs beside identification, dynamics
and context (issue 18), so the stages' times add up to more than the rules'. The rules' run
with the smallest wall time is kept. A
before/after comparison needs two versions of the code, so it is not made in one run: the numbers
of earlier versions are in docs/benchmarks.md. Issue 18 sets the target: the rules under 5 s for a
country (1.85 M cells, 40,005 schools). The machine may be shared: wall time then grows with the
load, CPU time much less, so both are printed with the 1-minute load average before and after.
Output: Markdown on stdout and in ``bench/out/rules-<каталог>.md``.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from opora.demo.generator import generate
from opora.engine.aggregate import compute_cell_stats
from opora.engine.config import load_rules
from opora.engine.io import read_small_tables
from opora.engine.rules_stage import RULE_STAGES, evaluate
from opora.engine.session import open_session
from opora.engine.timing import Timer

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"  # rules-<data set>.md
DATA = HERE / "out" / "data"
TARGET_S = 5.0  # issue 18: the rules stage of a country (1.85 M cells)


def cell_stage(data: Path) -> tuple[pa.Table, float, float]:
    """``cell_stats`` of the data set on DuckDB: the table, wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    with open_session("duckdb") as es:
        cells = compute_cell_stats(es, data)
    return cells, time.perf_counter() - wall, time.process_time() - cpu


def rules_stage(cells: pa.Table, tables: dict[str, pa.Table]) -> dict[str, float]:
    """One run of the rules: each stage's wall seconds, ``rules`` and its CPU seconds."""
    timer = Timer()
    cpu = time.process_time()
    evaluate(cells, tables, load_rules(None), timer)
    return {**timer.timings, "rules_cpu": time.process_time() - cpu,
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2}


def markdown(data: Path, cells: pa.Table, schools: int, cell_wall: float, cell_cpu: float,
             runs: list[dict[str, float]], load: tuple[tuple[float, ...], ...]) -> str:
    best = min(runs, key=lambda r: r["rules"])
    per = 1000.0 / max(cells.num_rows, 1)
    loads = " → ".join(" ".join(f"{x:.1f}" for x in one) for one in load)
    every = ", ".join(f"{r['rules']:.2f}" for r in runs)
    lines = [f"# Стадия правил и стадия `cell_stats`: {data.name}", "",
             f"{schools} школ, {cells.num_rows} ячеек (`cell_stats`); правила — лучший из "
             f"{len(runs)} запусков (все: {every} с); "
             f"loadavg (1/5/15 мин) {loads}; {os.cpu_count()} ядра.", "",
             "| этап | по часам, с | мс на 1000 ячеек | CPU, с | CPU / по часам |",
             "|---|---:|---:|---:|---:|"]
    if not math.isnan(cell_wall):  # --cells: the engine's stage was not run
        lines.append(f"| **cell_stats** | {cell_wall:.2f} | {cell_wall * per * 1000:.2f} | "
                     f"{cell_cpu:.2f} | {cell_cpu / max(cell_wall, 1e-9):.0%} |")
    for stage in RULE_STAGES:
        lines.append(f"| {stage} | {best[stage]:.2f} | {best[stage] * per * 1000:.2f} | | |")
    lines.append(f"| **rules** | {best['rules']:.2f} | {best['rules'] * per * 1000:.2f} | "
                 f"{best['rules_cpu']:.2f} | {best['rules_cpu'] / max(best['rules'], 1e-9):.0%} |")
    ratio = ("" if math.isnan(cell_wall)
             else f"Правила / `cell_stats` по часам: {best['rules'] / max(cell_wall, 1e-9):.2f}; ")
    lines += ["", f"{ratio}пик памяти процесса {best['peak_gb']:.2f} ГБ; цель issue 18 для страны — "
                  f"правила меньше {TARGET_S:.0f} с."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, help="каталог набора (opora generate / read)")
    parser.add_argument("--scale", default="region",
                        choices=["municipality", "region", "country"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cells", type=Path,
                        help="готовый cell_stats (Parquet) этого набора: стадия cell_stats не "
                             "считается, только правила (для замера другой версии кода)")
    parser.add_argument("--save-cells", type=Path,
                        help="записать посчитанный cell_stats в этот Parquet (для --cells)")
    args = parser.parse_args()
    data = args.data
    if data is None:
        data = DATA / args.scale
        if not (data / "results.parquet").exists():
            generate(scale=args.scale, years=3, seed=1, out=data)
    load_before = os.getloadavg()
    tables = read_small_tables(data)
    if args.cells:
        # one chunk per column, as the engine's stage hands it over
        cells = pq.read_table(args.cells).combine_chunks()
        cell_wall, cell_cpu = float("nan"), float("nan")
    else:
        cells, cell_wall, cell_cpu = cell_stage(data)
        if args.save_cells:
            pq.write_table(cells, args.save_cells)
    runs = [rules_stage(cells, tables) for _ in range(max(args.repeat, 1))]
    text = markdown(data, cells, tables["schools"].num_rows, cell_wall, cell_cpu, runs,
                    (load_before, os.getloadavg()))
    path = OUT / f"rules-{data.name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    print(text)
    print(f"записано: {path}")


if __name__ == "__main__":
    main()
