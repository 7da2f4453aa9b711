"""The engine on a Spark standalone cluster: one worker against two (issue 18).

    .venv/bin/python bench/bench_spark_cluster.py [--scale region] [--seed 2] [--data DIR]
                                                  [--worker-memory 1g] [--driver-memory 6g]
                                                  [--no-local]

Generates the data set (``opora generate --scale region``; ``--data`` reuses a directory), then
times ``opora analyze`` as a user runs it, in a fresh process each time:

- on a cluster of ``scripts/spark-cluster.sh`` with one worker, then with two (1 core and
  ``--worker-memory`` each; the executor takes all of it but the JVM's own reserve);
- Spark in local mode (``--no-local`` leaves it out: a country takes it two minutes) and DuckDB,
  for reference.

``--driver-memory`` sets ``spark.driver.memory`` and ``spark.driver.maxResultSize``. The
country's cells (1.85 M rows) come back to the driver whole; they fit Spark's 1g default too
(04.12.2026: 2 workers, 146 s), the measured runs gave the driver 6g to keep it out of the way.

The scaling ratio is the time with one worker over the time with two (2,0 would be perfect). The
«расчёт» column is the engine's stage of ``run.json`` (``cell_stats``: starting the session,
getting executors, the per-student aggregation); «всего» is the whole command, the JVM's start
included. Every engine is checked to give DuckDB's flags. The machine's load average is printed
before and after: on a shared machine the numbers say as much about the neighbours as about Spark.
Writes ``bench/out/spark_cluster_<scale>.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT_DIR = REPO / "bench" / "out"
SCRIPT = REPO / "scripts" / "spark-cluster.sh"
# the results file has a few row groups of ~3.5 MB: smaller splits than Spark's 128 MB default let
# both executors scan it, not one
SPARK_CONF = "spark.sql.files.maxPartitionBytes=2m"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _analyze(data: Path, out: Path, env: dict[str, str], *extra: str) -> tuple[float, float]:
    """Run ``opora analyze`` in a fresh process: (whole command, engine stage) in seconds."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "opora.cli", "analyze", str(data), "--out",
                          str(out), *extra], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"opora analyze {' '.join(extra)}: {run.stderr[-2000:]}")
    timings = json.loads((out / "run.json").read_text("utf-8"))["timings_s"]
    return wall, float(timings["cell_stats"])


def _flags(out: Path) -> bytes:
    return b"".join(sorted((out / "flags.csv").read_bytes().splitlines(keepends=True)))


def _spark_conf(driver_memory: str | None, executor_memory: str | None = None) -> str:
    """``OPORA_SPARK_CONF`` for a run: the split size, and the driver's and executor's memory."""
    conf = [SPARK_CONF]
    if driver_memory:
        conf += [f"spark.driver.memory={driver_memory}",
                 f"spark.driver.maxResultSize={driver_memory}"]
    if executor_memory:
        conf.append(f"spark.executor.memory={executor_memory}")
    return ",".join(conf)


def _on_cluster(workers: int, data: Path, out: Path, work: Path, worker_memory: str,
                driver_memory: str | None) -> tuple[float, float]:
    port = _free_port()
    env = {**os.environ, "OPORA_SPARK_DIR": str(work / f"cluster-{workers}"),
           "OPORA_SPARK_MASTER_PORT": str(port), "OPORA_SPARK_MASTER_UI_PORT": str(_free_port()),
           "OPORA_SPARK_WORKERS": str(workers), "OPORA_PYTHON": sys.executable,
           "OPORA_SPARK_WORKER_MEMORY": worker_memory,
           # a standalone worker checks only spark.executor.memory against its own memory, so
           # the executor may take all of it
           "OPORA_SPARK_CONF": _spark_conf(driver_memory, worker_memory)}
    started = subprocess.run(["bash", str(SCRIPT), "start"], env=env, capture_output=True,
                             text=True)
    try:
        if started.returncode != 0:
            raise SystemExit(f"кластер не запустился: {started.stderr}")
        return _analyze(data, out, env, "--engine", "spark", "--spark-master",
                        f"spark://127.0.0.1:{port}")
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop"], env=env, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="region")
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--data", type=Path, default=None, help="готовый каталог opora generate")
    parser.add_argument("--worker-memory", default="1g", help="память каждого рабочего кластера")
    parser.add_argument("--driver-memory", default=None,
                        help="spark.driver.memory и spark.driver.maxResultSize (страна: 6g)")
    parser.add_argument("--no-local", action="store_true", help="без Spark в локальном режиме")
    args = parser.parse_args()
    load_before = _loadavg()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        data = args.data
        if data is None:
            data = work / "data"
            subprocess.run([sys.executable, "-m", "opora.cli", "generate", "--scale", args.scale,
                            "--years", "3", "--seed", str(args.seed), "--out", str(data)],
                           check=True, capture_output=True)
        rows: dict[str, tuple[float, float]] = {}
        rows["DuckDB"] = _analyze(data, work / "duckdb", dict(os.environ))
        print(f"DuckDB: {rows['DuckDB'][0]:.1f} с", flush=True)
        compared = {"1 рабочий": "c1", "2 рабочих": "c2"}
        if not args.no_local:
            local = "Spark, локальный режим (local[2])"
            rows[local] = _analyze(
                data, work / "local",
                {**os.environ, "OPORA_SPARK_CONF": _spark_conf(args.driver_memory)},
                "--engine", "spark")
            print(f"local: {rows[local][0]:.1f} с", flush=True)
            compared = {"local": "local", **compared}
        names = {}
        for workers in (1, 2):
            names[workers] = f"кластер, {workers} рабоч. × 1 ядро, {args.worker_memory}"
            rows[names[workers]] = _on_cluster(workers, data, work / f"c{workers}", work,
                                               args.worker_memory, args.driver_memory)
            print(f"{names[workers]}: {rows[names[workers]][0]:.1f} с "
                  f"(loadavg {_loadavg()})", flush=True)
        reference = _flags(work / "duckdb")
        same = {name: _flags(work / out) == reference for name, out in compared.items()}
    load_after = _loadavg()
    one, two = rows[names[1]], rows[names[2]]
    lines = [
        f"# Spark: кластер из 1 и 2 рабочих, масштаб {args.scale} "
        f"({f'данные {args.data}' if args.data else f'зерно {args.seed}'})", "",
        f"Нагрузка машины (loadavg 1/5/15 мин) до: {load_before}, после: {load_after}; "
        f"ядер: {os.cpu_count()}. Настройка Spark: {_spark_conf(args.driver_memory)}.", "",
        "| движок | всего, с | расчёт (cell_stats), с |", "|---|---:|---:|",
        *(f"| {name} | {wall:.1f} | {stage:.1f} |" for name, (wall, stage) in rows.items()), "",
        f"Масштабирование (1 рабочий / 2 рабочих): всего {one[0] / two[0]:.2f}, "
        f"расчёт {one[1] / two[1]:.2f}.", "",
        "Флаги совпадают с DuckDB: " + ", ".join(
            f"{name} — {'да' if ok else 'НЕТ'}" for name, ok in same.items()) + ".", "",
    ]
    text = "\n".join(lines)
    print(text)
    out = OUT_DIR / f"spark_cluster_{args.scale}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, "utf-8")
    print(f"записано: {out}")


if __name__ == "__main__":
    main()
