"""Dynamics: how the school's gap to the region changes over the years, with its uncertainty.

Seeds 001 and 004 measure the municipal system by «доля ШНОР, ежегодно показывающих положительную
динамику образовательных результатов». A raw mean is not comparable between years (the tests
change), so the quantity followed is the school's gap to the region (percent of maximum, averaged
over the identification cells of the year, :func:`opora.engine.identify.year_gaps`). Its trend is
the least-squares slope over the years, with the standard error that follows from each year's
known sampling error: slope = Σ(tᵢ − t̄)gᵢ / Σ(tᵢ − t̄)², Var = Σ(tᵢ − t̄)² seᵢ² / (Σ(tᵢ − t̄)²)².
``positive_dynamics`` / ``negative_dynamics`` only when the 95 % interval of the slope excludes 0.

Sampling error is not the only reason a school's gap moves between years: each year brings a
different cohort of students. That year-to-year variance τ² is estimated from the data (method of
moments: the mean over schools — 5 % trimmed at each end against the few real trends — of the
between-year variance of the gap minus the mean sampling variance, floored at 0) and added to every year's variance, so ordinary cohort swings are not
taken for a trend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from opora.engine.config import Rules
from opora.engine.evidence import num
from opora.engine.identify import Flag, YearGaps
from opora.glossary import NEGATIVE_DYNAMICS, POSITIVE_DYNAMICS


@dataclass
class Trend:
    school_key: str
    years: list[int]
    gaps: list[float]
    slope: float
    se: float
    low: float
    high: float


def slope_with_se(years: np.ndarray, gaps: np.ndarray, ses: np.ndarray) -> tuple[float, float]:
    """OLS slope of gap on year and its SE from the yearly sampling errors (see module doc)."""
    t = years.astype(float) - years.mean()
    sxx = float(np.sum(t * t))
    slope = float(np.sum(t * gaps) / sxx)
    se = float(np.sqrt(np.sum(t * t * ses * ses)) / sxx)
    return slope, se


@dataclass
class _Series:
    """The window's years of every school, rows sorted by school then year, as one array each:
    school ``g`` holds rows ``start[g] : start[g] + count[g]`` (issue 18: no per-school loop)."""

    school: np.ndarray
    year: np.ndarray
    gap: np.ndarray
    se: np.ndarray
    group: np.ndarray  # row → school number
    start: np.ndarray
    count: np.ndarray

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Per school, ``np.sum`` of its rows' ``values`` bit for bit: ``np.bincount`` adds in
        row order as ``np.sum`` does below 8 items; longer series (a window of 8+ years) take
        ``np.sum`` itself, so the numbers — and the flags at a boundary — stay the same."""
        out = np.bincount(self.group, weights=values, minlength=len(self.start))
        for g in np.flatnonzero(self.count >= 8).tolist():
            out[g] = np.sum(values[self.start[g]:self.start[g] + self.count[g]])
        return out


def _series(yg: YearGaps, window: list[int]) -> _Series:
    names = yg.school.astype(str)
    order = np.lexsort((yg.year, names))
    order = order[np.isin(yg.year, window)[order]]
    keys = names[order]
    start = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(order) else order
    count = np.diff(np.r_[start, len(order)]).astype(np.int64)
    return _Series(keys[start], yg.year[order], yg.gap_pct[order], yg.se_pct[order],
                   np.repeat(np.arange(len(start)), count), start, count)


def cohort_variance(sr: _Series) -> float:
    """τ²: year-to-year variance of a school's gap beyond sampling error (module docstring):
    ``var(gap, ddof=1) − mean(se²)`` per school with three years, trimmed mean over schools."""
    n = sr.count.astype(float)
    mean = sr.sums(sr.gap) / n
    d = sr.gap - mean[sr.group]
    with np.errstate(invalid="ignore", divide="ignore"):
        var = sr.sums(d * d) / (n - 1)
    excess = (var - sr.sums(sr.se ** 2) / n)[sr.count >= 3]
    return max(0.0, float(stats.trim_mean(excess, 0.05))) if len(excess) else 0.0


def trends(yg: YearGaps, window: list[int], rules: Rules) -> tuple[list[Trend], float]:
    """One trend per school with at least ``dynamics.min_years`` years of gaps, and τ² used.

    All schools at once: the slope and its SE of :func:`slope_with_se` as per-school sums in
    NumPy, the same formulas in the same order (issue 18)."""
    items, tau2, _ = trends_read(yg, window, rules, None)
    return items, tau2


def trends_read(yg: YearGaps, window: list[int], rules: Rules,
                schools: set[str] | None) -> tuple[list[Trend], float, int]:
    """The trends the rules read, τ² and how many trends there are in all.

    With ``schools`` (the ШНОР, for the indicator «доля ШНОР с положительной динамикой»), only
    the trends whose interval excludes 0 — each gives a dynamics flag — and those of
    ``schools`` are built as objects: a country has 40 thousand trends and reads a few
    thousand (issue 18). ``None``: every trend, as :func:`trends`.
    """
    z = float(stats.norm.ppf(0.5 + rules.identification.confidence / 2))
    sr = _series(yg, window)
    tau2 = cohort_variance(sr)
    n = sr.count.astype(float)
    t = sr.year.astype(float) - (sr.sums(sr.year.astype(float)) / n)[sr.group]
    ses = np.sqrt(sr.se ** 2 + tau2)
    with np.errstate(invalid="ignore", divide="ignore"):
        sxx = sr.sums(t * t)
        slope = sr.sums(t * sr.gap) / sxx
        se = np.sqrt(sr.sums(t * t * ses * ses)) / sxx
        # the interval in NumPy: the same IEEE operations as on Python floats
        low, high = slope - z * se, slope + z * se
    has = sr.count >= max(2, rules.dynamics.min_years)
    total = int(np.count_nonzero(has))
    if schools is not None:
        with np.errstate(invalid="ignore"):
            read = (low > 0) | (high < 0)
        read |= np.fromiter((s in schools for s in sr.school.tolist()), bool, len(sr.school))
        has &= read
    g = np.flatnonzero(has)
    years, gaps = sr.year.tolist(), sr.gap.tolist()
    # the columns as Python values at once, so the loop only builds the objects (issue 18)
    return [Trend(str(school), years[a:a + c], gaps[a:a + c], sl, e, lo, hi)
            for school, a, c, sl, e, lo, hi in zip(
                sr.school[g].tolist(), sr.start[g].tolist(), sr.count[g].tolist(),
                slope[g].tolist(), se[g].tolist(), low[g].tolist(), high[g].tolist(),
                strict=True)], tau2, total


def dynamics_flags(items: list[Trend], last_year: int) -> list[Flag]:
    """``positive_dynamics`` / ``negative_dynamics`` where the slope's interval excludes 0."""
    flags = []
    for tr in items:
        if tr.low > 0:
            name, word = POSITIVE_DYNAMICS.code, "улучшаются"
        elif tr.high < 0:
            name, word = NEGATIVE_DYNAMICS.code, "ухудшаются"
        else:
            continue
        series = ", ".join(f"{y}: {num(g, signed=True)}" for y, g in
                           zip(tr.years, tr.gaps, strict=True))
        flags.append(Flag(tr.school_key, name, last_year,
                          f"Результаты относительно региона {word}: разница с регионом по предметам "
                          f"идентификации (п.п. от максимума) — {series}; изменение "
                          f"{num(tr.slope, signed=True)} п.п. в год, 95 % интервал от "
                          f"{num(tr.low, signed=True)} до {num(tr.high, signed=True)}"))
    return flags


def positive_share(items: list[Trend], low_schools: set[str]) -> dict[str, float | int | None]:
    """«Доля ШНОР с положительной динамикой» (seed 001 indicator), percent of ШНОР with a trend."""
    low = [t for t in items if t.school_key in low_schools]
    positive = sum(1 for t in low if t.low > 0)
    return {"low_results_schools": len(low_schools), "with_trend": len(low),
            "positive_dynamics": positive,
            "share_pct": round(100.0 * positive / len(low_schools), 1) if low_schools else None}
