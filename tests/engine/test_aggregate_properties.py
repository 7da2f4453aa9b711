"""Properties of the per-cell statistics on random small data sets (DuckDB; Spark is covered by
the contract test — a JVM round trip per example would make this test minutes long)."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pyarrow as pa
from aggregate_engines import write_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.engine.aggregate import compute_cell_stats
from opora.engine.session import open_session

WORK = {"procedure": "VPR", "year": 2024, "grade": 5, "subject": "rus"}
MAXIMA = [1.0, 2.0, 3.0]

student = st.one_of(
    st.none(),  # absent
    st.tuples(*(st.integers(0, int(m)) for m in MAXIMA), st.sampled_from([None, 2, 3, 4, 5])),
)
schools = st.lists(st.lists(student, min_size=1, max_size=6), min_size=1, max_size=4)


def _rows(data: list[list[tuple | None]]) -> list[dict[str, object]]:
    rows = []
    for s, students in enumerate(data):
        for i, st_ in enumerate(students):
            tasks = None if st_ is None else [float(x) for x in st_[:3]]
            score = None if tasks is None else sum(tasks)
            rows.append({**WORK, "school_key": f"s{s}", "participant_code": f"{s}-{i}",
                         "absent": st_ is None, "task_scores": tasks, "primary_score": score,
                         "mark": None if score is None else 2 + int(score >= 2) + int(score >= 4)
                         + int(score >= 6), "term_mark": None if st_ is None else st_[3]})
    return rows


def _cells(rows: list[dict[str, object]]) -> pa.Table:
    with tempfile.TemporaryDirectory() as tmp, open_session("duckdb", threads=1) as es:
        write_tables(Path(tmp), {
            "results": rows,
            "scales": [{**WORK, "max_primary_score": sum(MAXIMA)}],
            "tasks": [{**WORK, "task_no": i + 1, "task_label": str(i + 1), "max_score": m}
                      for i, m in enumerate(MAXIMA)],
        })
        return compute_cell_stats(es, Path(tmp))


def _rounded(table: pa.Table) -> list[dict[str, object]]:
    def fix(v: object) -> object:
        if isinstance(v, float):
            return round(v, 9)
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v
    return [{k: fix(v) for k, v in row.items()} for row in table.to_pylist()]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schools, st.randoms(use_true_random=False))
def test_permuting_input_rows_changes_nothing(data: list, rnd: random.Random) -> None:
    rows = _rows(data)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert _rounded(_cells(shuffled)) == _rounded(_cells(rows))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schools, st.integers(1, 5))
def test_school_whose_students_were_all_absent_has_no_participants_and_no_mean(
    data: list, absent: int
) -> None:
    cells = {r["school_key"]: r for r in _cells(_rows([*data, [None] * absent])).to_pylist()}
    empty = cells[f"s{len(data)}"]
    assert empty["participants"] == 0
    assert empty["mean_score"] is None and empty["mean_pct"] is None
    assert empty["score_hist"] is None and empty["task_success"] is None
    assert empty["level"] == "student"
