"""How fast the what-if (issue 12) recomputes the list for other settings on a region.

    .venv/bin/python bench/bench_whatif.py [--scale region] [--seed 1] [--repeat 3]

Generates the data set, runs the analysis once (``analyze_tables``, DuckDB) and keeps its rule
inputs as Parquet, the way a finished run keeps them (``web/analysis/whatif.py``). Then, for
several settings, times the what-if as the page does it when its cache is cold: reading the kept
inputs back plus :func:`opora.engine.whatif.identification_flags`. Baselines in the same run:
reading the kept inputs alone, and the full analysis on the same data. Writes
``bench/out/whatif.md``; the issue's target is under 1 s for a region of 1,000 schools.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from opora.demo.generator import generate_tables
from opora.engine import analyze_tables
from opora.engine.config import load_rules_text
from opora.engine.whatif import identification_flags

OUT = Path(__file__).resolve().parent / "out" / "whatif.md"

# the settings of tests/engine/test_whatif.py, the ones the page moves
SETTINGS = {
    "правила по умолчанию": "",
    "достаточно одного года из трёх": "[identification]\nmin_low_years = 1\n",
    "интервал 90 %": "[identification]\nconfidence = 0.90\n",
    "разница не меньше 3 п.п.": "[identification]\nmin_gap_pct = 3.0\n",
    "не меньше 15 участников": "[identification]\nmin_participants = 15\n",
    "только математика": "[identification]\nsubjects = [\"math\", \"math_profile\", \"math_base\"]\n",
    "худшие 10 % — ШНСУ": "[context]\nadverse_share_pct = 10.0\n",
}


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="region")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tables = generate_tables(scale=args.scale, years=3, seed=args.seed)
    schools = tables["schools"].num_rows
    start = time.perf_counter()
    inputs = analyze_tables(tables).rule_inputs
    analysis = time.perf_counter() - start
    kept: dict[str, bytes] = {}
    for name, table in inputs.items():
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        kept[name] = buffer.getvalue()
    size = sum(len(b) for b in kept.values()) / 1e6

    def read() -> dict[str, pa.Table]:
        return {name: pq.read_table(io.BytesIO(data)) for name, data in kept.items()}

    reading = best(read, args.repeat)
    rows = [f"# Проверка настроек (что, если): {args.scale}, зерно {args.seed}, {schools} школ, "
            f"3 года", "",
            f"Полный расчёт (`analyze_tables`, DuckDB) — {analysis:.2f} с; сохранённые входы правил "
            f"— {inputs['cell_stats'].num_rows} строк `cell_stats`, {size:.1f} МБ Parquet; их "
            f"чтение — {reading:.3f} с (лучшее из {args.repeat}).", "",
            "| настройки | чтение + правила, с | только правила, с | к чтению | к полному расчёту |",
            "|---|---|---|---|---|"]
    loaded = read()
    for label, text in SETTINGS.items():
        rules = load_rules_text(text)
        cold = best(partial(lambda r: identification_flags(read(), r), rules), args.repeat)
        warm = best(partial(identification_flags, loaded, rules), args.repeat)
        rows.append(f"| {label} | {cold:.3f} | {warm:.3f} | {cold / reading:.1f}× | "
                    f"{cold / analysis:.3f} |")
        print(f"{label}: {cold:.3f} с (правила {warm:.3f} с)")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(rows) + "\n", "utf-8")
    print(f"записано: {OUT}")


if __name__ == "__main__":
    main()
