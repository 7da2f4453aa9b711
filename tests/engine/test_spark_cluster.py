"""The engine on a real Spark standalone cluster (issue 18): ``scripts/spark-cluster.sh`` starts a
master and two workers on 127.0.0.1, ``opora analyze --engine spark --spark-master`` runs on it and
gives the flags DuckDB gives. The cluster gets free ports and a temporary run directory, so a
cluster someone started on 7077/8080 is left alone; it is stopped even when a test fails.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aggregate_engines import SPARK_READY

from opora.engine import analyze

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "spark-cluster.sh"

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(not SPARK_READY, reason="нет pyspark или Java: Spark не запустить"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cluster(env: dict[str, str], command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), command], env=env, capture_output=True,
                          text=True, timeout=180)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A running two-worker cluster: its master URL and the environment that addresses it."""
    port = _free_port()
    env = {**os.environ, "OPORA_SPARK_DIR": str(tmp_path_factory.mktemp("spark-cluster")),
           "OPORA_SPARK_MASTER_PORT": str(port),
           "OPORA_SPARK_MASTER_UI_PORT": str(_free_port()),
           "OPORA_SPARK_WORKERS": "2", "OPORA_PYTHON": sys.executable}
    try:
        started = _cluster(env, "start")
        assert started.returncode == 0, started.stdout + started.stderr
        master = started.stdout.strip().splitlines()[-1]
        assert master == f"spark://127.0.0.1:{port}"
        yield master, env
    finally:
        stopped = _cluster(env, "stop")
        assert stopped.returncode == 0, stopped.stderr
        assert _cluster(env, "status").returncode == 3  # nothing left running


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from opora.demo.generator import generate

    out = tmp_path_factory.mktemp("town")
    generate(scale="municipality", years=3, seed=5, out=out)
    return out


def _flags(out: Path) -> list[tuple[str, ...]]:
    with (out / "flags.csv").open(encoding="utf-8-sig", newline="") as fh:
        return sorted((r["school_key"], r["flag"], r["year"], r["evidence"])
                      for r in csv.DictReader(fh))


def test_a_second_start_says_the_cluster_is_running(cluster: tuple[str, dict[str, str]]) -> None:
    master, env = cluster
    again = _cluster(env, "start")
    assert again.returncode == 0 and "уже запущен" in again.stdout and master in again.stdout
    status = _cluster(env, "status")
    assert status.returncode == 0 and "рабочих зарегистрировано: 2" in status.stdout


def test_the_cluster_gives_the_flags_duckdb_gives(
        cluster: tuple[str, dict[str, str]], town: Path, tmp_path: Path) -> None:
    master, env = cluster
    # the master comes from the environment, as on a server (OPORA_SPARK_MASTER)
    run = subprocess.run(
        [sys.executable, "-m", "opora.cli", "analyze", str(town), "--out", str(tmp_path / "c"),
         "--engine", "spark"], env={**env, "OPORA_SPARK_MASTER": master},
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    analyze(town, tmp_path / "d")
    assert _flags(tmp_path / "c") == _flags(tmp_path / "d")
    recorded = json.loads((tmp_path / "c" / "run.json").read_text("utf-8"))
    assert recorded["engine"] == "spark" and recorded["spark_master"] == master


def test_an_unreachable_master_is_one_russian_line_and_exit_2(town: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "opora.cli", "analyze", str(town), "--out", str(tmp_path / "x"),
         "--engine", "spark", "--spark-master", f"spark://127.0.0.1:{_free_port()}"],
        env={**os.environ, "OPORA_SPARK_CONNECT_TIMEOUT": "3"},
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "недоступен" in run.stderr and "Exception" not in run.stderr
