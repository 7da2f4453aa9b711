"""Speed and memory of the per-cell stage (``compute_cell_stats``) against hand-written baselines.

    .venv/bin/python bench/bench_aggregate.py [--country] [--spark] [--synthetic]

For each scale (municipality; region ~1,000 schools; with ``--country`` ~40,000 schools), 3 years:
wall time, CPU time and peak resident memory of

* ``opora`` — ``compute_cell_stats`` on DuckDB (SQLFrame), the whole stage including reading the
  small tables and assembling histogram/task lists in Arrow;
* ``sql`` — the same main aggregation written by hand in DuckDB SQL (``aggregate_baselines``);
* ``pandas`` — a straightforward pandas version (not at country scale: it does not fit in memory —
  the task lists alone expand to ~1.35 billion Python floats);
* ``spark`` (with ``--spark``) — ``compute_cell_stats`` on Spark local[2]; its JVM is a child
  process, so its memory is reported from ``RUSAGE_CHILDREN``.

Each measurement runs in a fresh process. The machine may be shared: CPU seconds are reported
next to wall seconds because they depend much less on other load; the 1-minute load average at
the start of each measurement is printed too. Data come from ``opora.demo.generator`` (cached in
``bench/out/data``); ``--synthetic`` uses ``synthetic_results.py`` instead (faster to write).
Output: a Markdown table on stdout and in ``bench/out/aggregate.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "aggregate.md"
DATA = HERE / "out" / "data"
SYNTHETIC_SCHOOLS = {"municipality": 45, "region": 1000, "country": 40000}


def _measure(kind: str, data: Path) -> dict[str, float]:
    """Run one measurement in this process and return its figures."""
    sys.path.insert(0, str(HERE))
    import sqlframe.duckdb  # noqa: F401

    import aggregate_baselines  # noqa: F401 — imports (pandas, sqlframe, …) are not timed
    import opora.engine.aggregate  # noqa: F401

    cpu_before = _cpu()
    start = time.perf_counter()
    cells = _run_kind(kind, data)
    wall = time.perf_counter() - start
    cpu = _cpu() - cpu_before
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(own.ru_maxrss, kids.ru_maxrss) / 1024
    return {"wall": wall, "cpu": cpu, "peak_mb": peak, "cells": cells}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Spark's JVM is not counted)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _run_kind(kind: str, data: Path) -> int:
    if kind in ("opora", "spark"):
        from opora.engine.aggregate import compute_cell_stats
        from opora.engine.session import open_session

        with open_session("duckdb" if kind == "opora" else "spark", threads=2) as es:
            return compute_cell_stats(es, data).num_rows
    if kind == "sql":
        from aggregate_baselines import duckdb_sql

        return duckdb_sql(data).num_rows
    from aggregate_baselines import pandas_cells

    return len(pandas_cells(data))


def _subprocess(kind: str, data: Path) -> dict[str, float]:
    load = os.getloadavg()[0]
    done = subprocess.run([sys.executable, __file__, "--measure", kind, str(data)],
                          check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["load"] = load
    print(f"  {kind}: {figures}", file=sys.stderr, flush=True)
    return figures


def _data(scale: str, synthetic: bool) -> Path:
    out = DATA / (f"synthetic-{scale}" if synthetic else scale)
    if (out / "scales.parquet").exists():
        return out
    print(f"  генерирую {scale} → {out}", file=sys.stderr, flush=True)
    if synthetic:
        from synthetic_results import write_results

        write_results(out, schools=SYNTHETIC_SCHOOLS[scale], years=[2022, 2023, 2024])
    else:
        from opora.demo.generator import generate

        generate(scale=scale, years=3, seed=1, out=out)
    return out


def _rows(data: Path) -> int:
    import pyarrow.parquet as pq

    from opora.engine.io import results_paths

    return sum(pq.read_metadata(p).num_rows for p in results_paths(data))


def _line(scale: str, data: Path, kinds: list[str]) -> str:
    m = {kind: _subprocess(kind, data) for kind in kinds}
    o = m["opora"]

    def cell(kind: str, fmt: str) -> str:
        return fmt.format(**m[kind]) if kind in m else "—"

    ratio_sql = o["wall"] / m["sql"]["wall"]
    ratio_cpu = o["cpu"] / m["sql"]["cpu"]
    pandas_x = f"{m['pandas']['wall'] / o['wall']:.1f}×" if "pandas" in m else "—"
    return (f"| {scale} | {_rows(data):,} | {int(o['cells']):,} | {o['wall']:.1f} ({o['cpu']:.1f}) "
            f"| {o['peak_mb']:.0f} | {cell('sql', '{wall:.1f} ({cpu:.1f})')} | {ratio_sql:.2f} "
            f"({ratio_cpu:.2f}) | {cell('pandas', '{wall:.1f} ({peak_mb:.0f} МБ)')} | {pandas_x} "
            f"| {cell('spark', '{wall:.1f} ({peak_mb:.0f} МБ)')} | {o['load']:.1f} |")


HEADER = [
    "# Стадия cell_stats: время, память, сравнение с DuckDB SQL и pandas", "",
    "Время — с по часам (в скобках — с процессора); 3 года; DuckDB threads=2.", "",
    "| масштаб | строк results | ячеек | Опора (DuckDB), с | пик, МБ | SQL вручную, с "
    "| Опора / SQL (по CPU) | pandas, с (пик) | pandas / Опора | Spark, с (пик) | загрузка |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", action="store_true", help="also ~40,000 schools")
    parser.add_argument("--spark", action="store_true", help="also Spark (not at country scale)")
    parser.add_argument("--synthetic", action="store_true", help="synthetic_results.py data")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(_measure(args.measure[0], Path(args.measure[1]))))
        return
    sys.path.insert(0, str(HERE))
    lines = list(HEADER)
    print("\n".join(lines), flush=True)
    for scale in ["municipality", "region"] + (["country"] if args.country else []):
        kinds = ["opora", "sql"] + (["pandas"] if scale != "country" else [])
        kinds += ["spark"] if args.spark and scale != "country" else []
        lines.append(_line(scale, _data(scale, args.synthetic), kinds))
        print(lines[-1], flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"записано: {OUT}")


if __name__ == "__main__":
    main()
