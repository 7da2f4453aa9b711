"""Dynamics (docs/methodology.md §6): the slope's 95 % interval, τ², min_years, the indicator.

With years t = −1, 0, +1 (2022–2024) and gaps (0, d, 2d): slope = Σ(t − t̄)g/Σ(t − t̄)² = d, and
with the same σ every year Var = Σ(t − t̄)²σ²/(Σ(t − t̄)²)² = 2σ²/4, so SE = σ/√2.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from boundary_data import YEARS, Z95, rules_with

from opora.engine.config import load_rules
from opora.engine.dynamics import dynamics_flags, positive_share, trends, trends_read
from opora.engine.identify import YearGaps


def _year_gaps(series: dict[str, tuple[list[float], float]],
               years: tuple[int, ...] = YEARS) -> YearGaps:
    """School → (gap per year, SE of every year's gap)."""
    school, year, gap, se = [], [], [], []
    for key, (gaps, s) in series.items():
        for y, g in zip(years, gaps, strict=True):
            school.append(key)
            year.append(y)
            gap.append(g)
            se.append(s)
    n = len(school)
    return YearGaps(np.array(school, dtype=object), np.array(year), np.array(gap, float),
                    np.array(se, float), np.zeros(n, int), np.ones(n, int), np.full(n, 50.0))


def _flags(series: dict[str, tuple[list[float], float]], **dynamics: int) -> dict[str, str]:
    rules = rules_with(dynamics=dynamics) if dynamics else load_rules()
    items, _ = trends(_year_gaps(series), list(YEARS), rules)
    return {f.school_key: f.flag for f in dynamics_flags(items, 2024)}


def _flat(k: int, se: float, gaps: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> dict:
    """``k`` schools without a trend, to estimate τ² from."""
    return {f"F{i}": (list(gaps), se) for i in range(k)}


@pytest.mark.parametrize(("d", "flag"), [
    # 20 flat schools with SE 1: their excess 0 − 1 < 0 → τ² = 0. X: σ = 1, SE of the slope
    # 1/√2, half-width 1,959964/√2 = 1,385904.
    (1.39, "positive_dynamics"),   # lower bound 1,39 − 1,3859 = +0,004 > 0
    (1.38, None),                  # lower bound −0,006
    (-1.39, "negative_dynamics"),  # upper bound −0,004 < 0
    (-1.38, None),
])
def test_a_trend_is_flagged_only_when_its_interval_excludes_zero(d: float,
                                                                 flag: str | None) -> None:
    series = {**_flat(20, 1.0), "X": ([0.0, d, 2 * d], 1.0)}
    items, tau2 = trends(_year_gaps(series), list(YEARS), load_rules())
    assert tau2 == 0
    x = next(t for t in items if t.school_key == "X")
    assert x.slope == pytest.approx(d)
    assert x.se == pytest.approx(1 / math.sqrt(2))
    assert x.low == pytest.approx(d - Z95 / math.sqrt(2))
    assert _flags(series).get("X") == flag


@pytest.mark.parametrize(("d", "flag"), [
    # 20 schools with gaps (0, 2, 0), SE 0,5: var (ddof 1) = (4/9 + 16/9 + 4/9)/2 = 4/3, minus
    # 0,25 → τ² = 13/12 (X's own larger excess is trimmed off). σ² = 0,25 + 13/12 = 4/3, SE of
    # the slope √(σ²/2) = 0,8165, half-width 1,600309. Without τ² it would be 0,6930.
    (1.61, "positive_dynamics"),
    (1.59, None),
])
def test_year_to_year_variance_tau2_widens_the_slopes_interval(d: float,
                                                               flag: str | None) -> None:
    series = {**_flat(20, 0.5, (0.0, 2.0, 0.0)), "X": ([0.0, d, 2 * d], 0.5)}
    items, tau2 = trends(_year_gaps(series), list(YEARS), load_rules())
    assert tau2 == pytest.approx(4 / 3 - 0.25)
    x = next(t for t in items if t.school_key == "X")
    assert x.se == pytest.approx(math.sqrt((0.25 + tau2) / 2))
    assert _flags(series).get("X") == flag


def test_tau2_is_a_trimmed_mean_that_one_wild_school_does_not_move() -> None:
    # 20 schools (0, 2, 0) as above and one with (0, 40, 0): its excess is trimmed off (5 % of 21
    # = 1 school at each end), so τ² stays 13/12
    series = {**_flat(20, 0.5, (0.0, 2.0, 0.0)), "W": ([0.0, 40.0, 0.0], 0.5)}
    _, tau2 = trends(_year_gaps(series), list(YEARS), load_rules())
    assert tau2 == pytest.approx(4 / 3 - 0.25)


def test_schools_with_fewer_than_three_years_do_not_enter_tau2() -> None:
    # only two years of data: τ² = 0 (no between-year variance is estimated)
    series = {"X": ([0.0, 5.0], 1.0), "Y": ([0.0, -5.0], 1.0)}
    items, tau2 = trends(_year_gaps(series, (2023, 2024)), [2023, 2024], load_rules())
    assert tau2 == 0
    # two years: t = ±0,5, Σt² = 0,5; slope = 5/1 = 5; Var = Σt²σ²/(Σt²)² = 0,5/0,25 = 2
    x = next(t for t in items if t.school_key == "X")
    assert x.slope == pytest.approx(5.0) and x.se == pytest.approx(math.sqrt(2))


def test_min_years_is_the_number_of_years_a_trend_needs() -> None:
    two = {"X": ([0.0, 9.0], 0.1)}
    yg = _year_gaps(two, (2023, 2024))
    items, _ = trends(yg, [2023, 2024], load_rules())  # default 2: a trend
    assert [t.school_key for t in items] == ["X"]
    three, _ = trends(yg, [2023, 2024], rules_with(dynamics={"min_years": 3}))
    assert three == []


def test_only_the_windows_years_make_the_trend() -> None:
    # 2021 far below lies outside the window 2022–2024: the slope is (2 − 0)/2 = 1
    series = {"X": ([-50.0, 0.0, 1.0, 2.0], 0.1)}
    items, _ = trends(_year_gaps(series, (2021, *YEARS)), list(YEARS), load_rules())
    assert items[0].years == list(YEARS) and items[0].slope == pytest.approx(1.0)


def test_the_share_of_low_results_schools_with_positive_dynamics() -> None:
    # ШНОР: A (slope 3, lower bound 3 − 1,386 = 1,61), E (slope 2, lower bound 0,61), B (no
    # trend), C (no data for a trend); D positive but not ШНОР. share = 2/4 · 100 = 50,0 %
    series = {**_flat(20, 1.0), "A": ([0.0, 3.0, 6.0], 1.0), "E": ([0.0, 2.0, 4.0], 1.0),
              "B": ([0.0, 0.0, 0.0], 1.0), "D": ([0.0, 3.0, 6.0], 1.0)}
    items, _ = trends(_year_gaps(series), list(YEARS), load_rules())
    share = positive_share(items, {"A", "B", "C", "E"})
    assert share == {"low_results_schools": 4, "with_trend": 3, "positive_dynamics": 2,
                     "share_pct": 50.0}
    assert positive_share(items, set())["share_pct"] is None


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_a_lower_bound_of_exactly_zero_is_not_a_trend(sign: float) -> None:
    # d = z · SE exactly as the engine computes it (σ = 1, τ² = 0, SE = √2/2): the interval's
    # bound is exactly 0 — «excludes 0» does not hold, so no flag and no positive ШНОР
    from scipy import stats

    d = sign * float(stats.norm.ppf(0.975)) * (math.sqrt(2.0) / 2.0)
    series = {**_flat(20, 1.0), "X": ([0.0, d, 2 * d], 1.0)}
    items, _ = trends(_year_gaps(series), list(YEARS), load_rules())
    x = next(t for t in items if t.school_key == "X")
    assert (x.low if sign > 0 else x.high) == 0.0
    assert _flags(series).get("X") is None
    assert positive_share(items, {"X"})["positive_dynamics"] == 0


def test_a_school_with_too_few_years_does_not_stop_the_others() -> None:
    # «A» (one year) comes first in school order; «B» after it still gets its trend
    yg = _year_gaps({"A": ([5.0], 1.0)}, (2024,))
    yb = _year_gaps({"B": ([0.0, 3.0, 6.0], 1.0)})
    both = YearGaps(*(np.concatenate([getattr(yg, f), getattr(yb, f)]) for f in (
        "school", "year", "gap_pct", "se_pct", "low_cells", "tested_cells", "participants")))
    items, _ = trends(both, list(YEARS), load_rules())
    assert [t.school_key for t in items] == ["B"]


def test_the_dynamics_evidence_gives_the_series_and_the_interval() -> None:
    series = {**_flat(20, 1.0), "X": ([-3.0, 0.0, 3.0], 1.0)}
    items, _ = trends(_year_gaps(series), list(YEARS), load_rules())
    flag = next(f for f in dynamics_flags(items, 2024) if f.school_key == "X")
    assert flag.year == 2024
    assert flag.evidence == (
        "Результаты относительно региона улучшаются: разница с регионом по предметам "
        "идентификации (п.п. от максимума) — 2022: −3,0, 2023: 0,0, 2024: +3,0; изменение "
        "+3,0 п.п. в год, 95 % интервал от +1,6 до +4,4")


def test_the_trends_the_rules_read_give_the_same_flags_and_indicator_as_all_trends() -> None:
    """``trends_read`` builds only the trends a flag or the ШНОР indicator reads (issue 18): the
    flags, the indicator and the count of trends must be those of every trend."""
    series = {**_flat(20, 1.0), "UP": ([0.0, 2.0, 4.0], 1.0), "DOWN": ([0.0, -2.0, -4.0], 1.0),
              "LOW_FLAT": ([-5.0, -5.2, -4.9], 1.0), "LOW_UP": ([-9.0, -6.0, -3.0], 1.0)}
    yg = _year_gaps(series)
    low = {"LOW_FLAT", "LOW_UP", "NOT_IN_DATA"}
    every, tau2 = trends(yg, list(YEARS), load_rules())
    read, tau2_read, total = trends_read(yg, list(YEARS), load_rules(), low)
    assert (tau2_read, total) == (tau2, len(every))
    assert len(read) < len(every)  # the 20 flat schools are not built
    assert [(f.school_key, f.flag, f.evidence) for f in dynamics_flags(read, 2024)] == [
        (f.school_key, f.flag, f.evidence) for f in dynamics_flags(every, 2024)]
    assert {f.school_key for f in dynamics_flags(read, 2024)} == {"UP", "DOWN", "LOW_UP"}
    assert positive_share(read, low) == positive_share(every, low)


def test_the_slopes_error_weighs_each_years_own_error() -> None:
    # t = −1, 0, 1 (Σt² = 2); SEs 2, 1, 3: SE = √(1 · 4 + 0 · 1 + 1 · 9) / 2 = √13 / 2
    # = 1,802776 (with every SE 1 it would be √2 / 2: the yearly errors must count)
    from opora.engine.dynamics import slope_with_se

    slope, se = slope_with_se(np.array([2022, 2023, 2024]), np.array([1.0, 2.0, 5.0]),
                              np.array([2.0, 1.0, 3.0]))
    assert slope == pytest.approx((-1.0 + 5.0) / 2)
    assert se == pytest.approx(math.sqrt(13) / 2)


@pytest.mark.parametrize("length", [3, 8, 9])
def test_a_schools_sums_are_np_sum_bit_for_bit_at_any_length(length: int) -> None:
    # 10¹⁶ and ones: added in row order each 1 is lost (the spacing of doubles there is 2);
    # np.sum adds eight rows at a time from 8 rows on and keeps them (10¹⁶ + 6 for 8 rows).
    # A window of 8+ years must give np.sum's number, the one the slope was checked with.
    from opora.engine.dynamics import _Series

    values = np.array([1e16] + [1.0] * (length - 1) + [2.0, 3.0])
    group = np.array([0] * length + [1, 1])
    series = _Series(school=np.array(["A"] * length + ["B", "B"], dtype=object),
                     year=np.arange(length + 2), gap=values, se=np.ones(length + 2),
                     group=group, start=np.array([0, length]), count=np.array([length, 2]))
    sums = series.sums(values)
    assert sums.tolist() == [np.sum(values[:length]), 5.0]


def test_the_share_of_low_results_schools_is_rounded_to_a_tenth_of_a_percent() -> None:
    # one of three ШНОР with a positive trend: 100 / 3 = 33,3 %
    series = {**_flat(20, 1.0), "A": ([0.0, 3.0, 6.0], 1.0), "B": ([0.0, 0.0, 0.0], 1.0)}
    items, _ = trends(_year_gaps(series), list(YEARS), load_rules())
    assert positive_share(items, {"A", "B", "C"})["share_pct"] == 33.3


def test_a_low_results_school_with_too_few_years_gets_no_trend_from_the_rules_reading() -> None:
    # «SHORT» is ШНОР (its trend would be read) but has one year: no trend, as among all trends
    short = _year_gaps({"SHORT": ([-9.0], 1.0)}, (2024,))
    rest = _year_gaps({**_flat(20, 1.0), "UP": ([0.0, 2.0, 4.0], 1.0)})
    yg = YearGaps(*(np.concatenate([getattr(rest, f), getattr(short, f)]) for f in (
        "school", "year", "gap_pct", "se_pct", "low_cells", "tested_cells", "participants")))
    every, _ = trends(yg, list(YEARS), load_rules())
    read, _, _ = trends_read(yg, list(YEARS), load_rules(), {"SHORT"})
    assert "SHORT" not in {t.school_key for t in read}
    assert positive_share(read, {"SHORT"}) == positive_share(every, {"SHORT"}) == {
        "low_results_schools": 1, "with_trend": 0, "positive_dynamics": 0, "share_pct": 0.0}


def test_no_year_gaps_give_no_trends_and_no_excess_variance() -> None:
    # a territory with no counted cells in the window (a new municipality): nothing to read
    yg = _year_gaps({})
    assert trends(yg, list(YEARS), load_rules()) == ([], 0.0)
    assert trends_read(yg, list(YEARS), load_rules(), {"A"}) == ([], 0.0, 0)
