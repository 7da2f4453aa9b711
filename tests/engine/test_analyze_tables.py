"""``analyze_tables``: the analysis on Arrow tables in memory, its outputs of the declared schemas.

The reference is ``analyze`` on the same data as Parquet files, its outputs read back here with
``csv`` and ``pyarrow``: the web (in memory) and the command line (files) must find the same.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opora.csv_safety import restore
from opora.engine import Evaluation, analyze, analyze_tables, load_rules_text
from opora.engine.aggregate import cell_stats_of_tables, compute_cell_stats
from opora.engine.io import read_table
from opora.engine.session import open_session
from opora.schemas import OUTPUTS, TABLES, conform

NUMBERS = {"year", "context_distance", "leader_strength_pct", "distance_km"}


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from opora.demo.generator import generate

    out = tmp_path_factory.mktemp("town")
    generate(scale="municipality", years=3, seed=5, out=out)
    return out


@pytest.fixture(scope="module")
def tables(town: Path) -> dict[str, pa.Table]:
    return {name: read_table(town, name) for name in TABLES
            if (town / f"{name}.parquet").exists()}


@pytest.fixture(scope="module")
def in_memory(tables: dict[str, pa.Table]) -> Evaluation:
    return analyze_tables(tables)


@pytest.fixture(scope="module")
def on_files(town: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("town_out")
    analyze(town, out)
    return out


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    """The file's rows with numbers as numbers and empty cells as None (as a reader types them)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [{k: None if v == "" else (float(v) if k in NUMBERS else restore(v))
             for k, v in row.items()} for row in rows]


def test_every_output_in_memory_has_exactly_its_declared_schema(in_memory: Evaluation) -> None:
    outputs = in_memory.tables()
    assert list(outputs) == list(OUTPUTS)
    for name, spec in OUTPUTS.items():
        assert outputs[name].schema == spec.schema, name
        assert outputs[name].num_rows > 0, name


def test_the_parquet_outputs_in_memory_are_the_files_analyze_writes(
        in_memory: Evaluation, on_files: Path) -> None:
    for name in ("school_stats", "context", "objectivity"):
        assert pq.read_table(on_files / OUTPUTS[name].filename).equals(
            in_memory.tables()[name]), name


def test_the_flags_and_pairs_in_memory_are_the_rows_of_the_csv_files(
        in_memory: Evaluation, on_files: Path) -> None:
    for name in ("flags", "pairs"):
        in_table = [{k: float(v) if k in NUMBERS and v is not None else v for k, v in r.items()}
                    for r in in_memory.tables()[name].to_pylist()]
        assert _csv_rows(on_files / OUTPUTS[name].filename) == in_table, name


def test_the_summary_in_memory_records_what_run_json_records(
        in_memory: Evaluation, on_files: Path) -> None:
    on_disk = json.loads((on_files / "run.json").read_text("utf-8"))
    memory = in_memory.summary.run_json
    assert list(memory) == list(on_disk)
    same = [k for k in on_disk if k not in ("timings_s", "input_dir", "input_checksums",
                                            "input_rows")]
    assert {k: memory[k] for k in same} == {k: on_disk[k] for k in same}
    assert memory["input_dir"] is None and memory["input_checksums"] is None
    assert memory["input_rows"]["results"] > 0  # the big tables are counted too
    assert {"inputs", "cell_stats", "identification", "outputs"} <= set(memory["timings_s"])
    assert str(in_memory.summary).endswith("результаты в памяти")


def test_rules_and_years_given_in_memory_give_what_the_command_line_gives(
        town: Path, tables: dict[str, pa.Table], tmp_path: Path) -> None:
    text = "[identification]\nyears = 1\nmin_low_years = 1\n"
    (tmp_path / "правила.toml").write_text(text, "utf-8")
    analyze(town, tmp_path / "out", config_path=tmp_path / "правила.toml", years=(2024, 2025))
    evaluation = analyze_tables(tables, rules=load_rules_text(text), years=(2024, 2025))
    assert evaluation.summary.years == [2025]
    assert set(evaluation.school_stats.column("year").to_pylist()) == {2024, 2025}
    with (tmp_path / "out" / "flags.csv").open(encoding="utf-8-sig", newline="") as handle:
        on_disk = sorted((r["school_key"], r["flag"], int(r["year"])) for r in csv.DictReader(handle))
    flags = evaluation.flags.select(["school_key", "flag", "year"]).to_pylist()
    assert on_disk and sorted(tuple(r.values()) for r in flags) == on_disk


def test_tables_in_memory_give_the_same_cells_as_their_parquet_files(
        town: Path, tables: dict[str, pa.Table]) -> None:
    with open_session("duckdb") as es:
        for years in (None, (2024, 2024)):
            assert cell_stats_of_tables(es, tables, years=years).equals(
                compute_cell_stats(es, town, years=years)), years


def test_without_student_rows_in_memory_the_published_aggregates_are_the_cells(
        town: Path, tables: dict[str, pa.Table], tmp_path: Path) -> None:
    for name in ("aggregates", "scales", "tasks"):
        shutil.copy(town / f"{name}.parquet", tmp_path)
    no_results = {**tables, "results": TABLES["results"].empty()}
    with open_session("duckdb") as es:
        cells = cell_stats_of_tables(es, no_results)
        assert cells.equals(compute_cell_stats(es, tmp_path))
    assert cells.num_rows > 0 and set(cells.column("level").to_pylist()) == {"aggregate"}


def test_scores_above_the_scale_maximum_in_memory_widen_the_histogram() -> None:
    """The engine scans the in-memory table twice here (the maximum, then the wider pass)."""
    work = {"procedure": "VPR", "year": 2024, "grade": 6, "subject": "rus"}
    results = conform(pa.Table.from_pylist(
        [{**work, "school_key": "A", "participant_code": f"A{i}", "absent": False,
          "primary_score": float(p), "mark": 3} for i, p in enumerate([4, 6, 9])]),
        TABLES["results"])
    scales = conform(pa.Table.from_pylist([{**work, "max_primary_score": 5.0}]), TABLES["scales"])
    with open_session("duckdb") as es:
        [cell] = cell_stats_of_tables(es, {"results": results, "scales": scales}).to_pylist()
    assert cell["score_hist"] == [0, 0, 0, 0, 1, 0, 1, 0, 0, 1]


@pytest.mark.spark
def test_spark_takes_the_tables_in_memory_too(
        tables: dict[str, pa.Table], in_memory: Evaluation) -> None:
    if shutil.which("java") is None:
        pytest.skip("нет Java для Spark")
    on_spark = analyze_tables(tables, engine="spark")
    assert on_spark.flags.equals(in_memory.flags)
    assert on_spark.pairs.equals(in_memory.pairs)
    assert on_spark.school_stats.num_rows == in_memory.school_stats.num_rows
    assert on_spark.school_stats.column("participants").equals(
        in_memory.school_stats.column("participants"))
