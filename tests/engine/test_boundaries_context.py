"""ШНСУ, resilient schools and leaders (docs/methodology.md §7–8) at the edges of their conditions."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest
from boundary_data import Z95, rules_with

from opora.engine.context import analyse_context
from opora.engine.identify import YearGaps


def _year_gaps(schools: list[str], gaps: list[float], se: float = 1.0,
               year: int = 2024) -> YearGaps:
    n = len(schools)
    return YearGaps(np.array(schools, dtype=object), np.full(n, year), np.array(gaps, float),
                    np.full(n, se), np.zeros(n, int), np.ones(n, int), np.full(n, 50.0))


def _rules(**context: object):  # type: ignore[no-untyped-def]
    return rules_with(context={"components": {"share_low_income": 1}, **context})


def _adverse(income: list[float], share: float) -> set[str]:
    schools = [f"S{k}" for k in range(len(income))]
    context = pa.table({"school_key": schools, "year": [2023] * len(schools),
                        "share_low_income": income})
    result = analyse_context(context, _year_gaps(schools, [0.0] * len(schools)), [2024],
                             _rules(adverse_share_pct=share), set())
    return {f.school_key for f in result.flags if f.flag == "adverse_context"}


@pytest.mark.parametrize(("share", "expected"), [
    # 10 schools, index rising with the income share: the cut is the (1 − share) quantile
    (20.0, {"S8", "S9"}),        # 0,8 quantile: position 7,2 → the top two
    (30.0, {"S7", "S8", "S9"}),  # 0,7 quantile: position 6,3 → the top three
    (10.0, {"S9"}),
])
def test_adverse_context_is_the_configured_share_of_the_most_disadvantaged(
        share: float, expected: set[str]) -> None:
    assert _adverse([10.0 + k for k in range(10)], share) == expected


def test_a_school_exactly_at_the_cut_is_adverse() -> None:
    # 6 schools: the 0,8 quantile is position 0,8 · 5 = 4,0 — exactly S4's index: S4 counts
    assert _adverse([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], 20.0) == {"S4", "S5"}


SCHOOLS = [f"S{k}" for k in range(20)] + ["J"]
INCOME = [5.0 + 2 * k for k in range(20)] + [50.0]


def _residual_low(gap_j: float, se: float = 0.5) -> float:
    """By hand: index z = (x − mean)/SD (n − 1); OLS gap = a + b·z; residual − 1,96 · √(se² +
    Var(ŷ)), Var(ŷ) = s² · [1 z](XᵀX)⁻¹[1 z]ᵀ with s² = Σ(residual²)/(n − 2)."""
    x = np.array(INCOME)
    z = (x - x.mean()) / x.std(ddof=1)
    y = np.array([10.0 - (v - 5) / 2 for v in INCOME[:20]] + [gap_j])
    b, a = np.polyfit(z, y, 1)
    resid = y - (a + b * z)
    design = np.column_stack([np.ones_like(z), z])
    s2 = float(resid @ resid) / (len(y) - 2)
    var_fit = s2 * (design[-1] @ np.linalg.inv(design.T @ design) @ design[-1])
    return float(resid[-1] - Z95 * math.sqrt(se**2 + var_fit))


@pytest.mark.parametrize(("gap_j", "resilient"), [
    (-3.33, True),   # the poorest school, residual's lower bound 5,031 > 5
    (-3.43, False),  # lower bound 4,971 ≤ 5: adverse, not resilient
])
def test_resilient_needs_the_residuals_lower_bound_above_5_points(gap_j: float,
                                                                  resilient: bool) -> None:
    low = _residual_low(gap_j)
    assert (low > 5) is resilient and abs(low - 5) < 0.05
    gaps = [10.0 - (v - 5) / 2 for v in INCOME[:20]] + [gap_j]
    context = pa.table({"school_key": SCHOOLS, "year": [2023] * 21, "share_low_income": INCOME})
    result = analyse_context(context, _year_gaps(SCHOOLS, gaps, se=0.5), [2024],
                             _rules(leader_margin_pct=50.0), set())
    row = next(r for r in result.table.to_pylist() if r["school_key"] == "J")
    assert row["residual_low_pct"] == pytest.approx(low)
    flags = {f.flag for f in result.flags if f.school_key == "J"}
    assert "adverse_context" in flags
    assert ("resilient" in flags) is resilient
    assert ("leader" in flags) is resilient  # a resilient school is a leader (margin 50 here)


def test_a_school_above_expectation_but_not_adverse_is_not_resilient() -> None:
    # S0 is the best-off school (not in the top 20 %) and far above its line: no resilient flag
    gaps = [30.0] + [10.0 - (v - 5) / 2 for v in INCOME[1:20]] + [-10.0]
    context = pa.table({"school_key": SCHOOLS, "year": [2023] * 21, "share_low_income": INCOME})
    result = analyse_context(context, _year_gaps(SCHOOLS, gaps, se=0.5), [2024], _rules(),
                             set())
    assert not any(f.flag == "resilient" and f.school_key == "S0" for f in result.flags)


@pytest.mark.parametrize(("gap", "leader"), [
    (6.97, True),    # lower bound 6,97 − 1,959964 = 5,010 > 5
    (6.95, False),   # 4,990
])
def test_a_leader_needs_the_gaps_lower_bound_above_5_points(gap: float, leader: bool) -> None:
    result = analyse_context(None, _year_gaps(["A", "B"], [gap, 0.0]), [2024], _rules(), set())
    assert ("A" in result.leaders) is leader
    assert any(f.flag == "leader" and f.school_key == "A" for f in result.flags) is leader


def test_only_the_last_year_makes_a_leader() -> None:
    yg = _year_gaps(["A"], [20.0], year=2023)
    result = analyse_context(None, yg, [2023, 2024], _rules(), set())
    assert result.leaders == set()


def test_signs_of_non_objectivity_bar_a_leader_even_a_resilient_one() -> None:
    gaps = [10.0 - (v - 5) / 2 for v in INCOME[:20]] + [20.0]
    context = pa.table({"school_key": SCHOOLS, "year": [2023] * 21, "share_low_income": INCOME})
    result = analyse_context(context, _year_gaps(SCHOOLS, gaps, se=0.5), [2024], _rules(),
                             {"J", "S0"})
    assert {f.flag for f in result.flags if f.school_key == "J"} == {"adverse_context",
                                                                     "resilient"}
    assert "J" not in result.leaders and "S0" not in result.leaders
    assert "S1" in result.leaders  # gap 9 ± 0,98: a leader
    assert any("1 резильентных школ не признаны лидерами" in n for n in result.notes)
