"""Benchmark: reading a 1-million-row results file (CSV and Parquet) with ``opora read``'s reader.

Reported as a ratio against a baseline measured in the same run on the same file: Arrow's own
reader with no checks at all (the floor any reader that touches every row must pay).

    .venv/bin/python bench/bench_read.py [--rows 1000000]

Writes a Markdown table to stdout and to ``bench/out/read.md``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from opora.formats import read_file


def make_results(rows: int, seed: int = 1) -> pa.Table:
    """A plausible results table: ВПР, 4 subjects, 5 grades, ~2,000 schools, 15 tasks."""
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 3, size=(rows, 15)).astype(np.float32)
    primary = scores.sum(axis=1)
    return pa.table({
        "school_key": pa.array(np.char.add("s", rng.integers(0, 2000, rows).astype(str))),
        "procedure": pa.array(np.full(rows, "VPR")),
        "year": pa.array(rng.integers(2022, 2025, rows).astype(np.int16)),
        "grade": pa.array(rng.integers(4, 9, rows).astype(np.int8)),
        "subject": pa.array(rng.choice(["rus", "math", "history", "biology"], rows)),
        "participant_code": pa.array(np.arange(rows).astype(str)),
        "absent": pa.array(np.zeros(rows, dtype=bool)),
        "primary_score": pa.array(primary),
        "mark": pa.array(np.clip(primary // 7, 2, 5).astype(np.int8)),
        "term_mark": pa.array(rng.integers(2, 6, rows).astype(np.int8)),
    })


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    table = make_results(args.rows)
    lines = ["| файл | строк | Опора, с | базовая линия (Arrow без проверок), с | отношение |",
             "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, parquet_path = Path(tmp) / "results.csv", Path(tmp) / "results.parquet"
        pacsv.write_csv(table, csv_path, pacsv.WriteOptions(delimiter=";"))
        pq.write_table(table, parquet_path)
        cases = [
            ("CSV", csv_path, lambda: pacsv.read_csv(
                csv_path, parse_options=pacsv.ParseOptions(delimiter=";"))),
            ("Parquet", parquet_path, lambda: pq.read_table(parquet_path)),
        ]
        for label, path, baseline in cases:
            result = read_file(path)
            assert result.tables["results"].num_rows == args.rows, "rows lost"
            ours = timed(lambda p=path: read_file(p))
            base = timed(baseline)
            lines.append(f"| {label} | {args.rows:,} | {ours:.2f} | {base:.2f} | {ours / base:.1f}× |")
    report = "\n".join(lines)
    print(report)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "read.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
