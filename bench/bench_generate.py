"""Speed, memory and size of the synthetic data generator, against a floor measured in the same run.

    .venv/bin/python bench/bench_generate.py [--years 3] [--country]

For each scale: wall time of ``opora.demo.generator.generate``, rows of ``results`` per second,
peak resident memory of a fresh process (``resource.getrusage``), size on disk. The *floor* is
what the same number of rows costs at the least: NumPy draws one float32 normal variate per
task score (the generator's dominant random draw) and pyarrow writes them with the same
compression as a Parquet file of the same row count (one list column). The ratio
``generate / floor`` is the number to watch; absolute seconds depend on the machine.

Each measurement runs in its own process so peak memory is per scale. Results go to stdout and
``bench/out/generate.md``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "generate.md"

_GENERATE = """
import json, resource, sys, time
from pathlib import Path
import pyarrow.parquet as pq
from opora.demo.generator import generate
scale, years, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
start = time.perf_counter()
generate(scale=scale, years=years, seed=1, out=out)
seconds = time.perf_counter() - start
meta = pq.read_metadata(out / "results.parquet")
leaf = [meta.schema.column(i).path for i in range(meta.num_columns)].index("task_scores.list.element")
values = sum(meta.row_group(i).column(leaf).num_values for i in range(meta.num_row_groups))
size = sum(p.stat().st_size for p in out.glob("*.parquet"))
print(json.dumps({"seconds": seconds, "rows": meta.num_rows, "task_values": values,
                  "bytes": size, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_FLOOR = """
import json, resource, sys, time
from pathlib import Path
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
rows, values, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
start = time.perf_counter()
rng = np.random.default_rng(1)
per_row = max(1, values // max(rows, 1))
schema = pa.schema([("task_scores", pa.list_(pa.float32()))])
with pq.ParquetWriter(out, schema, compression="zstd") as writer:
    for lo in range(0, rows, 250_000):
        n = min(250_000, rows - lo)
        flat = rng.standard_normal(n * per_row, dtype=np.float32).round()
        offsets = pa.array(np.arange(0, n * per_row + 1, per_row, dtype=np.int32))
        writer.write_table(pa.table({"task_scores": pa.ListArray.from_arrays(offsets, pa.array(flat))},
                                    schema=schema))
print(json.dumps({"seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True,
                          text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(scale: str, years: int, work: Path) -> str:
    gen = _run(_GENERATE, scale, str(years), str(work / scale))
    floor = _run(_FLOOR, str(int(gen["rows"])), str(int(gen["task_values"])),
                 str(work / f"{scale}-floor.parquet"))
    line = (f"| {scale} | {years} | {int(gen['rows']):,} | {gen['seconds']:.1f} | "
            f"{gen['rows'] / gen['seconds'] / 1e6:.2f} | {gen['peak_mb']:.0f} | "
            f"{gen['bytes'] / 2**20:.1f} | {floor['seconds']:.1f} | "
            f"{gen['seconds'] / floor['seconds']:.1f} |")
    print(line, flush=True)
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--country", action="store_true", help="also the country (~40,000 schools)")
    args = parser.parse_args()
    scales = ["municipality", "region"] + (["country"] if args.country else [])
    lines = ["# Генератор: время, память, объём", "",
             "| масштаб | лет | строк results | с | млн строк/с | пик памяти, МБ | МБ на диске "
             "| нижняя граница, с | отношение |", "|---|---|---|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for scale in scales:
            lines.append(measure(scale, args.years, Path(tmp)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"записано: {OUT}")


if __name__ == "__main__":
    main()
