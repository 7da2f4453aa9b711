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
from opora.engine.regional import Regional, with_student_spread

NO_REGION, TOO_FEW, LOW, HIGH, SAME = "no_region", "too_few", "low", "high", "same"
_SD_KINDS = np.array(["school", "region", "default"], dtype=object)
_STATUSES = np.array([NO_REGION, TOO_FEW, LOW, HIGH, SAME], dtype=object)
_STATUS_CODE = {status: code for code, status in enumerate(_STATUSES)}


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
    #: the same two columns as codes into ``_SD_KINDS`` and ``_STATUSES`` (int8): the output
    #: table is built from them without reading 1.85 M Python strings (issue 18)
    sd_code: np.ndarray
    status_code: np.ndarray


def status_in(gaps: Gaps, *statuses: str) -> np.ndarray:
    """Which cells have one of ``statuses``: from the codes (a compare of small integers instead
    of 1.85 M Python strings, issue 18)."""
    return np.isin(gaps.status_code, [_STATUS_CODE[s] for s in statuses])


def school_sd(cells: Cells) -> np.ndarray:
    """Sample SD of the school's students' percent scores (NaN for aggregates or n < 2)."""
    n = cells.col("participants")
    s = cells.col("sum_pct")
    ss = cells.col("sumsq_pct")
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (ss - s**2 / n) / (n - 1)
    ok = with_student_spread(cells) & (n >= 2)
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
    sd_code = np.where(~np.isnan(own_sd), 0, np.where(~np.isnan(regional.sd_pct), 1, 2)).astype(
        np.int8)
    sd_kind = _SD_KINDS[sd_code]
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(sd**2 / n + regional.se_pct**2)
    alpha = 1.0 - ident.confidence
    z = stats.norm.ppf(1 - alpha / 2)
    df = np.where(~np.isnan(own_sd), np.maximum(n - 1, 1), np.inf)  # sd_kind == "school"
    levels, where = _distinct(df)  # few distinct n: one ppf per n
    crit = np.where(np.isfinite(df), stats.t.ppf(1 - alpha / 2, levels)[where], z)
    gap = cells.col("mean_pct") - regional.mean_pct
    low, high = gap - crit * se, gap + crit * se
    code = np.full(len(cells), _STATUS_CODE[SAME], dtype=np.int8)
    code[high < 0] = _STATUS_CODE[LOW]
    code[low > 0] = _STATUS_CODE[HIGH]
    code[~(n >= ident.min_participants)] = _STATUS_CODE[TOO_FEW]
    no_region = np.isnan(regional.mean_pct)
    code[no_region] = _STATUS_CODE[NO_REGION]
    code[np.isnan(gap) & ~no_region] = _STATUS_CODE[TOO_FEW]
    return Gaps(gap, se, low, high, sd, sd_kind, _STATUSES[code], sd_code, code)


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for degrees of freedom: whole numbers from 1
    and ∞, counted instead of sorted when they are (issue 18: 1.85 M cells of a country)."""
    finite = np.isfinite(values)
    whole = values[finite]
    # counted: nothing but +∞ besides the whole numbers (NaN and −∞ are sorted by np.unique)
    counted = bool(np.isposinf(values[~finite]).all()) and (
        len(whole) == 0 or (whole.min() >= 0 and whole.max() <= 10 * len(values) + 1_000_000
                            and np.array_equal(whole, np.floor(whole))))
    if not counted:
        return np.unique(values, return_inverse=True)
    present = np.zeros(int(whole.max()) + 2 if len(whole) else 1, dtype=bool)
    present[whole.astype(np.int64)] = True
    levels = np.flatnonzero(present).astype(np.float64)
    rank = np.cumsum(present) - 1
    where = np.full(len(values), len(levels), dtype=np.int64)  # ∞ after every finite level
    where[finite] = rank[whole.astype(np.int64)]
    if not finite.all():
        levels = np.append(levels, np.inf)
    return levels, where


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
    # from codes into a few labels, not from the object arrays of strings (converting 1.85 M
    # strings per column cost a second each at country scale, issue 18)
    data["sd_kind"] = _labels(gaps.sd_code, _SD_KINDS)
    data["region_source_kind"] = _labels(regional.key, regional.cell_kind)
    data["region_source"] = _labels(regional.key, regional.cell_source)
    data["status"] = _labels(gaps.status_code, _STATUSES)
    return pa.table(data)


def _labels(codes: np.ndarray, labels: np.ndarray) -> pa.Array:
    """A string column ``labels[codes]``, decoded by Arrow from a dictionary of a few labels."""
    dictionary = pa.array(labels, pa.string())
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), dictionary).cast(
        pa.string())
