"""Finding the input tables: results as one file or as part files, missing tables, checksums."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from aggregate_engines import write_tables

from opora.engine.aggregate import compute_cell_stats
from opora.engine.io import checksums, read_small_tables, results_paths
from opora.engine.session import open_session
from opora.schemas import SCALES, TASKS

WORK = {"procedure": "VPR", "year": 2024, "grade": 6, "subject": "rus"}
ROWS = [{**WORK, "school_key": s, "participant_code": f"{s}{i}", "absent": False,
         "primary_score": float(p), "mark": 3}
        for s, scores in (("A", [4, 6, 9]), ("B", [1, 2])) for i, p in enumerate(scores)]
SCALE = [{**WORK, "max_primary_score": 10.0}]


def test_results_split_into_part_files_give_the_same_cells_as_one_file(tmp_path: Path) -> None:
    one = write_tables(tmp_path / "one", {"results": ROWS, "scales": SCALE})
    parts = write_tables(tmp_path / "parts", {"scales": SCALE})
    (parts / "results.parquet").mkdir()
    table = pq.read_table(one / "results.parquet")
    pq.write_table(table.slice(0, 2), parts / "results.parquet" / "part-0.parquet")
    pq.write_table(table.slice(2), parts / "results.parquet" / "part-1.parquet")
    assert len(results_paths(parts)) == 2
    with open_session("duckdb") as es:
        from_one, from_parts = compute_cell_stats(es, one), compute_cell_stats(es, parts)
    assert from_parts.equals(from_one)
    assert from_one.column("participants").to_pylist() == [3, 2]
    assert from_one.column("mean_pct").to_pylist() == pytest.approx([19 / 3 * 10, 3 / 2 * 10])


def test_missing_small_tables_come_back_empty_with_their_schema(tmp_path: Path) -> None:
    tables = read_small_tables(write_tables(tmp_path, {"scales": SCALE}))
    assert tables["scales"].num_rows == 1
    assert tables["tasks"].num_rows == 0 and tables["tasks"].schema == TASKS.schema
    assert tables["scales"].schema == SCALES.schema
    assert results_paths(tmp_path) == []


def test_small_files_get_a_full_sha256_and_big_ones_a_marked_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "small.bin").write_bytes(b"opora")
    (tmp_path / "big.bin").write_bytes(b"x" * 3_000_000)
    sums = checksums(tmp_path, full_hash_limit=1_000_000)
    assert sums["small.bin"] == "sha256:" + hashlib.sha256(b"opora").hexdigest()
    assert sums["big.bin"].startswith("fingerprint:")
    assert sums["big.bin"] != "sha256:" + hashlib.sha256(b"x" * 3_000_000).hexdigest()
    (tmp_path / "big.bin").write_bytes(b"x" * 2_999_999 + b"y")  # last byte differs
    assert checksums(tmp_path, full_hash_limit=1_000_000)["big.bin"] != sums["big.bin"]


def test_scores_above_the_scale_maximum_widen_the_histogram_instead_of_being_lost(
    tmp_path: Path,
) -> None:
    short_scale = [{**WORK, "max_primary_score": 5.0}]  # the data go up to 9
    data = write_tables(tmp_path, {"results": ROWS, "scales": short_scale})
    with open_session("duckdb") as es:
        a, b = compute_cell_stats(es, data).to_pylist()
    assert a["score_hist"] == [0, 0, 0, 0, 1, 0, 1, 0, 0, 1]   # 4, 6, 9 on 0…9
    assert b["score_hist"] == [0, 1, 1, 0, 0, 0]              # 1, 2 on the scale's 0…5


def test_without_scales_the_histogram_comes_from_the_data_and_percent_is_unknown(
    tmp_path: Path,
) -> None:
    data = write_tables(tmp_path, {"results": ROWS})
    with open_session("duckdb") as es:
        a, b = compute_cell_stats(es, data).to_pylist()
    assert a["score_hist"] == [0, 0, 0, 0, 1, 0, 1, 0, 0, 1]
    assert b["score_hist"] == [0, 1, 1]
    assert a["mean_score"] == pytest.approx(19 / 3) and a["mean_pct"] is None
    assert a["below_threshold"] == 0 and a["mark_3"] == 3    # ВПР: «2» counts, none here
