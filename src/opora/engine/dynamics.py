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


def cohort_variance(rows_by_school: dict[str, list[int]], yg: YearGaps) -> float:
    """τ²: year-to-year variance of a school's gap beyond sampling error (module docstring)."""
    excess = []
    for rows in rows_by_school.values():
        if len(rows) >= 3:
            idx = np.array(rows)
            excess.append(float(np.var(yg.gap_pct[idx], ddof=1) - np.mean(yg.se_pct[idx] ** 2)))
    return max(0.0, float(stats.trim_mean(excess, 0.05))) if excess else 0.0


def trends(yg: YearGaps, window: list[int], rules: Rules) -> tuple[list[Trend], float]:
    """One trend per school with at least ``dynamics.min_years`` years of gaps, and τ² used."""
    z = float(stats.norm.ppf(0.5 + rules.identification.confidence / 2))
    order = np.lexsort((yg.year, yg.school.astype(str)))
    out: list[Trend] = []
    in_window = np.isin(yg.year, window)
    rows_by_school: dict[str, list[int]] = {}
    for i in order:
        if in_window[i]:
            rows_by_school.setdefault(str(yg.school[i]), []).append(int(i))
    tau2 = cohort_variance(rows_by_school, yg)
    for school, rows in rows_by_school.items():
        if len(rows) < max(2, rules.dynamics.min_years):
            continue
        idx = np.array(rows)
        years, gaps = yg.year[idx], yg.gap_pct[idx]
        ses = np.sqrt(yg.se_pct[idx] ** 2 + tau2)
        slope, se = slope_with_se(years, gaps, ses)
        out.append(Trend(school, [int(y) for y in years], [float(g) for g in gaps], slope, se,
                         slope - z * se, slope + z * se))
    return out, tau2


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
