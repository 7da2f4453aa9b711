"""Context index and regression on five schools, dynamics slope, and the pairing optimum."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pytest

from opora.engine.config import load_rules
from opora.engine.context import analyse_context
from opora.engine.dynamics import slope_with_se, trends
from opora.engine.identify import YearGaps
from opora.engine.pairing import assign, haversine_km, pair_schools


def _year_gaps(schools: list[str], year: int, gaps: list[float], se: float = 1.0) -> YearGaps:
    n = len(schools)
    return YearGaps(np.array(schools, dtype=object), np.full(n, year), np.array(gaps, float),
                    np.full(n, se), np.zeros(n, int), np.ones(n, int), np.full(n, 50.0))


def _rules_one_component():  # type: ignore[no-untyped-def]
    rules = load_rules()
    return replace(rules, context=replace(rules.context, components={"share_low_income": 1},
                                          adverse_share_pct=20.0, leader_margin_pct=0.0))


def test_the_context_regression_on_five_schools_matches_an_independent_fit() -> None:
    schools = ["A", "B", "C", "D", "E"]
    income = [10.0, 20.0, 30.0, 40.0, 50.0]
    gaps = [5.0, 2.0, 0.0, -4.0, -8.0]
    context = pa.table({"school_key": schools, "year": [2023] * 5, "share_low_income": income})
    result = analyse_context(context, _year_gaps(schools, 2024, gaps), [2024],
                             _rules_one_component(), set())
    rows = {r["school_key"]: r for r in result.table.to_pylist()}
    # z-scores by hand: mean 30, SD (n − 1) = √(1000/4) = 15.811
    z = [(x - 30) / math.sqrt(250) for x in income]
    assert rows["E"]["context_index"] == pytest.approx(z[4])
    slope, intercept = np.polyfit(z, gaps, 1)  # an independent least-squares fit
    # by hand: Σz·y / Σz² with Σz = 0; intercept = mean(y) = −1
    assert intercept == pytest.approx(-1.0)
    for k, s in enumerate(schools):
        assert rows[s]["expected_gap_pct"] == pytest.approx(intercept + slope * z[k])
        assert rows[s]["residual_pct"] == pytest.approx(gaps[k] - intercept - slope * z[k])
    assert rows["E"]["quintile"] == 5 and rows["A"]["quintile"] == 1
    assert rows["E"]["context_year"] == 2023  # results of spring 2024 ↔ school year 2023/24
    adverse = {f.school_key for f in result.flags if f.flag == "adverse_context"}
    assert adverse == {"E"}  # the most disadvantaged 20 % of five schools


def test_a_disadvantaged_school_well_above_expectation_is_resilient_and_a_leader() -> None:
    schools = [f"S{k}" for k in range(20)] + ["J"]
    income = [5.0 + 2 * k for k in range(20)] + [50.0]
    gaps = [10.0 - (x - 5) / 2 for x in income[:20]] + [12.0]  # J: the poorest, far above the line
    context = pa.table({"school_key": schools, "year": [2023] * 21, "share_low_income": income})
    result = analyse_context(context, _year_gaps(schools, 2024, gaps, se=0.5), [2024],
                             _rules_one_component(), set())
    flags = {(f.school_key, f.flag) for f in result.flags}
    assert ("J", "adverse_context") in flags and ("J", "resilient") in flags
    assert "J" in result.leaders
    evidence = next(f.evidence for f in result.flags if f.flag == "resilient")
    assert "выше ожидаемого" in evidence and "95 % интервал" in evidence


def test_a_school_with_signs_of_non_objectivity_is_never_a_leader() -> None:
    schools = ["A", "B", "C"]
    result = analyse_context(None, _year_gaps(schools, 2024, [20.0, 0.0, -5.0]), [2024],
                             _rules_one_component(), {"A"})
    assert "A" not in result.leaders
    assert not any(f.flag == "leader" and f.school_key == "A" for f in result.flags)
    assert any("контекстных данных нет" in n for n in result.notes)


def test_the_dynamics_slope_and_its_error_are_computed_as_by_hand() -> None:
    years = np.array([2022, 2023, 2024])
    gaps = np.array([-9.0, -6.0, -1.0])
    ses = np.array([1.0, 2.0, 1.0])
    slope, se = slope_with_se(years, gaps, ses)
    # t − t̄ = −1, 0, 1; Σ(t − t̄)² = 2; slope = (9 − 1)/2 = 4; SE = √(1·1 + 1·1)/2 = 0.7071
    assert slope == pytest.approx(4.0)
    assert se == pytest.approx(math.sqrt(2) / 2)


def test_an_improving_school_gets_a_positive_trend_interval() -> None:
    yg = YearGaps(np.array(["A"] * 3 + ["B"] * 3, dtype=object),
                  np.array([2022, 2023, 2024] * 2), np.array([-9.0, -6, -1, 0, 0.5, -0.5]),
                  np.full(6, 0.5), np.zeros(6, int), np.ones(6, int), np.full(6, 50.0))
    items, _ = trends(yg, [2022, 2023, 2024], load_rules())
    by = {t.school_key: t for t in items}
    assert by["A"].low > 0
    assert by["B"].low < 0 < by["B"].high


def _brute_force(cost: np.ndarray, capacity: int) -> float:
    """Every way to give each row its own column with capacities: the true optimum."""
    best = math.inf
    for choice in itertools.product(range(cost.shape[1]), repeat=cost.shape[0]):
        if all(choice.count(c) <= capacity for c in set(choice)):
            best = min(best, sum(cost[r, c] for r, c in enumerate(choice)))
    return best


def test_the_assignment_finds_the_optimum_where_greedy_does_not() -> None:
    cost = np.array([[1.0, 2.0], [1.0, 5.0], [1.0, 6.0]])  # 3 low schools × 2 leaders
    capacity = 2
    pairs = assign(cost, capacity)
    total = sum(cost[r, c] for r, c in pairs)
    assert len(pairs) == 3
    assert total == pytest.approx(_brute_force(cost, capacity)) == pytest.approx(4.0)
    # greedy in row order: A→L1 (1), B→L1 (1), C→L2 (6) = 8, twice the optimum
    used = [0, 0]
    greedy = 0.0
    for r in range(3):
        c = min((c for c in range(2) if used[c] < capacity), key=lambda c: cost[r, c])
        used[c] += 1
        greedy += cost[r, c]
    assert greedy == 8.0 > total
    assert max(sum(1 for _, c in pairs if c == col) for col in range(2)) <= capacity


def test_pairs_prefer_similar_context_and_strength_in_the_weak_subject() -> None:
    rules = load_rules()
    rules = replace(rules, pairing=replace(rules.pairing, capacity=1))
    strength = {("L1", "math"): 10.0, ("L1", "rus"): 0.0, ("L2", "math"): 0.0,
                ("L2", "rus"): 10.0}
    pairs = pair_schools(["S1", "S2"], ["L1", "L2"], {"S1": ["math"], "S2": ["rus"]}, strength,
                         {"S1": 1.0, "S2": 1.0, "L1": 1.1, "L2": 0.9}, {}, rules)
    got = {p.low_school: p.leader_school for p in pairs}
    assert got == {"S1": "L1", "S2": "L2"}
    assert "математика" in next(p.reason for p in pairs if p.low_school == "S1")


def test_haversine_distance_of_one_degree_of_latitude_is_about_111_km() -> None:
    # 2π·6371/360 = 111.19 km
    # and, element-wise, a quarter of the equator: 2π·6371/4 = 10,007.5 km
    km = haversine_km(np.array([56.0, 0.0]), np.array([60.0, 0.0]), np.array([57.0, 0.0]),
                      np.array([60.0, 90.0]))
    assert km == pytest.approx([2 * math.pi * 6371 / 360, 2 * math.pi * 6371 / 4])


def test_pairs_stay_inside_the_municipality_by_default() -> None:
    rules = load_rules()
    strength = {("L1", "math"): 20.0, ("L2", "math"): 1.0}
    pairs = pair_schools(["S1"], ["L1", "L2"], {"S1": ["math"]}, strength, {}, {}, rules,
                         {"S1": "Город", "L1": "Район", "L2": "Город"})
    assert [(p.low_school, p.leader_school) for p in pairs] == [("S1", "L2")]
    wide = replace(rules, pairing=replace(rules.pairing, scope="region"))
    pairs = pair_schools(["S1"], ["L1", "L2"], {"S1": ["math"]}, strength, {}, {}, wide,
                         {"S1": "Город", "L1": "Район", "L2": "Город"})
    assert [(p.low_school, p.leader_school) for p in pairs] == [("S1", "L1")]


def test_the_first_principal_component_weighs_two_collinear_shares_equally() -> None:
    from opora.engine.context import build_index

    low_income = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    single_parent = 2 * low_income + 5  # perfectly correlated: correlation matrix [[1, 1], [1, 1]]
    values = np.column_stack([low_income, single_parent])
    index, weights = build_index(values, np.array([1.0, 1.0]), "pca")
    # the leading eigenvector of [[1, 1], [1, 1]] is (1, 1)/√2
    assert weights == pytest.approx([1 / math.sqrt(2)] * 2)
    z = (low_income - 30) / math.sqrt(250)
    assert index == pytest.approx(z * 2 / math.sqrt(2))


def test_a_component_where_more_is_better_enters_the_index_negatively() -> None:
    from opora.engine.context import build_index

    higher_ed = np.array([[10.0], [20.0], [30.0]])
    index, _ = build_index(higher_ed, np.array([-1.0]), "equal")
    assert index[0] > index[1] > index[2]  # fewer parents with higher education → more adverse
