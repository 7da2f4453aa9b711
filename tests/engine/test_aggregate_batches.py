"""Issue 18's speed-ups keep the numbers: the engine's result read in batches, the histogram packed
four points to a 64-bit sum (and unpacked when a cell is too large for it), the worker threads.

Each test compares the fast path with the plain one on the same data, or with counts worked out
by hand; the contract tests (``test_aggregate*.py``) pin the rest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from aggregate_engines import write_tables

import opora.engine.cell_query as cell_query
from opora.engine.aggregate import compute_cell_stats
from opora.engine.cell_query import PACK_LIMIT
from opora.engine.session import open_session
from opora.engine.threads import parallel_map, submit

VPR = {"procedure": "VPR", "year": 2024, "grade": 4, "subject": "math"}
SCALES = [{**VPR, "max_primary_score": 10, "boundary_3": 3, "boundary_4": 6, "boundary_5": 9}]
TASKS = [{**VPR, "task_no": i + 1, "task_label": str(i + 1), "max_score": 5} for i in range(2)]


def _student(school: str, code: str, score: int) -> dict[str, object]:
    first = min(score, 5)
    return {**VPR, "school_key": school, "participant_code": code, "absent": False,
            "primary_score": float(score), "task_scores": [float(first), float(score - first)],
            "mark": 2 + (score >= 3) + (score >= 6) + (score >= 9), "term_mark": 3}


def _histograms(data: Path) -> dict[str, list[int]]:
    with open_session("duckdb", threads=2) as es:
        table = compute_cell_stats(es, data)
    return dict(zip(table.column("school_key").to_pylist(), table.column("score_hist").to_pylist(),
                    strict=True))


def test_every_point_of_every_packed_sum_is_its_own_count(tmp_path: Path) -> None:
    # school A: k students with k points for every point 0…10 (one packed sum holds points
    # 0–3, 4–7, 8–10); school B: one student at the top of the scale
    rows = [_student("A", f"a{k}-{i}", k) for k in range(11) for i in range(k)]
    rows.append(_student("B", "b", 10))
    data = write_tables(tmp_path, {"results": rows, "scales": SCALES, "tasks": TASKS})
    found = _histograms(data)
    assert found["A"] == list(range(11))
    assert found["B"] == [0] * 10 + [1]


def test_a_cell_too_large_to_pack_is_counted_point_by_point(tmp_path: Path) -> None:
    # 32 768 students on one point would carry into the next point's bits of a packed sum
    big = [_student("A", f"a{i}", 3) for i in range(PACK_LIMIT)]
    small = [_student("B", f"b{k}", k) for k in (0, 4, 4, 10)]
    data = write_tables(tmp_path, {"results": big + small, "scales": SCALES, "tasks": TASKS})
    found = _histograms(data)
    assert found["A"] == [0, 0, 0, PACK_LIMIT, 0, 0, 0, 0, 0, 0, 0]
    assert found["B"] == [1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1]


def test_the_cells_are_the_same_whatever_the_batches(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [_student(f"S{s:02d}", f"{s}-{i}", (s * 7 + i) % 11) for s in range(23)
            for i in range(1 + s % 5)]
    data = write_tables(tmp_path, {"results": rows, "scales": SCALES, "tasks": TASKS})
    with open_session("duckdb", threads=2) as es:
        whole = compute_cell_stats(es, data)
    monkeypatch.setattr(cell_query, "BATCH_ROWS", 3)  # 23 cells in 8 batches
    with open_session("duckdb", threads=2) as es:
        batched = compute_cell_stats(es, data)
    assert whole.num_rows == 23
    assert batched.equals(whole)


def test_parallel_map_keeps_the_order_and_passes_errors_on() -> None:
    assert parallel_map(lambda x: x * x, range(50)) == [x * x for x in range(50)]
    # inside a worker the work runs in place: no thread waits on the pool it runs in
    assert parallel_map(lambda x: parallel_map(lambda y: x + y, range(3)), range(4)) == [
        [x + y for y in range(3)] for x in range(4)]

    def fails() -> None:
        raise ValueError("нет")

    with pytest.raises(ValueError, match="нет"):
        submit(fails).result()
