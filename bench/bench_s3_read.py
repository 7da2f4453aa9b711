"""``opora analyze`` on S3-compatible storage against the same data on the local disk (issue 18).

    .venv/bin/python bench/bench_s3_read.py [--scales municipality,region] [--years 3]
        [--seed 2] [--repeats 3] [--engine duckdb]

For each scale the data set is generated (``opora generate``), uploaded to a bucket of a local S3
server (moto's ``moto_server``, a separate process on 127.0.0.1 — no network between them, so this
measures the S3 protocol and the client, not a link), and ``opora analyze`` runs in a fresh process
on the local directory and on ``s3://…``, alternately, ``--repeats`` times each; the outputs of the
S3 run go to the bucket too. Reported: the whole command, the reading of the small tables with the
checksums (``read``), the engine's stage (``cell_stats``: the student rows scanned as a pyarrow
dataset over S3 on DuckDB) and writing the outputs (``write``) — medians, and S3 / local as ratios of
the same run. The flags must be the same.

A second table separates the two differences of the S3 path in the engine's stage, in one process
(no start-up, alternating, same repeats): DuckDB's own Parquet reader on the local files, the same
files scanned as a ``pyarrow`` dataset over the local file system (what an S3 run does, minus S3),
and the dataset over S3 — the median of the ratios to DuckDB's reader within each round (a burst
of the neighbours' load hits all three of a round); the cells must be equal. The machine's load average is printed before and after
(2 shared cores: the numbers say as much about the neighbours as about S3). Writes
``bench/out/s3_read.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.fs as pafs

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "s3_read.md"
BUCKET = "opora-bench"
KEYS = {"AWS_ACCESS_KEY_ID": "opora-bench", "AWS_SECRET_ACCESS_KEY": "opora-bench-secret"}
STAGES = ("read", "cell_stats", "write")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "moto_server"), "-H",
                               "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("moto_server не запустился")


def _analyze(source: str, out: str, env: dict[str, str], fs: pafs.FileSystem,
             engine: str) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "opora.cli", "analyze", source, "--out", out,
                          "--engine", engine], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if run.returncode != 0:
        raise SystemExit(f"opora analyze {source}: {run.stderr[-2000:]}")
    path = out.removeprefix("s3://")
    recorded = json.loads(fs.open_input_stream(f"{path}/run.json").read())
    return wall, {k: float(recorded["timings_s"][k]) for k in STAGES}


def _flags(fs: pafs.FileSystem, out: str) -> bytes:
    data = fs.open_input_stream(f"{out.removeprefix('s3://')}/flags.csv").read()
    return b"".join(sorted(data.splitlines(keepends=True)))


def _in_process(data: Path, s3: pafs.FileSystem, prefix: str,
                repeats: int) -> dict[str, list[float]]:
    """Seconds of the engine's stage (``cell_stats_of``) by way of reading the student rows."""
    from opora.engine.aggregate import cell_stats_of
    from opora.engine.io import read_table, results_paths, table_files
    from opora.engine.session import open_session
    from opora.engine.storage import Location, ParquetFiles

    small = {name: read_table(data, name) for name in ("scales", "tasks", "aggregates")}
    local = Location(str(data), pafs.LocalFileSystem(), data.as_posix(), "local")
    remote = Location(f"s3://{prefix}", s3, prefix, "s3")
    sources = {
        "DuckDB читает файлы сам": results_paths(data),
        "набор pyarrow, локальный диск": ParquetFiles(local, tuple(table_files(local, "results"))),
        "набор pyarrow, S3": ParquetFiles(remote, tuple(table_files(remote, "results"))),
    }
    times: dict[str, list[float]] = {name: [] for name in sources}
    cells = {}
    with open_session("duckdb") as es:
        for round_ in range(repeats + 1):  # the first round warms the caches up, untimed
            for name, source in sources.items():
                start = time.perf_counter()
                cells[name] = cell_stats_of(es, source, small["scales"], small["tasks"],
                                            small["aggregates"])
                if round_:
                    times[name].append(time.perf_counter() - start)
    first = next(iter(cells.values()))
    if not all(c.equals(first) for c in cells.values()):
        raise SystemExit("ячейки различаются в зависимости от способа чтения")
    return times


def _size(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="municipality,region")
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engine", default="duckdb")
    args = parser.parse_args()
    load_before = _loadavg()
    server, endpoint = _start_server()
    env = {**os.environ, **KEYS, "OPORA_S3_ENDPOINT": endpoint, "AWS_EC2_METADATA_DISABLED": "true"}
    s3 = pafs.S3FileSystem(access_key=KEYS["AWS_ACCESS_KEY_ID"],
                           secret_key=KEYS["AWS_SECRET_ACCESS_KEY"], endpoint_override=endpoint,
                           region="us-east-1", allow_bucket_creation=True)
    local_fs = pafs.LocalFileSystem()
    rows = []
    stages: list[tuple[str, dict[str, list[float]]]] = []
    try:
        s3.create_dir(BUCKET)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for scale in args.scales.split(","):
                data = work / scale
                subprocess.run([sys.executable, "-m", "opora.cli", "generate", "--scale", scale,
                                "--years", str(args.years), "--seed", str(args.seed), "--out",
                                str(data)], check=True, capture_output=True)
                start = time.perf_counter()
                pafs.copy_files(str(data), f"{BUCKET}/{scale}", source_filesystem=local_fs,
                                destination_filesystem=s3)
                upload = time.perf_counter() - start
                local_runs, s3_runs = [], []
                for i in range(args.repeats):
                    local_runs.append(_analyze(str(data), str(work / f"{scale}-out-{i}"), env,
                                               local_fs, args.engine))
                    s3_runs.append(_analyze(f"s3://{BUCKET}/{scale}",
                                            f"s3://{BUCKET}/{scale}-out-{i}", env, s3,
                                            args.engine))
                    print(f"{scale} #{i + 1}: диск {local_runs[-1][0]:.1f} с, "
                          f"S3 {s3_runs[-1][0]:.1f} с", flush=True)
                same = all(_flags(s3, f"s3://{BUCKET}/{scale}-out-{i}")
                           == _flags(local_fs, str(work / f"{scale}-out-{i}"))
                           for i in range(args.repeats))
                rows.append((scale, _size(data), upload, local_runs, s3_runs, same))
                stages.append((scale, _in_process(data, s3, f"{BUCKET}/{scale}",
                                                  max(args.repeats, 5))))
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_after = _loadavg()
    lines = [
        f"# opora analyze: данные на S3 (moto_server на 127.0.0.1) против локального диска, "
        f"движок {args.engine}", "",
        f"Нагрузка машины (loadavg 1/5/15 мин) до: {load_before}, после: {load_after}; ядер: "
        f"{os.cpu_count()}. Годы: {args.years}, зерно {args.seed}, повторов: {args.repeats} "
        "(диск и S3 поочерёдно, каждый запуск — новый процесс). Медианы; отношение — S3 / диск.",
        "",
        "| масштаб | данные, МБ | загрузка в S3, с | стадия | диск, с | S3, с | S3 / диск |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for scale, size, upload, local_runs, s3_runs, _same in rows:
        parts = [("всего", [w for w, _ in local_runs], [w for w, _ in s3_runs])]
        parts += [(stage, [t[stage] for _, t in local_runs], [t[stage] for _, t in s3_runs])
                  for stage in STAGES]
        for n, (stage, disk, remote) in enumerate(parts):
            d, r = statistics.median(disk), statistics.median(remote)
            head = (f"| {scale} | {size:.1f} | {upload:.1f} " if n == 0 else "| | | ")
            lines.append(f"{head}| {stage} | {d:.2f} | {r:.2f} | {r / d if d else float('nan'):.2f} |")
    lines += ["", "Флаги совпадают: " + ", ".join(
        f"{scale} — {'да' if same else 'НЕТ'}" for scale, *_, same in rows) + ".", "",
              "Стадия cell_stats в одном процессе (медианы; ячейки одинаковые):", "",
              "| масштаб | как читаются строки результатов | с | к чтению DuckDB (медиана отношений в кругах) |",
              "|---|---|---:|---:|"]
    for scale, times in stages:
        base = next(iter(times.values()))
        for n, (name, values) in enumerate(times.items()):
            # the median of the ratios within each round: a neighbour's burst hits both
            ratio = statistics.median(v / b for v, b in zip(values, base, strict=True))
            lines.append(f"| {scale if n == 0 else ''} | {name} | {statistics.median(values):.2f}"
                         f" | {ratio:.2f} |")
    lines.append("")
    text = "\n".join(lines)
    print(text)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, "utf-8")
    print(f"записано: {OUT}")


if __name__ == "__main__":
    main()
