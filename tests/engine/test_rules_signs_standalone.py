"""Signs 1–3 called on their own, without the regional key :func:`student_signs` finds once and
hands them: each finds the key itself and gives the same, hand-counted numbers (the mutation
bench found this path untested: the signs are always called with the key inside the engine)."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from rules_data import cells_table, schools_table, student_cell

from opora.engine.cells import to_cells
from opora.engine.config import load_rules
from opora.engine.objectivity import boundary_sign, inversion_sign, term_sign
from opora.engine.regional import set_regions
from opora.schemas import SCALES, conform


def vpr_cells(rows: list[dict[str, object]]):  # type: ignore[no-untyped-def]
    keys = sorted({str(r["school_key"]) for r in rows})
    cells = to_cells(cells_table(rows))
    set_regions(cells, schools_table(keys, [f"М{i % 2}" for i in range(len(keys))]))
    rows_of = np.arange(len(cells))
    x = int(np.flatnonzero(cells.school == "X")[0])
    return cells, rows_of, x


def test_the_term_sign_on_its_own_finds_the_regions_share() -> None:
    rows = [student_cell(f"C{k}", [50.0] * 50, with_term_mark=50, mark_above_term=5)
            for k in range(9)]
    rows.append(student_cell("X", [50.0] * 50, with_term_mark=50, mark_above_term=25))
    cells, every, x = vpr_cells(rows)
    share, region, fired = term_sign(cells, every, load_rules())
    # region pooled: (9·5 + 25) / (10·50) = 14 %; the school's own 25 / 50 = 50 %
    assert region[x] == pytest.approx(14.0) and share[x] == pytest.approx(50.0)
    assert fired[x] and fired.sum() == 1


def test_the_boundary_sign_on_its_own_finds_the_regions_shape() -> None:
    flat, peaked = [5] * 11, [5] * 11
    for b in (3, 6, 9):
        peaked[b - 2], peaked[b - 1], peaked[b] = 2, 0, 10
    rows = [student_cell(f"C{k}", [50.0] * 55, score_hist=flat) for k in range(9)]
    rows.append(student_cell("X", [50.0] * 55, score_hist=peaked))
    cells, every, x = vpr_cells(rows)
    scales = conform(pa.table({"procedure": ["VPR"], "year": [2024], "grade": [4],
                               "subject": ["rus"], "max_primary_score": [10.0],
                               "boundary_3": [3.0], "boundary_4": [6.0], "boundary_5": [9.0]}),
                     SCALES)
    ratio, z, fired = boundary_sign(cells, every, scales, load_rules())
    # H[b] = 9·5 + 10 = 55, H[b−1] = 45, H[b−2] = 47 → r = 55/147; m = 3·12; observed 30
    r, m = 55 / 147, 36
    assert z[x] == pytest.approx((30 - m * r) / math.sqrt(m * r * (1 - r)))
    assert ratio[x] == pytest.approx(30 / (m * r))
    assert fired[x] and fired.sum() == 1


def test_the_inversion_sign_on_its_own_finds_the_regions_easiness() -> None:
    easy_to_hard = [0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3]
    inverted = [0.5, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]
    rows = [student_cell(f"C{k}", [50.0] * 40, task_success=easy_to_hard) for k in range(9)]
    rows.append(student_cell("X", [50.0] * 40, task_success=inverted))
    cells, every, x = vpr_cells(rows)
    corr, fired = inversion_sign(cells, every, load_rules())
    region = np.asarray([(9 * a + b) / 10 for a, b in zip(easy_to_hard, inverted, strict=True)])
    logit = np.log(region / (1 - region))
    own = np.log(np.asarray(inverted) / (1 - np.asarray(inverted)))
    assert corr[x] == pytest.approx(np.corrcoef(logit, own - logit)[0, 1])
    assert fired[x] and fired.sum() == 1


def _logit(p: float) -> float:
    q = min(max(p, 0.02), 0.98)
    return math.log(q / (1 - q))


def test_the_inversion_sign_with_uneven_task_lists_matches_its_definition_school_by_school() -> None:
    """Works with different numbers of tasks in one run (issue 18 reads task j only for the
    rows whose list reaches it): grades 4 and 5 have 8 tasks, one school 9 in grade 4, and
    grade 6 — the last regional cell — 6. Each correlation is recomputed here from the definition: the region's
    participant-weighted success per task, the school's logit excess over it."""
    rng = np.random.default_rng(3)
    rows = []
    for k in range(6):
        rows.append(student_cell(f"C{k}", [50.0] * (20 + k),
                                 task_success=rng.uniform(0.1, 0.9, 8).round(3).tolist()))
        rows.append(student_cell(f"C{k}", [50.0] * (20 + k), grade=5,
                                 task_success=rng.uniform(0.1, 0.9, 8).round(3).tolist()))
        rows.append(student_cell(f"C{k}", [50.0] * (20 + k), grade=6,
                                 task_success=rng.uniform(0.1, 0.9, 6).round(3).tolist()))
    rows.append(student_cell("X", [50.0] * 30,
                             task_success=rng.uniform(0.1, 0.9, 9).round(3).tolist()))
    cells, every, _ = vpr_cells(rows)
    corr, _ = inversion_sign(cells, every, load_rules())
    for i in every.tolist():
        same = [r for r in every.tolist() if cells.grade[r] == cells.grade[i]]
        lists = {r: cells.table.column("task_success")[r].as_py() for r in same}
        n = {r: float(cells.col("participants")[r]) for r in same}
        own = lists[i]
        easy = [_logit(sum(n[r] * lists[r][j] for r in same if len(lists[r]) > j)
                       / sum(n[r] for r in same if len(lists[r]) > j))
                for j in range(len(own))]
        excess = [_logit(v) - e for v, e in zip(own, easy, strict=True)]
        assert corr[i] == pytest.approx(np.corrcoef(easy, excess)[0, 1], abs=1e-9), (
            cells.school[i], int(cells.grade[i]))
