"""Signs of non-objectivity (docs/methodology.md §9): both conditions of every sign at their edges.

Every case has a twin on the other side of one condition with the other condition still met, so
dropping a condition, flipping a comparison or changing a default threshold fails a test. The
expected statistics are worked out here from the cells with the formulas of the methodology.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from boundary_data import Z90, Z95, rules_with, totals, vpr
from rules_data import aggregate_cell, cells_table, schools_table, student_cell
from scipy import stats

from opora.engine.cells import to_cells
from opora.engine.config import Rules, load_rules
from opora.engine.gaps import compute_gaps
from opora.engine.objectivity import analyse_objectivity
from opora.engine.regional import regional_values
from opora.schemas import MARKERS, SCALES, conform


def _signs(rows: list[dict[str, object]], region: dict[tuple[str, str, int, int], float] | None
           = None, *, scales: pa.Table | None = None, markers: pa.Table | None = None,
           window: tuple[int, ...] = (2024,), rules: Rules | None = None) -> tuple[Any, dict]:
    """All schools in one municipality: regional means only from ``region`` (published totals)."""
    rules = rules or load_rules()
    keys = sorted({str(r["school_key"]) for r in rows})
    cells = to_cells(cells_table(rows))
    regional = regional_values(cells, totals(region) if region else None,
                               schools_table(keys), rules)
    gaps = compute_gaps(cells, regional, rules)
    result = analyse_objectivity(cells, gaps, scales, markers, list(window), rules)
    by = {(r["school_key"], r["grade"], r["subject"], r["year"]): r
          for r in result.table.to_pylist()}
    return result, by


def _x(by: dict, grade: int = 4, year: int = 2024, subject: str = "rus") -> dict:
    return by[("X", grade, subject, year)]


# --- 1. ВПР marks above the term marks: z > 4 and p − p₀ ≥ 10 points, n ≥ 10 -----------------

def _term_rows(x_n: int, x_above: int, control: list[tuple[int, int]]) -> list[dict[str, object]]:
    rows = [student_cell(f"C{k}", [50.0] * 30, with_term_mark=n, mark_above_term=a)
            for k, (n, a) in enumerate(control)]
    return [*rows, student_cell("X", [50.0] * 30, with_term_mark=x_n, mark_above_term=x_above)]


def _term_z(x_n: int, x_above: int, control: list[tuple[int, int]]) -> tuple[float, float]:
    """p₀ pooled over the region (X included); z = (p − p₀)/√(p₀(1 − p₀)/n); excess in points."""
    p0 = (x_above + sum(a for _, a in control)) / (x_n + sum(n for n, _ in control))
    p = x_above / x_n
    return (p - p0) / math.sqrt(p0 * (1 - p0) / x_n), (p - p0) * 100


@pytest.mark.parametrize(("above", "fires"), [
    # controls 9 × 10 of 100. 24 of 100: p₀ = 114/1000, excess 12,6 ≥ 10 but z = 3,965 ≤ 4.
    (24, False),
    # 25 of 100: p₀ = 115/1000 = 0,115, z = 0,135/√(0,115 · 0,885/100) = 4,232 > 4, excess 13,5
    (25, True),
])
def test_the_term_sign_needs_z_above_4(above: int, fires: bool) -> None:
    control = [(100, 10)] * 9
    z, excess = _term_z(100, above, control)
    assert excess >= 10 and (z > 4) is fires
    result, by = _signs(_term_rows(100, above, control))
    assert _x(by)["term_fired"] is fires
    assert _x(by)["term_above_region_pct"] == pytest.approx((above + 90) / 1000 * 100)
    assert ("X" in result.schools) is fires


@pytest.mark.parametrize(("above", "fires"), [
    # controls 9 × 40 of 400; X of 400: p₀ = (360 + a)/4000, excess = (9a − 360)/4000.
    (84, False),  # excess 9,9 points (< 10) though z = 6,30 > 4
    (85, True),   # excess 10,125 points, z = 6,44
])
def test_the_term_sign_needs_an_excess_of_at_least_10_points(above: int, fires: bool) -> None:
    control = [(400, 40)] * 9
    z, excess = _term_z(400, above, control)
    assert z > 4 and excess == pytest.approx((9 * above - 360) / 40)
    _, by = _signs(_term_rows(400, above, control))
    assert _x(by)["term_fired"] is fires


def test_an_excess_of_exactly_10_points_fires_the_term_sign() -> None:
    # controls 3600 with 680 above (8 × 76 + 72); X: 120 of 400 → p = 0,3, p₀ = 800/4000 = 0,2:
    # excess exactly 10 points (≥ 10), z = 0,1/√(0,2 · 0,8/400) = 5 > 4 → fires
    control = [(400, 76)] * 8 + [(400, 72)]
    z, _ = _term_z(400, 120, control)
    assert z == pytest.approx(5.0)
    _, by = _signs(_term_rows(400, 120, control))
    assert _x(by)["term_above_pct"] == pytest.approx(30.0)
    assert _x(by)["term_above_region_pct"] == pytest.approx(20.0)
    assert _x(by)["term_fired"]


@pytest.mark.parametrize(("n", "fires"), [
    # controls 9 × 10 of 100; X: 8 above of n. n = 10: p₀ = 98/910, z = 7,06 → fires;
    (10, True),
    (9, False),  # n = 9 < objectivity.min_participants (10): not computed as a sign
])
def test_the_term_sign_needs_ten_students_with_a_term_mark(n: int, fires: bool) -> None:
    control = [(100, 10)] * 9
    assert _term_z(n, 8, control)[0] > 4
    _, by = _signs(_term_rows(n, 8, control))
    assert _x(by)["term_fired"] is fires


# --- 2. peaks at the mark boundaries: z > 3,5 and Σm ≥ 10 ----------------------------------

BOUNDS = (3, 6, 9)


def _scales() -> pa.Table:
    return conform(pa.table({"procedure": ["VPR"], "year": [2024], "grade": [4],
                             "subject": ["rus"], "max_primary_score": [10.0],
                             "boundary_3": [3.0], "boundary_4": [6.0], "boundary_5": [9.0]}),
                   SCALES)


def _boundary_z(x: list[int]) -> tuple[float, int]:
    """Region H = 9 × 20 at every score + X; r_b = H[b]/(H[b−2] + H[b−1] + H[b]);
    z = (Σh[b] − Σm_b r_b)/√(Σm_b r_b(1 − r_b)), m_b = h[b−2] + h[b−1] + h[b]."""
    region = [9 * 20 + h for h in x]
    observed = expected = variance = 0.0
    count = 0
    for b in BOUNDS:
        r = region[b] / (region[b - 2] + region[b - 1] + region[b])
        m = x[b - 2] + x[b - 1] + x[b]
        observed += x[b]
        expected += m * r
        variance += m * r * (1 - r)
        count += m
    return (observed - expected) / math.sqrt(variance), count


def _boundary_rows(x: list[int]) -> list[dict[str, object]]:
    rows = [student_cell(f"C{k}", [50.0] * 220, score_hist=[20] * 11) for k in range(9)]
    return [*rows, student_cell("X", [50.0] * 30, score_hist=x)]


@pytest.mark.parametrize(("hist", "fires"), [
    ([3, 0, 3, 4, 1, 0, 4, 0, 0, 4, 6], False),  # z = 3,492 ≤ 3,5 (Σm = 16)
    ([3, 0, 3, 6, 0, 3, 6, 0, 3, 6, 3], True),   # z = 3,600 > 3,5 (Σm = 27)
])
def test_the_boundary_sign_needs_z_above_3_5(hist: list[int], fires: bool) -> None:
    z, count = _boundary_z(hist)
    assert count >= 10 and (z > 3.5) is fires
    _, by = _signs(_boundary_rows(hist), scales=_scales())
    assert _x(by)["boundary_z"] == pytest.approx(z)
    assert _x(by)["boundary_fired"] is fires


@pytest.mark.parametrize(("at_three", "fires"), [
    (9, False),  # all 9 students exactly at «3»: z = 4,14 > 3,5 but Σm = 9 < 10
    (10, True),  # 10 students: z = 4,35, Σm = 10
])
def test_the_boundary_sign_needs_ten_students_around_the_boundaries(at_three: int,
                                                                      fires: bool) -> None:
    hist = [0] * 11
    hist[3] = at_three
    z, count = _boundary_z(hist)
    assert z > 3.5 and count == at_three
    _, by = _signs(_boundary_rows(hist), scales=_scales())
    assert _x(by)["boundary_z"] == pytest.approx(z)
    # observed / (m · r₃) with m = observed and r₃ = (180 + a)/(540 + a) (X in the region)
    assert _x(by)["boundary_ratio"] == pytest.approx((540 + at_three) / (180 + at_three))
    assert _x(by)["boundary_fired"] is fires


def test_without_a_scale_the_boundary_sign_is_not_computed() -> None:
    hist = [3, 0, 3, 6, 0, 3, 6, 0, 3, 6, 3]
    _, by = _signs(_boundary_rows(hist), scales=None)
    assert _x(by)["boundary_z"] is None and not _x(by)["boundary_fired"]


# --- 3. difficulty inversion: corr ≤ −0,7, one-sided p < 0,001, ≥ 6 tasks, n ≥ 10 -----------

EASY20 = [0.85, 0.821, 0.792, 0.763, 0.734, 0.705, 0.676, 0.647, 0.618, 0.589, 0.561, 0.532,
          0.503, 0.474, 0.445, 0.416, 0.387, 0.358, 0.329, 0.3]
EASY8 = [0.85, 0.771, 0.693, 0.614, 0.536, 0.457, 0.379, 0.3]


def _inversion(control: list[float], school: list[float], n: int = 10) -> tuple[float, float]:
    """Region = participant-weighted success (9 × 1000 + X); e = logit(s) − logit(r);
    corr(logit(r), e); t = r√((k − 2)/(1 − r²)); one-sided p = P(T_{k−2} ≤ t)."""
    c, s = np.array(control), np.array(school)
    region = (9 * 1000 * c + n * s) / (9 * 1000 + n)

    def logit(p: np.ndarray) -> np.ndarray:
        q = np.clip(p, 0.02, 0.98)
        return np.log(q / (1 - q))

    x = logit(region)
    r = float(np.corrcoef(x, logit(s) - x)[0, 1])
    k = len(s)
    t = r * math.sqrt((k - 2) / (1 - r * r))
    return r, float(stats.t.cdf(t, k - 2))


def _inversion_rows(control: list[float], school: list[float],
                    n: int = 10) -> list[dict[str, object]]:
    rows = [student_cell(f"C{k}", [50.0] * 1000, task_success=control) for k in range(9)]
    return [*rows, student_cell("X", [50.0] * n, task_success=school)]


@pytest.mark.parametrize(("school", "fires"), [
    # 20 tasks, both p ≈ 0,0003 < 0,001; only the correlation differs
    ([0.797, 0.813, 0.693, 0.723, 0.749, 0.615, 0.655, 0.688, 0.545, 0.592, 0.628, 0.479, 0.53,
      0.565, 0.415, 0.467, 0.5, 0.352, 0.401, 0.428], False),  # corr −0,6998 > −0,7
    ([0.797, 0.813, 0.693, 0.722, 0.749, 0.615, 0.655, 0.688, 0.545, 0.592, 0.628, 0.479, 0.53,
      0.566, 0.416, 0.467, 0.5, 0.352, 0.401, 0.428], True),   # corr −0,7009 ≤ −0,7
])
def test_the_inversion_sign_needs_a_correlation_of_at_most_minus_0_7(school: list[float],
                                                                     fires: bool) -> None:
    r, p = _inversion(EASY20, school)
    assert p < 0.001 and (r <= -0.7) is fires
    _, by = _signs(_inversion_rows(EASY20, school))
    assert _x(by)["inversion_corr"] == pytest.approx(r)
    assert _x(by)["inversion_fired"] is fires


@pytest.mark.parametrize(("school", "fires"), [
    # 8 tasks, both corr ≈ −0,905 ≤ −0,7; only the significance differs
    ([0.74, 0.74, 0.58, 0.602, 0.624, 0.457, 0.486, 0.502], False),     # p = 0,00101 ≥ 0,001
    ([0.739, 0.739, 0.58, 0.602, 0.624, 0.457, 0.486, 0.503], True),   # p = 0,00097 < 0,001
])
def test_the_inversion_sign_needs_p_below_0_001(school: list[float], fires: bool) -> None:
    r, p = _inversion(EASY8, school)
    assert r <= -0.7 and (p < 0.001) is fires
    _, by = _signs(_inversion_rows(EASY8, school))
    assert _x(by)["inversion_corr"] == pytest.approx(r)
    assert _x(by)["inversion_fired"] is fires


STRONG6 = [0.4, 0.45, 0.5, 0.55, 0.6, 0.65]  # the harder the task, the better the school


@pytest.mark.parametrize(("tasks", "fires"), [(6, True), (5, False)])
def test_the_inversion_sign_needs_six_tasks(tasks: int, fires: bool) -> None:
    control, school = EASY8[:tasks], STRONG6[:tasks]
    r, p = _inversion(control, school)
    assert r <= -0.7 and p < 0.001  # 5 tasks would be «significant» too: only the count differs
    _, by = _signs(_inversion_rows(control, school))
    assert _x(by)["inversion_corr"] == pytest.approx(r)
    assert _x(by)["inversion_fired"] is fires


@pytest.mark.parametrize(("n", "fires"), [(10, True), (9, False)])
def test_the_inversion_sign_needs_ten_participants(n: int, fires: bool) -> None:
    school = list(reversed(EASY20))
    r, p = _inversion(EASY20, school, n)
    assert r <= -0.7 and p < 0.001
    _, by = _signs(_inversion_rows(EASY20, school, n))
    assert _x(by)["inversion_fired"] is fires


def test_fewer_than_three_tasks_give_no_correlation() -> None:
    _, by = _signs(_inversion_rows(EASY8[:2], STRONG6[:2]))
    assert _x(by)["inversion_corr"] is None and not _x(by)["inversion_fired"]


# --- 4. grade 4 → 5 cohort drop: ≥ 15 points and the drop's 95 % interval excludes 0 --------
# Aggregate ВПР cells against published totals of 50: SD assumed 20, SE = 20/√n.

COHORT_REGION = {("VPR", "rus", 4, 2023): 50.0, ("VPR", "rus", 5, 2024): 50.0}


def _cohort(mean4: float, mean5: float, n4: int = 100, n5: int = 100, grade5: int = 5,
            year5: int = 2024, rules: Rules | None = None) -> dict:
    rows = [vpr("X", n4, mean4, grade=4, year=2023), vpr("X", n5, mean5, grade=grade5,
                                                         year=year5)]
    region = {**COHORT_REGION, ("VPR", "rus", grade5, year5): 50.0}
    _, by = _signs(rows, region, window=(2023, 2024), rules=rules)
    return _x(by, grade=4, year=2023)


@pytest.mark.parametrize(("mean5", "fires"), [
    # n = 100: SE of each gap 20/10 = 2, of the drop √8 = 2,828; half-width 1,959964 · 2,828 = 5,54
    (45.0, True),    # gap +10 → −5: drop −15 (≤ −15), −15 + 5,54 < 0
    (45.1, False),   # drop −14,9 > −15, although its interval −14,9 ± 5,54 excludes 0
])
def test_the_cohort_sign_needs_a_drop_of_at_least_15_points(mean5: float, fires: bool) -> None:
    cell = _cohort(60.0, mean5)
    assert cell["cohort_change_pct"] == pytest.approx((mean5 - 50) - 10)
    assert cell["cohort_fired"] is fires


@pytest.mark.parametrize(("mean5", "fires"), [
    # n = 10: SE 20/√10 = 6,3246, of the drop √80 = 8,944; half-width 1,959964 · 8,944 = 17,530
    (42.4, True),    # drop −17,6: upper bound −0,07 < 0
    (42.6, False),   # drop −17,4 (≤ −15), but the upper bound +0,13: the fall is not proven
])
def test_the_cohort_sign_needs_the_drops_interval_to_exclude_zero(mean5: float,
                                                                  fires: bool) -> None:
    drop = (mean5 - 50) - 10
    assert (drop + Z95 * math.sqrt(2 * 400 / 10) < 0) is fires
    assert _cohort(60.0, mean5, 10, 10)["cohort_fired"] is fires


def test_the_cohort_interval_has_the_configured_confidence_level() -> None:
    # 90 %: half-width 1,644854 · 8,944 = 14,712 → drop −17,4 is now proven
    rules = rules_with(identification={"confidence": 0.90})
    assert -17.4 + Z90 * math.sqrt(80) < 0
    assert _cohort(60.0, 42.6, 10, 10, rules=rules)["cohort_fired"]


@pytest.mark.parametrize(("n4", "n5", "fires"), [
    (10, 10, True),   # drop −25, half-width 17,53: fires
    (9, 10, False),   # grade 4 has 9 participants (< 10)
    (10, 9, False),   # grade 5 has 9 participants
])
def test_the_cohort_sign_needs_ten_participants_in_both_years(n4: int, n5: int,
                                                              fires: bool) -> None:
    assert _cohort(60.0, 35.0, n4, n5)["cohort_fired"] is fires


@pytest.mark.parametrize(("grade5", "year5"), [(5, 2023), (6, 2024)])
def test_the_cohort_is_grade_5_of_the_next_year_only(grade5: int, year5: int) -> None:
    cell = _cohort(60.0, 30.0, grade5=grade5, year5=year5)
    assert cell["cohort_change_pct"] is None and not cell["cohort_fired"]


# --- 5. high ВПР not confirmed by ОГЭ/ЕГЭ: ВПР lower bound > 10 and exam gap ≤ 0 --------------
# ВПР grade 6, n = 100: SE 2, half-width 3,919928. Published totals of 50 everywhere.

EXAM_REGION = {("VPR", "rus", 6, 2024): 50.0, ("OGE", "rus", 9, 2024): 50.0,
               ("EGE", "rus", 11, 2024): 50.0, ("VPR", "math", 6, 2024): 50.0,
               ("EGE", "math_profile", 11, 2024): 50.0}


def _oge(n: int, mean: float) -> dict[str, object]:
    return aggregate_cell("X", n, mean, procedure="OGE", grade=9, year=2024)


def _unconfirmed(vpr_mean: float, exams: list[dict[str, object]], n: int = 100) -> dict:
    _, by = _signs([vpr("X", n, vpr_mean, grade=6), *exams], EXAM_REGION)
    return _x(by, grade=6)


@pytest.mark.parametrize(("vpr_mean", "oge_mean", "fires"), [
    (64.0, 50.0, True),    # ВПР +14: lower bound 10,08 > 10; ОГЭ gap 0 ≤ 0
    (63.9, 50.0, False),   # ВПР +13,9: lower bound 9,98
    (64.0, 50.1, False),   # ОГЭ +0,1 > 0: the exam confirms a (slightly) high result
])
def test_the_unconfirmed_sign_needs_both_a_high_vpr_and_an_exam_not_above_the_region(
        vpr_mean: float, oge_mean: float, fires: bool) -> None:
    assert ((vpr_mean - 50) - Z95 * 2 > 10) is (vpr_mean == 64.0)
    cell = _unconfirmed(vpr_mean, [_oge(30, oge_mean)])
    assert cell["exam_gap_pct"] == pytest.approx(oge_mean - 50)
    assert cell["unconfirmed_fired"] is fires


def test_the_exam_gap_is_weighted_by_participants() -> None:
    # ОГЭ +2 (n 10) and ЕГЭ −1 (n 30): (10 · 2 − 30 · 1)/40 = −0,25 ≤ 0 → fires
    # (the unweighted mean +0,5 would not)
    ege = aggregate_cell("X", 30, 49.0, year=2024)
    cell = _unconfirmed(64.0, [_oge(10, 52.0), ege])
    assert cell["exam_gap_pct"] == pytest.approx(-0.25)
    assert cell["unconfirmed_fired"]


def test_exam_cells_with_fewer_than_five_participants_are_not_counted() -> None:
    # ОГЭ −10 with 4 participants is left out; ЕГЭ +1 (n 10) remains → +1 > 0, no sign
    cell = _unconfirmed(64.0, [_oge(4, 40.0), aggregate_cell("X", 10, 51.0, year=2024)])
    assert cell["exam_gap_pct"] == pytest.approx(1.0)
    assert not cell["unconfirmed_fired"]


@pytest.mark.parametrize(("n", "vpr_mean", "fires"), [
    (10, 73.0, True),    # SE 20/√10 = 6,3246: lower bound 23 − 12,396 = 10,60
    (9, 74.0, False),    # 9 participants: lower bound 24 − 13,066 = 10,93, but n < 10
])
def test_the_unconfirmed_sign_needs_ten_vpr_participants(n: int, vpr_mean: float,
                                                         fires: bool) -> None:
    assert (vpr_mean - 50) - Z95 * 20 / math.sqrt(n) > 10
    assert _unconfirmed(vpr_mean, [_oge(30, 50.0)], n)["unconfirmed_fired"] is fires


def test_profile_mathematics_confirms_or_not_the_vpr_in_mathematics() -> None:
    rows = [vpr("X", 100, 64.0, grade=6, subject="math"),
            aggregate_cell("X", 30, 50.0, subject="math_profile", year=2024)]
    _, by = _signs(rows, EXAM_REGION)
    assert _x(by, grade=6, subject="math")["unconfirmed_fired"]


def test_without_an_exam_the_unconfirmed_sign_has_no_value() -> None:
    cell = _unconfirmed(80.0, [])
    assert cell["exam_gap_pct"] is None and not cell["unconfirmed_fired"]


# --- 6. the federal marker, and the school's flag ----------------------------------------------

def test_a_marker_fires_only_for_its_own_cell() -> None:
    rows = [student_cell("X", [50.0] * 12), student_cell("X", [50.0] * 12, grade=5)]
    markers = conform(pa.table({"school_key": ["X"], "year": [2024], "grade": [5],
                                "subject": ["rus"], "marker": ["5 РУ"]}), MARKERS)
    result, by = _signs(rows, markers=markers)
    assert not _x(by, grade=4)["marker_fired"]
    assert _x(by, grade=5)["marker_fired"]
    assert [f.year for f in result.flags] == [2024]


def test_signs_outside_the_window_give_no_flag() -> None:
    control = [(100, 10)] * 9
    rows = _term_rows(100, 40, control)
    result, by = _signs(rows, window=(2023,))
    assert by == {} and result.flags == []


# --- what the signs compare with: the region's own cell, and only what is known -------------

def test_an_excess_just_below_10_points_does_not_fire_however_large_the_school() -> None:
    # controls 9 × 50 of 500; X: 174 of 800 → p₀ = 624/5300, excess 9,976 points (< 10), z 8,8
    control = [(500, 50)] * 9
    z, excess = _term_z(800, 174, control)
    assert z > 4 and 9.9 < excess < 10
    _, by = _signs(_term_rows(800, 174, control))
    assert not _x(by)["term_fired"]


def _schools_in(regions: dict[str, str]) -> pa.Table:
    keys = sorted(regions)
    return pa.table({"school_key": keys, "municipality": [f"М{k}" for k in keys],
                     "region": [regions[k] for k in keys]})


def test_the_regional_share_is_taken_in_the_cells_own_region_subject_grade_and_year() -> None:
    # X (Север, 4 класс, русский, 2024) shares its cell with C only: p₀ = (20 + 10)/200 = 15 %.
    # Other cells — another region, subject, grade, year — have 50 % above and must not count.
    # A school without term marks (D) and one with term marks but no count above (E) add nothing.
    def cell(school: str, n: float | None, above: float | None, **where: object) -> dict:
        return student_cell(school, [50.0] * 30, with_term_mark=n, mark_above_term=above,
                            **where)

    rows = [cell("X", 100, 20), cell("C", 100, 10), cell("D", None, None),
            cell("E", 100, None), cell("S", 100, 50), cell("M", 100, 50, subject="math"),
            cell("G", 100, 50, grade=5), cell("Y", 100, 50, year=2023)]
    regions = {"X": "Север", "C": "Север", "D": "Север", "E": "Север", "S": "Юг",
               "M": "Север", "G": "Север", "Y": "Север"}
    rules = load_rules()
    cells = to_cells(cells_table(rows))
    regional = regional_values(cells, None, _schools_in(regions), rules)
    result = analyse_objectivity(cells, compute_gaps(cells, regional, rules), None, None,
                                 [2023, 2024], rules)
    by = {(r["school_key"], r["grade"], r["subject"], r["year"]): r
          for r in result.table.to_pylist()}
    assert by[("X", 4, "rus", 2024)]["term_above_region_pct"] == pytest.approx(15.0)
    assert by[("D", 4, "rus", 2024)]["term_above_pct"] is None


def test_the_boundary_statistics_of_every_school_follow_the_formula() -> None:
    # the first school in the table too (C0, flat): z and the ratio by the same formula
    hist = [3, 0, 3, 6, 0, 3, 6, 0, 3, 6, 3]
    _, by = _signs(_boundary_rows(hist), scales=_scales())
    region = [9 * 20 + h for h in hist]
    observed = expected = variance = 0.0
    for b in BOUNDS:
        r = region[b] / (region[b - 2] + region[b - 1] + region[b])
        observed, expected, variance = observed + 20, expected + 60 * r, variance + 60 * r * (1 - r)
    c0 = by[("C0", 4, "rus", 2024)]
    assert c0["boundary_z"] == pytest.approx((observed - expected) / math.sqrt(variance))
    assert c0["boundary_ratio"] == pytest.approx(observed / expected)


def test_one_student_at_a_boundary_still_gives_a_ratio_and_a_z() -> None:
    # X: one student at «3»: m = 1, r₃ = 181/541; ratio 1/r₃ = 2,99, z = (1 − r)/√(r(1 − r))
    hist = [0] * 11
    hist[3] = 1
    _, by = _signs(_boundary_rows(hist), scales=_scales())
    r = 181 / 541
    assert _x(by)["boundary_ratio"] == pytest.approx(1 / r)
    assert _x(by)["boundary_z"] == pytest.approx((1 - r) / math.sqrt(r * (1 - r)))


def test_a_boundary_outside_the_histogram_is_left_out_and_one_at_2_counts() -> None:
    # boundaries «3» = 2 (window 0…2), «4» = 6, «5» = 11 — beyond the scores 0…10: left out
    scales = conform(pa.table({"procedure": ["VPR"], "year": [2024], "grade": [4],
                               "subject": ["rus"], "max_primary_score": [10.0],
                               "boundary_3": [2.0], "boundary_4": [6.0], "boundary_5": [11.0]}),
                     SCALES)
    hist = [1, 2, 8, 0, 1, 2, 9, 0, 0, 0, 0]
    _, by = _signs(_boundary_rows(hist), scales=scales)
    region = [180 + h for h in hist]
    observed = expected = variance = 0.0
    for b in (2, 6):
        r = region[b] / (region[b - 2] + region[b - 1] + region[b])
        m = hist[b - 2] + hist[b - 1] + hist[b]
        observed, expected = observed + hist[b], expected + m * r
        variance += m * r * (1 - r)
    assert _x(by)["boundary_z"] == pytest.approx((observed - expected) / math.sqrt(variance))


def test_cells_without_histograms_or_tasks_sit_beside_cells_with_them() -> None:
    # the last ВПР cell is aggregate-only (no histogram, no tasks): the others are unchanged
    hist = [3, 0, 3, 6, 0, 3, 6, 0, 3, 6, 3]
    rows = [student_cell(f"C{k}", [50.0] * 220, score_hist=[20] * 11, task_success=EASY8)
            for k in range(9)]
    rows += [student_cell("X", [50.0] * 30, score_hist=hist, task_success=[*STRONG6, 0.7, 0.75]),
             vpr("Z", 30, 50.0)]
    _, by = _signs(rows, scales=_scales())
    z, _ = _boundary_z(hist)
    assert _x(by)["boundary_z"] == pytest.approx(z)
    assert by[("Z", 4, "rus", 2024)]["boundary_z"] is None
    assert by[("Z", 4, "rus", 2024)]["inversion_corr"] is None
    assert _x(by)["inversion_corr"] is not None
    # and aggregate cells only, with a scale: nothing to compute, no error
    _, only = _signs([vpr("Z", 30, 50.0), vpr("W", 30, 60.0)], scales=_scales())
    assert only[("Z", 4, "rus", 2024)]["boundary_ratio"] is None


def test_the_inversion_regional_success_is_per_cell_and_skips_unknown_tasks() -> None:
    # grade 4 and grade 5 in one run (two regional cells), a control with one task unknown:
    # the region's success of a task is Σ n·s / Σ n over the schools that have it
    easy = EASY8
    c_unknown = [*easy[:3], None, *easy[4:]]
    rows = [student_cell(f"C{k}", [50.0] * 1000, task_success=easy) for k in range(8)]
    rows += [student_cell("CU", [50.0] * 1000, task_success=c_unknown),
             student_cell("X", [50.0] * 10, task_success=[*STRONG6, 0.7, 0.75]),
             *(student_cell(f"G{k}", [50.0] * 500, grade=5, task_success=[0.1] * 8)
               for k in range(3))]
    _, by = _signs(rows)
    s = np.array([*STRONG6, 0.7, 0.75])
    counts = np.array([9000, 9000, 9000, 8000, 9000, 9000, 9000, 9000])  # task 4: 8 schools
    region = (np.array(easy) * counts + 10 * s) / (counts + 10)
    x = np.log(region / (1 - region))
    expected = np.corrcoef(x, np.log(s / (1 - s)) - x)[0, 1]
    assert _x(by)["inversion_corr"] == pytest.approx(expected)
    cu = by[("CU", 4, "rus", 2024)]["inversion_corr"]
    assert cu is not None  # 7 known tasks of 8


def test_three_tasks_give_a_correlation_but_no_sign() -> None:
    _, by = _signs(_inversion_rows(EASY8[:3], STRONG6[:3]))
    r, _ = _inversion(EASY8[:3], STRONG6[:3])
    assert _x(by)["inversion_corr"] == pytest.approx(r)
    assert not _x(by)["inversion_fired"]


def test_task_success_of_0_or_1_is_clipped_to_0_02_and_0_98_on_the_logit_scale() -> None:
    school = [0.0, 0.3, 0.5, 0.7, 0.9, 1.0]
    control = [0.99, 0.8, 0.6, 0.4, 0.2, 0.01]
    r, _ = _inversion(control, school)  # the helper clips as the methodology says
    _, by = _signs(_inversion_rows(control, school))
    assert _x(by)["inversion_corr"] == pytest.approx(r)


def test_the_exam_is_the_same_subject_and_year_and_five_participants_count() -> None:
    # ВПР Russian 2024 high; ОГЭ Russian 2024 gap 0 with exactly 5 participants (counts);
    # ОГЭ mathematics 2024 +5 and ОГЭ Russian 2023 +5 must not be mixed in → exam gap 0: fires
    region = {**EXAM_REGION, ("OGE", "math", 9, 2024): 50.0, ("OGE", "rus", 9, 2023): 50.0}
    rows = [vpr("X", 100, 64.0, grade=6), _oge(5, 50.0),
            aggregate_cell("X", 30, 55.0, procedure="OGE", grade=9, subject="math", year=2024),
            aggregate_cell("X", 30, 55.0, procedure="OGE", grade=9, year=2023)]
    _, by = _signs(rows, region)
    cell = _x(by, grade=6)
    assert cell["exam_gap_pct"] == pytest.approx(0.0)
    assert cell["unconfirmed_fired"]


def test_the_vpr_gap_is_reported_only_beside_an_exam() -> None:
    with_exam = _unconfirmed(64.0, [_oge(30, 50.0)])
    assert with_exam["vpr_gap_pct"] == pytest.approx(14.0)
    assert _unconfirmed(64.0, [])["vpr_gap_pct"] is None


# --- a cell alone, the first school, unused boundaries, and what the run writes ---------------

def test_a_school_alone_is_its_own_region_shape() -> None:
    # one ВПР cell: the region's histogram is the school's, so observed = expected (ratio 1,
    # z 0), one student in one window gives r = 1 there
    _, by = _signs([student_cell("X", [50.0] * 30, score_hist=[0, 0, 0, 1] + [0] * 7)],
                   scales=_scales())
    assert _x(by)["boundary_ratio"] == pytest.approx(1.0)
    _, many = _signs([student_cell("X", [50.0] * 30, score_hist=[3, 0, 3, 6, 0, 3, 6, 0, 3, 6, 3])],
                     scales=_scales())
    assert _x(many)["boundary_ratio"] == pytest.approx(1.0) and _x(many)["boundary_z"] == 0


def test_the_first_school_in_the_table_reads_its_own_histogram() -> None:
    hist = [3, 0, 3, 6, 0, 3, 6, 0, 3, 6, 3]
    rows = [student_cell("X", [50.0] * 30, score_hist=hist),
            *(student_cell(f"C{k}", [50.0] * 220, score_hist=[20] * 11) for k in range(9))]
    _, by = _signs(rows, scales=_scales())
    z, _ = _boundary_z(hist)
    assert _x(by)["boundary_z"] == pytest.approx(z)


def test_an_unused_boundary_adds_nothing_to_the_count_of_ten() -> None:
    # «5» = 11 lies outside the scores: nine students at «3» stay nine (< 10), no sign
    scales = conform(pa.table({"procedure": ["VPR"], "year": [2024], "grade": [4],
                               "subject": ["rus"], "max_primary_score": [10.0],
                               "boundary_3": [3.0], "boundary_4": [6.0], "boundary_5": [11.0]}),
                     SCALES)
    hist = [0] * 11
    hist[3] = 9
    _, by = _signs(_boundary_rows(hist), scales=scales)
    assert _x(by)["boundary_z"] > 3.5 and not _x(by)["boundary_fired"]


def test_shorter_histograms_of_another_grade_sit_beside_longer_ones() -> None:
    # grade 5 has a scale of 7 points (histograms of 8) after grade 4's of 11
    scales = conform(pa.table({"procedure": ["VPR", "VPR"], "year": [2024, 2024],
                               "grade": [4, 5], "subject": ["rus", "rus"],
                               "max_primary_score": [10.0, 7.0], "boundary_3": [3.0, 2.0],
                               "boundary_4": [6.0, 4.0], "boundary_5": [9.0, 6.0]}), SCALES)
    hist = [3, 0, 3, 6, 0, 3, 6, 0, 3, 6, 3]
    rows = _boundary_rows(hist) + [student_cell(f"G{k}", [50.0] * 40, grade=5,
                                                score_hist=[5] * 8) for k in range(3)]
    _, by = _signs(rows, scales=scales)
    assert _x(by)["boundary_z"] == pytest.approx(_boundary_z(hist)[0])
    assert by[("G0", 5, "rus", 2024)]["boundary_z"] == pytest.approx(0.0)


def test_one_student_with_a_term_mark_counts_in_the_regions_share() -> None:
    # X: 20 of 100 above; C: 10 of 100; O: 1 of 1 → p₀ = 31/201
    rows = [student_cell("X", [50.0] * 30, with_term_mark=100, mark_above_term=20),
            student_cell("C", [50.0] * 30, with_term_mark=100, mark_above_term=10),
            student_cell("O", [50.0] * 30, with_term_mark=1, mark_above_term=1)]
    _, by = _signs(rows)
    assert _x(by)["term_above_region_pct"] == pytest.approx(31 / 201 * 100)
    assert by[("O", 4, "rus", 2024)]["term_above_pct"] == pytest.approx(100.0)


def test_the_evidence_names_every_fired_sign_with_its_numbers() -> None:
    # X fires the term sign, the boundary sign and the inversion sign in one cell
    hist = [3, 0, 3, 6, 0, 3, 6, 0, 3, 6, 3]
    rows = [student_cell(f"C{k}", [50.0] * 220, score_hist=[20] * 11, with_term_mark=100,
                         mark_above_term=10, task_success=EASY20) for k in range(9)]
    rows.append(student_cell("X", [50.0] * 30, score_hist=hist, with_term_mark=100,
                             mark_above_term=40, task_success=list(reversed(EASY20))))
    result, by = _signs(rows, scales=_scales())
    cell = _x(by)
    assert cell["term_fired"] and cell["boundary_fired"] and cell["inversion_fired"]
    assert cell["any_fired"] and cell["marker"] is None
    [flag] = result.flags
    assert flag.school_key == "X" and flag.year == 2024
    term = f"{cell['term_above_pct']:.1f} % при {cell['term_above_region_pct']:.1f} % по региону"
    assert flag.evidence == (
        "Признаки необъективности результатов (это признаки, а не вывод): "
        "ВПР, русский язык, 4 класс, 2024: отметки ВПР выше четвертных: "
        + term.replace(".", ",") + "; пики баллов у границ отметок: на границах в "
        + f"{cell['boundary_ratio']:.2f}".replace(".", ",") + " раза больше участников, чем по "
        "форме распределения региона (z = " + f"{cell['boundary_z']:.1f}".replace(".", ",")
        + "); трудные задания выполнены лучше лёгких (относительно региона): корреляция "
        + f"{cell['inversion_corr']:.2f}".replace(".", ",").replace("-", "−"))


def test_the_evidence_of_the_cohort_and_unconfirmed_signs() -> None:
    cohort = _signs([vpr("X", 100, 60.0, grade=4, year=2023), vpr("X", 100, 45.0, grade=5)],
                    COHORT_REGION, window=(2023, 2024))[0]
    assert cohort.flags[0].evidence.endswith(
        "ВПР, русский язык, 4 класс, 2023: падение когорты от 4 к 5 классу: разница с регионом "
        "изменилась на −15,0 п.п. к следующему году в 5 классе")
    unconfirmed = _signs([vpr("X", 100, 64.0, grade=6), _oge(30, 49.0)], EXAM_REGION)[0]
    assert unconfirmed.flags[0].evidence.endswith(
        "ВПР, русский язык, 6 класс, 2024: высокие результаты ВПР не подтверждаются ОГЭ/ЕГЭ: "
        "ВПР +14,0 п.п. к региону, ОГЭ/ЕГЭ −1,0 п.п.")
    marker = conform(pa.table({"school_key": ["X"], "year": [2024], "grade": [6],
                               "subject": ["rus"], "marker": ["6 РУ"]}), MARKERS)
    both = _signs([vpr("X", 100, 64.0, grade=6), _oge(30, 49.0)], EXAM_REGION, markers=marker)[0]
    assert both.flags[0].evidence.endswith(
        "ОГЭ/ЕГЭ −1,0 п.п.; федеральный маркер необъективности («6 РУ»)")


def test_the_notes_say_what_could_not_be_computed() -> None:
    none = _signs([aggregate_cell("X", 30, 60.0, year=2024)], {("EGE", "rus", 11, 2024): 50.0})[0]
    assert none.notes == ["нет результатов ВПР: признаки необъективности 1–5 не вычислялись; по "
                          "результатам ЕГЭ/ОГЭ из опубликованных таблиц они не вычисляются"]
    rows = [student_cell("X", [50.0] * 30), student_cell("C", [50.0] * 30, with_term_mark=30,
                                                         mark_above_term=3)]
    some = _signs(rows)[0]
    assert some.notes == ["1 ячеек ВПР без отметок за четверть: признак 1 не вычислен"]


def test_the_objectivity_table_has_the_documented_columns_and_types() -> None:
    # opora.schemas.OBJECTIVITY documents objectivity.parquet: the same names, in order, and types
    # (a column of markers with no marker in it is still a string column)
    from opora.schemas import OBJECTIVITY

    result, _ = _signs(_term_rows(100, 25, [(100, 10)] * 9))
    assert result.table.column_names == OBJECTIVITY.column_names
    for field in OBJECTIVITY.schema:
        assert result.table.schema.field(field.name).type == field.type, field.name


def test_unknown_tasks_are_left_out_of_the_region_and_of_the_schools_correlation() -> None:
    # ten students in every school, so one missing answer weighs: the region's success of a task
    # is Σ 10·s / (10 · schools that have it); CU's correlation is over its 7 known tasks
    c_unknown = [*EASY8[:3], None, *EASY8[4:]]
    school = [*STRONG6, 0.7, 0.75]
    rows = [student_cell(f"C{k}", [50.0] * 10, task_success=EASY8) for k in range(8)]
    rows += [student_cell("CU", [50.0] * 10, task_success=c_unknown),
             student_cell("X", [50.0] * 10, task_success=school)]
    _, by = _signs(rows)
    easy, s = np.array(EASY8), np.array(school)
    counts = np.array([9, 9, 9, 8, 9, 9, 9, 9])
    region = (easy * counts + s) / (counts + 1)

    def logit(p: np.ndarray) -> np.ndarray:
        return np.log(p / (1 - p))

    x = logit(region)
    assert _x(by)["inversion_corr"] == pytest.approx(np.corrcoef(x, logit(s) - x)[0, 1])
    known = [0, 1, 2, 4, 5, 6, 7]
    cu = np.corrcoef(x[known], logit(easy[known]) - x[known])[0, 1]
    assert by[("CU", 4, "rus", 2024)]["inversion_corr"] == pytest.approx(cu)


def test_no_note_about_term_marks_when_every_cell_has_them() -> None:
    result, _ = _signs(_term_rows(100, 25, [(100, 10)] * 9))
    assert not any("без отметок за четверть" in n for n in result.notes)
