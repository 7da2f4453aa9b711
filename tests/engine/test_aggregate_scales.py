"""A work's own scale decides its score even when it has no row in ``scales`` beside works that do.

Found in issue 18: the minimum thresholds come by a left join of ``scales`` on the work, and
SQLFrame resolved ``procedure`` after that join to the thresholds' column — null for a work
without a threshold row. A ГВЭ work was then scored by its primary score instead of its mark
(ГВЭ's scale is the mark, DOMAIN.md «Assessments»), and a ВПР work without a scale row lost its
histogram. The expected numbers below are counted by hand from the rows.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from aggregate_engines import ENGINES, engine_session, write_tables

from opora.engine.aggregate import compute_cell_stats

OGE = {"procedure": "OGE", "year": 2024, "grade": 9, "subject": "math"}
GVE = {"procedure": "GVE", "year": 2024, "grade": 9, "subject": "math"}
VPR = {"procedure": "VPR", "year": 2024, "grade": 5, "subject": "rus"}


def _student(work: dict, i: int, primary: float | None, mark: int | None) -> dict[str, object]:
    return {**work, "school_key": "s1", "participant_code": f"{work['procedure']}-{i}",
            "absent": primary is None, "primary_score": primary, "mark": mark}


@pytest.fixture(scope="module", params=ENGINES)
def cells(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    rows = [_student(OGE, 1, 12.0, 4), _student(OGE, 2, 6.0, 2),
            # ГВЭ: marks 3, 4, 5, 5 (primary scores far from them), one absent
            _student(GVE, 1, 10.0, 3), _student(GVE, 2, 15.0, 4), _student(GVE, 3, 20.0, 5),
            _student(GVE, 4, 22.0, 5), _student(GVE, 5, None, None),
            # ВПР without a scale row: primary scores 3, 5, 5
            _student(VPR, 1, 3.0, 3), _student(VPR, 2, 5.0, 4), _student(VPR, 3, 5.0, 4)]
    out = write_tables(tmp_path_factory.mktemp("scales"), {
        "results": rows,
        "scales": [{**OGE, "max_primary_score": 31.0, "min_threshold": 8.0}],
        "tasks": [],
    })
    for es in engine_session(request.param):  # DuckDB through SQLFrame, and Spark itself
        table: pa.Table = compute_cell_stats(es, Path(out))
    return {row["procedure"]: row for row in table.to_pylist()}


def test_a_gve_work_without_a_scale_row_is_scored_by_its_marks(cells: dict) -> None:
    gve = cells["GVE"]
    assert gve["score_scale"] == "mark"
    assert gve["participants"] == 4
    assert gve["mean_score"] == pytest.approx((3 + 4 + 5 + 5) / 4)
    assert [gve[f"mark_{k}"] for k in (2, 3, 4, 5)] == [0, 1, 1, 2]


def test_a_vpr_work_without_a_scale_row_keeps_its_histogram(cells: dict) -> None:
    hist = cells["VPR"]["score_hist"]
    assert hist[3] == 1 and hist[5] == 2 and sum(hist) == 3


def test_the_work_with_a_scale_row_still_gets_its_threshold(cells: dict) -> None:
    oge = cells["OGE"]
    assert oge["mean_score"] == pytest.approx((12 + 6) / 2)
    assert oge["below_threshold"] == 1  # 6 < 8
