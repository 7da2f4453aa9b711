"""Per-cell statistics on a hand-made data set, every expected number worked out by hand below.

The data: ВПР 4th grade mathematics 2024, three tasks with maxima 1/2/2 (maximum 5; marks: «3»
from 2, «4» from 4, «5» from 5 points), two schools; ЕГЭ Russian with a test-score threshold of
36; ОГЭ mathematics with a fractional primary threshold 2.5; a school where everybody was absent;
a published aggregate, one of which duplicates a student-level cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aggregate_engines import ENGINES, engine_session, write_tables

from opora.engine.aggregate import compute_cell_stats
from opora.engine.session import EngineSession
from opora.engine.tables import CELL_STATS

VPR = {"procedure": "VPR", "year": 2024, "grade": 4, "subject": "math"}
EGE = {"procedure": "EGE", "year": 2024, "grade": 11, "subject": "rus"}
OGE = {"procedure": "OGE", "year": 2024, "grade": 9, "subject": "math"}


def _vpr(school: str, code: str, tasks: list[float] | None, mark: int | None,
         term: int | None, year: int = 2024) -> dict[str, object]:
    return {**VPR, "year": year, "school_key": school, "participant_code": code,
            "absent": tasks is None, "task_scores": tasks,
            "primary_score": sum(tasks) if tasks is not None else None,
            "mark": mark, "term_mark": term}


RESULTS = [
    _vpr("A", "a1", [1, 2, 2], 5, 4),     # 5 points, «5» above the term «4»
    _vpr("A", "a2", [1, 1, 0], 3, 3),     # 2 points, «3» = term
    _vpr("A", "a3", [0, 0, 1], 2, 3),     # 1 point, «2» below the term «3»
    _vpr("A", "a4", None, None, 4),       # absent: counts nowhere
    _vpr("B", "b1", [1, 2, 1], 4, None),  # 4 points, no term mark
    _vpr("B", "b2", [0, 1, 1], 3, 4),     # 2 points, «3» below the term «4»
    _vpr("B", "b9", [1, 2, 2], 5, 5, year=2023),  # another year
    _vpr("D", "d1", None, None, 3),       # school D: everybody absent
    _vpr("D", "d2", None, None, 4),
    *({**EGE, "school_key": "A", "participant_code": f"e{i}", "absent": False,
       "primary_score": p, "test_score": t}
      for i, (p, t) in enumerate([(50, 100), (45, 85), (10, 30), (30, 60)])),
    *({**OGE, "school_key": "B", "participant_code": f"o{i}", "absent": False,
       "primary_score": p, "mark": m}
      for i, (p, m) in enumerate([(2, 2), (3, 3), (7, 4)])),
]
SCALES = [
    {**VPR, "max_primary_score": 5, "boundary_3": 2, "boundary_4": 4, "boundary_5": 5},
    {**VPR, "year": 2023, "max_primary_score": 5, "boundary_3": 2, "boundary_4": 4,
     "boundary_5": 5},
    {**EGE, "max_primary_score": 50, "min_threshold": 36, "threshold_scale": "test"},
    {**OGE, "max_primary_score": 10, "min_threshold": 2.5, "threshold_scale": "primary"},
]
TASKS = [{**VPR, "year": y, "task_no": i + 1, "task_label": str(i + 1), "max_score": m}
         for y in (2023, 2024) for i, m in enumerate([1, 2, 2])]
AGGREGATES = [
    {**EGE, "subject": "math_profile", "school_key": "C", "participants": 10, "mean_score": 55.0,
     "below_threshold": 2, "high_scorers": 1, "top_scorers": 0, "score_scale": "test"},
    {**EGE, "school_key": "A", "participants": 99, "mean_score": 1.0, "score_scale": "test"},
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tables(tmp_path_factory.mktemp("hand"), {
        "results": RESULTS, "scales": SCALES, "tasks": TASKS, "aggregates": AGGREGATES})


@pytest.fixture(scope="module", params=ENGINES)
def es(request: pytest.FixtureRequest) -> Iterator[EngineSession]:
    yield from engine_session(request.param)


@pytest.fixture(scope="module")
def cells(es: EngineSession, data_dir: Path) -> dict[tuple[object, ...], dict[str, object]]:
    table = compute_cell_stats(es, data_dir, years=(2024, 2024))
    assert table.schema == CELL_STATS.schema
    return {(r["school_key"], r["procedure"], r["subject"]): r for r in table.to_pylist()}


def test_vpr_cell_has_hand_computed_means_marks_and_term_comparison(cells: dict) -> None:
    a = cells[("A", "VPR", "math")]
    assert a["level"] == "student" and a["participants"] == 3
    assert a["mean_score"] == pytest.approx(8 / 3)            # (5 + 2 + 1) / 3
    assert a["mean_pct"] == pytest.approx(8 / 3 / 5 * 100)     # of the maximum 5
    assert a["sum_pct"] == pytest.approx(100 + 40 + 20)
    assert a["sumsq_pct"] == pytest.approx(100**2 + 40**2 + 20**2)
    assert [a[f"mark_{k}"] for k in (2, 3, 4, 5)] == [1, 1, 0, 1]
    assert a["below_threshold"] == 1                           # ВПР: the «2»
    assert (a["with_term_mark"], a["mark_above_term"], a["mark_below_term"]) == (3, 1, 1)
    assert a["high_scorers"] is None and a["top_scorers"] is None


def test_vpr_cell_has_histogram_over_the_whole_scale_and_task_success(cells: dict) -> None:
    a, b = cells[("A", "VPR", "math")], cells[("B", "VPR", "math")]
    assert a["score_hist"] == [0, 1, 1, 0, 0, 1]   # scores 1, 2, 5 on 0…5
    assert b["score_hist"] == [0, 0, 1, 0, 1, 0]   # scores 2, 4
    assert a["has_tasks"] and b["has_tasks"]
    assert a["task_success"] == pytest.approx([2 / 3, 3 / 6, 3 / 6])  # sums 2, 3, 3 of 3×max
    assert b["task_success"] == pytest.approx([1 / 2, 3 / 4, 2 / 4])  # sums 1, 3, 2 of 2×max
    assert b["participants"] == 2 and b["mean_score"] == pytest.approx(3.0)
    assert (b["with_term_mark"], b["mark_above_term"], b["mark_below_term"]) == (1, 0, 1)


def test_school_where_everybody_was_absent_has_no_participants_and_no_mean(cells: dict) -> None:
    d = cells[("D", "VPR", "math")]
    assert d["participants"] == 0
    assert d["mean_score"] is None and d["mean_pct"] is None
    assert d["score_hist"] is None and d["task_success"] is None and not d["has_tasks"]
    assert d["with_term_mark"] == 0 and d["mark_2"] == 0


def test_ege_cell_counts_threshold_high_and_top_scorers_on_test_scores(cells: dict) -> None:
    e = cells[("A", "EGE", "rus")]
    assert e["level"] == "student" and e["participants"] == 4   # not the aggregate's 99
    assert e["score_scale"] == "test" and e["max_score"] == 100
    assert e["mean_score"] == pytest.approx((100 + 85 + 30 + 60) / 4)
    assert e["mean_pct"] == pytest.approx(68.75)
    assert e["sumsq_pct"] == pytest.approx(100**2 + 85**2 + 30**2 + 60**2)
    assert (e["below_threshold"], e["high_scorers"], e["top_scorers"]) == (1, 1, 1)
    assert e["score_hist"] is None


def test_fractional_primary_threshold_is_compared_exactly(cells: dict) -> None:
    o = cells[("B", "OGE", "math")]
    assert o["below_threshold"] == 1          # 2 < 2.5; 3 and 7 are not
    assert o["mean_pct"] == pytest.approx(12 / 3 / 10 * 100)
    assert o["score_hist"] == [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0]


def test_aggregate_only_cell_is_kept_and_duplicate_aggregate_is_dropped(cells: dict) -> None:
    c = cells[("C", "EGE", "math_profile")]
    assert c["level"] == "aggregate" and c["participants"] == 10
    assert c["mean_pct"] == pytest.approx(55.0) and c["sum_pct"] == pytest.approx(550.0)
    assert (c["below_threshold"], c["high_scorers"], c["top_scorers"]) == (2, 1, 0)
    assert c["sumsq_pct"] is None and c["score_hist"] is None
    assert sorted(cells) == sorted([("A", "VPR", "math"), ("B", "VPR", "math"),
                                    ("D", "VPR", "math"), ("A", "EGE", "rus"),
                                    ("B", "OGE", "math"), ("C", "EGE", "math_profile")])


def test_years_outside_the_range_are_left_out(es: EngineSession, data_dir: Path) -> None:
    table = compute_cell_stats(es, data_dir, years=(2023, 2023))
    assert table.to_pylist()[0]["school_key"] == "B" and table.num_rows == 1
    assert table.column("participants").to_pylist() == [1]
