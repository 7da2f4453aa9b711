"""Signs of non-objectivity on hand-built ВПР cells, with the expected statistics worked out."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from rules_data import aggregate_cell, cells_table, schools_table, student_cell

from opora.engine.cells import to_cells
from opora.engine.config import load_rules
from opora.engine.gaps import compute_gaps
from opora.engine.objectivity import analyse_objectivity
from opora.engine.regional import regional_values
from opora.schemas import MARKERS, SCALES, conform


def _run(rows: list[dict[str, object]], scales: pa.Table | None = None,
         markers: pa.Table | None = None, window: list[int] | None = None):  # type: ignore[no-untyped-def]
    rules = load_rules()
    keys = sorted({str(r["school_key"]) for r in rows})
    cells = to_cells(cells_table(rows))
    regional = regional_values(cells, None, schools_table(keys, [f"М{i % 2}" for i in
                                                                 range(len(keys))]), rules)
    gaps = compute_gaps(cells, regional, rules)
    result = analyse_objectivity(cells, gaps, scales, markers, window or [2024], rules)
    by = {(r["school_key"], r["grade"], r["subject"], r["year"]): r
          for r in result.table.to_pylist()}
    return result, by


def test_a_high_share_of_marks_above_the_term_mark_fires_with_its_z() -> None:
    rows = [student_cell(f"C{k}", [50.0] * 50, with_term_mark=50, mark_above_term=5)
            for k in range(9)]
    rows.append(student_cell("X", [50.0] * 50, with_term_mark=50, mark_above_term=25))
    result, by = _run(rows)
    # region pooled: (9·5 + 25) / (10·50) = 0.14; z = (0.50 − 0.14) / √(0.14·0.86/50) = 7.34 > 4
    assert by[("X", 4, "rus", 2024)]["term_above_region_pct"] == pytest.approx(14.0)
    assert by[("X", 4, "rus", 2024)]["term_above_pct"] == pytest.approx(50.0)
    assert by[("X", 4, "rus", 2024)]["term_fired"]
    assert not by[("C0", 4, "rus", 2024)]["term_fired"]
    assert result.schools == {"X"}
    flag = result.flags[0]
    assert flag.flag == "non_objective" and "50,0 % при 14,0 % по региону" in flag.evidence


def _scales() -> pa.Table:
    return conform(pa.table({"procedure": ["VPR"], "year": [2024], "grade": [4],
                             "subject": ["rus"], "max_primary_score": [10.0],
                             "boundary_3": [3.0], "boundary_4": [6.0], "boundary_5": [9.0]}),
                   SCALES)


def test_peaks_just_above_the_mark_boundaries_fire_against_the_region_shape() -> None:
    flat = [5] * 11
    peaked = [5] * 11
    for b in (3, 6, 9):
        peaked[b - 2], peaked[b - 1], peaked[b] = 2, 0, 10
    rows = [student_cell(f"C{k}", [50.0] * 55, score_hist=flat) for k in range(9)]
    rows.append(student_cell("X", [50.0] * 55, score_hist=peaked))
    _, by = _run(rows, _scales())
    # region with X: H[b] = 9·5 + 10 = 55, H[b−1] = 45, H[b−2] = 47 → r = 55/147 at each boundary
    r = 55 / 147
    m = 3 * 12  # h[b−2] + h[b−1] + h[b] = 12 at each of three boundaries
    z = (30 - m * r) / math.sqrt(m * r * (1 - r))
    assert by[("X", 4, "rus", 2024)]["boundary_z"] == pytest.approx(z)
    assert by[("X", 4, "rus", 2024)]["boundary_ratio"] == pytest.approx(30 / (m * r))
    assert by[("X", 4, "rus", 2024)]["boundary_fired"]
    assert not by[("C0", 4, "rus", 2024)]["boundary_fired"]


def test_hard_tasks_done_better_than_easy_ones_fire_the_inversion_sign() -> None:
    easy_to_hard = [0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
    inverted = [0.5, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]
    rows = [student_cell(f"C{k}", [50.0] * 40, task_success=easy_to_hard) for k in range(9)]
    rows.append(student_cell("X", [50.0] * 40, task_success=inverted))
    _, by = _run(rows)
    region = [(9 * a + b) / 10 for a, b in zip(easy_to_hard, inverted, strict=True)]
    logit = lambda p: np.log(np.asarray(p) / (1 - np.asarray(p)))  # noqa: E731
    expected = np.corrcoef(logit(region), logit(inverted) - logit(region))[0, 1]
    assert by[("X", 4, "rus", 2024)]["inversion_corr"] == pytest.approx(expected)
    assert expected < -0.7
    assert by[("X", 4, "rus", 2024)]["inversion_fired"]
    assert not by[("C0", 4, "rus", 2024)]["inversion_fired"]


def test_a_grade_4_cohort_that_collapses_in_grade_5_fires_on_the_grade_4_cell() -> None:
    rows = []
    for k in range(6):
        rows.append(student_cell(f"C{k}", [50.0, 52, 48] * 10, grade=4, year=2023))
        rows.append(student_cell(f"C{k}", [50.0, 52, 48] * 10, grade=5, year=2024))
    rows.append(student_cell("X", [80.0, 82, 78] * 10, grade=4, year=2023))  # far above
    rows.append(student_cell("X", [40.0, 42, 38] * 10, grade=5, year=2024))  # far below
    _, by = _run(rows, window=[2023, 2024])
    cell = by[("X", 4, "rus", 2023)]
    # region 2023: (6·50 + 80)/7 = 54.29 → gap +25.71; 2024: (6·50 + 40)/7 = 48.57 → gap −8.57
    assert cell["cohort_change_pct"] == pytest.approx((40 - 340 / 7) - (80 - 380 / 7))
    assert cell["cohort_fired"]
    assert not by[("C0", 4, "rus", 2023)]["cohort_fired"]


def test_high_vpr_results_not_confirmed_by_oge_fire() -> None:
    rows = []
    for k in range(6):
        rows.append(student_cell(f"C{k}", [50.0, 52, 48] * 10, grade=6))
        rows.append(student_cell(f"C{k}", [50.0, 52, 48] * 10, procedure="OGE", grade=9))
    rows.append(student_cell("X", [80.0, 82, 78] * 10, grade=6))
    rows.append(student_cell("X", [45.0, 47, 43] * 10, procedure="OGE", grade=9))
    _, by = _run(rows)
    cell = by[("X", 6, "rus", 2024)]
    assert cell["exam_gap_pct"] == pytest.approx(45 - (6 * 50 + 45) / 7)
    assert cell["unconfirmed_fired"]


def test_an_imported_federal_marker_is_a_sign_with_its_label() -> None:
    rows = [student_cell("X", [50.0] * 12), student_cell("C", [50.0] * 12)]
    markers = conform(pa.table({"school_key": ["X"], "year": [2024], "grade": [4],
                                "subject": ["rus"], "marker": ["4 РУ"]}), MARKERS)
    result, by = _run(rows, markers=markers)
    assert by[("X", 4, "rus", 2024)]["marker_fired"]
    assert "«4 РУ»" in result.flags[0].evidence


def test_aggregate_only_cells_say_which_signs_cannot_be_computed() -> None:
    rows = [aggregate_cell("X", 30, 60.0, procedure="VPR", grade=4, year=2024),
            aggregate_cell("C", 30, 50.0, procedure="VPR", grade=4, year=2024)]
    result, by = _run(rows)
    assert by[("X", 4, "rus", 2024)]["term_above_pct"] is None
    assert by[("X", 4, "rus", 2024)]["boundary_ratio"] is None
    assert not result.flags
    assert any("признаки 1–3" in n for n in result.notes)
