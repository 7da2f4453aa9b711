"""The school's difference from the region in each cell, with its 95 % interval.

A difference counts only when it is larger than its uncertainty (issue 3: «small schools: few
participants, wide intervals»). With student-level data the school's SD comes from its students'
sums of squares and the interval uses Student's t with n − 1 degrees of freedom. With aggregates
only (published ЕГЭ tables) the SD is unknown, so it is *assumed*: the region's SD from
student-level data when there is any, else ``regional.default_sd_pct`` — and the evidence says so.
The regional mean's own uncertainty (SD / √N of the region, zero for a published total) is added.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
from scipy import stats

from opora.engine.cells import Cells, map_values
from opora.engine.config import Rules
from opora.engine.regional import Regional

NO_REGION, TOO_FEW, LOW, HIGH, SAME = "no_region", "too_few", "low", "high", "same"
_SD_KINDS = np.array(["school", "region", "default"], dtype=object)


@dataclass
class Gaps:
    """Per row of ``cells``: gap = school − region in % of max, its SE and interval, a verdict."""

    gap_pct: np.ndarray
    se_pct: np.ndarray
    low_pct: np.ndarray
    high_pct: np.ndarray
    sd_pct: np.ndarray
    sd_kind: np.ndarray  # "school" | "region" | "default"
    status: np.ndarray  # NO_REGION | TOO_FEW | LOW | HIGH | SAME


def school_sd(cells: Cells) -> np.ndarray:
    """Sample SD of the school's students' percent scores (NaN for aggregates or n < 2)."""
    n = cells.col("participants")
    s = cells.col("sum_pct")
    ss = cells.col("sumsq_pct")
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (ss - s**2 / n) / (n - 1)
    ok = (cells.level == "student") & (n >= 2) & ~np.isnan(ss)
    return np.where(ok, np.sqrt(np.maximum(var, 0.0)), np.nan)


def compute_gaps(cells: Cells, regional: Regional, rules: Rules) -> Gaps:
    """Gap, interval and verdict of every cell (see the module docstring for the formulas)."""
    ident = rules.identification
    n = cells.col("participants")
    own_sd = school_sd(cells)
    default_sd = map_values(cells.procedure, cells.codes["procedure"],
                            lambda p: rules.regional.default_sd_pct.get(p, np.nan))
    sd = np.where(~np.isnan(own_sd), own_sd,
                  np.where(~np.isnan(regional.sd_pct), regional.sd_pct, default_sd))
    sd_kind = _SD_KINDS[np.where(~np.isnan(own_sd), 0, np.where(~np.isnan(regional.sd_pct), 1, 2))]
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(sd**2 / n + regional.se_pct**2)
    alpha = 1.0 - ident.confidence
    z = stats.norm.ppf(1 - alpha / 2)
    df = np.where(~np.isnan(own_sd), np.maximum(n - 1, 1), np.inf)  # sd_kind == "school"
    levels, where = np.unique(df, return_inverse=True)  # few distinct n: one ppf per n
    crit = np.where(np.isfinite(df), stats.t.ppf(1 - alpha / 2, levels)[where], z)
    gap = cells.col("mean_pct") - regional.mean_pct
    low, high = gap - crit * se, gap + crit * se
    status = np.full(len(cells), SAME, dtype=object)
    status[high < 0] = LOW
    status[low > 0] = HIGH
    status[~(n >= ident.min_participants)] = TOO_FEW
    status[np.isnan(regional.mean_pct)] = NO_REGION
    status[np.isnan(gap) & (status != NO_REGION)] = TOO_FEW
    return Gaps(gap, se, low, high, sd, sd_kind, status)


def fail_share_pct(cells: Cells) -> np.ndarray:
    """Share of «2» or of results below the minimum threshold, % of participants.

    ВПР/ОГЭ count marks «2»; ЕГЭ has no marks, only «не преодолели минимальный порог»; where
    both are known the larger is used (a «2» is below the minimum in ВПР/ОГЭ scales).
    """
    failing = np.fmax(cells.col("mark_2"), cells.col("below_threshold"))
    with np.errstate(invalid="ignore", divide="ignore"):
        return failing / cells.col("participants") * 100.0


def school_stats_table(cells: Cells, regional: Regional, gaps: Gaps) -> pa.Table:
    """``school_stats.parquet``: the cell, its regional value and the difference with interval."""
    t = cells.table
    keep = ["school_key", "procedure", "subject", "grade", "year", "level", "participants",
            "score_scale", "max_score", "mean_score", "mean_pct", "mark_2", "mark_3", "mark_4",
            "mark_5", "below_threshold"]
    data = {name: t.column(name) for name in keep}
    extra = {
        "fail_share_pct": fail_share_pct(cells),
        "region_mean_pct": regional.mean_pct,
        "region_sd_pct": regional.sd_pct,
        "region_participants": regional.participants,
        "gap_pct": gaps.gap_pct,
        "gap_low_pct": gaps.low_pct,
        "gap_high_pct": gaps.high_pct,
        "sd_pct": gaps.sd_pct,
    }
    for name, values in extra.items():
        data[name] = pa.array(values, pa.float64(), from_pandas=True)
    # from the object arrays themselves, not their lists: a list of 1.85 M strings per column
    # cost a second each at country scale (issue 18)
    data["sd_kind"] = pa.array(gaps.sd_kind, pa.string())
    data["region_source_kind"] = pa.array(regional.kind, pa.string())
    data["region_source"] = pa.array(regional.source, pa.string())
    data["status"] = pa.array(gaps.status, pa.string())
    return pa.table(data)
