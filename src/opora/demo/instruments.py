"""The assessment instruments of the synthetic data: tasks, difficulties, scales, conversions.

An *instrument* is one work of one procedure in one year for one grade and subject (a ВПР work,
an ОГЭ or ЕГЭ exam). It fixes what the real ones fix: the tasks with their maxima and levels,
the mark boundaries (ВПР, ОГЭ) or the minimum threshold and primary→test conversion (ЕГЭ).
Task structures do not depend on the data set's seed — like real national tests they are the
same for every school; mark boundaries move by a point from year to year (ФИОКО re-publishes
them yearly).

Numbers that come from real specifications:
* ОГЭ 2024: Russian max 33, boundaries 15/23/29; mathematics max 31, boundaries 8/15/22
  (ФИПИ recommendations on the conversion of primary scores; the minimum threshold is «3»).
* ЕГЭ 2024: Russian max 50, threshold 24 test = 10 primary; profile mathematics max 32,
  threshold 27 test = 6 primary; social studies 42, physics 36, informatics 40
  (Rosobrnadzor orders on minimum scores).
ВПР structures are plausible rather than copied: 10–20 tasks of 1–3 points, basic tasks first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np

TASK_NOISE = 1.0
"""SD of the task-level noise in the probit response model (ability units)."""

LAST_YEAR = 2025
VPR_GRADES = (4, 5, 6, 7, 8)


@dataclass(frozen=True)
class Instrument:
    """One work: tasks, their response thresholds and the scale of marks or test scores."""

    procedure: str
    year: int
    grade: int
    subject: str
    labels: tuple[str, ...]
    maxima: np.ndarray  # (T,) int
    levels: tuple[str, ...]
    thresholds: np.ndarray  # (T, K) float32: a task earns point k+1 when ability+noise > [t, k]
    boundaries: tuple[int, int, int] | None  # primary score for «3», «4», «5»
    min_threshold: float | None
    threshold_scale: str | None
    conversion: np.ndarray | None  # ЕГЭ: test score for every primary score 0..max

    @property
    def max_score(self) -> int:
        return int(self.maxima.sum())

    @property
    def key(self) -> tuple[str, int, int, str]:
        return (self.procedure, self.year, self.grade, self.subject)

    def expected_score(self, theta: np.ndarray) -> np.ndarray:
        """E[primary | ability] under the probit model: used to place mark boundaries in ability."""
        return _expected(theta, self.thresholds)

    def ability_at(self, scores: tuple[int, ...]) -> np.ndarray:
        """The abilities whose expected primary score equals each of ``scores``."""
        grid = np.linspace(-5, 5, 401)
        expected = self.expected_score(grid)
        return np.interp(np.asarray(scores, dtype=float), expected, grid)


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz–Stegun 7.1.26: good to 1.5e-7, avoids a SciPy import on the hot path.
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                                                                          + t * 1.061405429))))
    result: np.ndarray = sign * (1.0 - poly * np.exp(-x * x))
    return result


# (grade, subject) → number of tasks; the structure itself is drawn from a fixed seed below.
_VPR_TASK_COUNTS = {
    (4, "rus"): 15, (4, "math"): 12, (4, "okr_mir"): 10,
    (5, "rus"): 12, (5, "math"): 14, (6, "rus"): 14, (6, "math"): 13,
    (7, "rus"): 14, (7, "math"): 16, (8, "rus"): 17, (8, "math"): 19,
}
_SUBJECT_NO = {"rus": 1, "math": 2, "okr_mir": 3, "math_profile": 4, "social": 5,
               "physics": 6, "informatics": 7}

# ЕГЭ: (maxima of tasks, level of the long tasks, threshold test score, threshold primary).
_EGE = {
    "rus": ([1] * 24 + [2, 2, 22], 10, 24),
    "math_profile": ([1] * 12 + [2, 3, 2, 2, 3, 4, 4], 6, 27),
    "social": ([1, 2] * 8 + [2, 3, 3, 3, 3, 3, 4, 4, 5], 19, 42),
    "physics": ([1] * 12 + [2] * 8 + [2, 2, 3, 3, 3, 4], 11, 36),
    "informatics": ([1] * 25 + [2, 2], 7, 40),
}
EGE_SUBJECTS = tuple(_EGE)
_EGE_TARGET = {"rus": 0.6, "math_profile": 0.45, "social": 0.5, "physics": 0.45,
               "informatics": 0.45}
_OGE_TARGET = {"rus": 0.72, "math": 0.6}
_VPR_BOUNDARY_ABILITY = (-1.3, 0.0, 1.25)
"""Abilities at the ВПР mark boundaries: about 10–12 % «2» and 10–15 % «5», as ФИС ОКО reports."""
EGE_ELECTIVE_SHARE = {"rus": 1.0, "math_profile": 0.45, "social": 0.42, "physics": 0.2,
                      "informatics": 0.17}
"""Share of grade-11 students taking each ЕГЭ subject (national order of magnitude)."""

_OGE = {
    "rus": ([7, 1, 1, 1, 1, 1, 1, 1, 9, 2, 2, 2, 2, 2],
            ["1", "2", "3", "4", "5", "6", "7", "8", "9", "ГК1", "ГК2", "ГК3", "ГК4", "ФК1"],
            (15, 23, 29)),
    "math": ([1] * 19 + [2] * 6, [str(i) for i in range(1, 26)], (8, 15, 22)),
}


def vpr_subjects(grade: int, with_okr_mir: bool) -> tuple[str, ...]:
    return ("rus", "math", "okr_mir") if grade == 4 and with_okr_mir else ("rus", "math")


@lru_cache(maxsize=512)
def instrument(procedure: str, year: int, grade: int, subject: str) -> Instrument:
    """The instrument of a cell; identical for every data set (fixed structure seed)."""
    if procedure == "VPR":
        return _vpr(year, grade, subject)
    if procedure == "OGE":
        return _oge(year, subject)
    return _ege(year, subject)


def _structure_rng(grade: int, subject: str, year: int = 0) -> np.random.Generator:
    return np.random.default_rng([2025, grade, _SUBJECT_NO[subject], year])


def _vpr(year: int, grade: int, subject: str) -> Instrument:
    rng = _structure_rng(grade, subject)
    n = _VPR_TASK_COUNTS[(grade, subject)]
    maxima = rng.choice([1, 1, 1, 2, 2, 3], size=n)
    n_basic = round(n * 0.65)
    levels = tuple(["basic"] * n_basic + ["advanced"] * (n - n_basic - 2) + ["high"] * 2)
    labels = _vpr_labels(n, rng)
    base = np.where(
        np.array(levels) == "basic", rng.uniform(-1.6, -0.4, n),
        np.where(np.array(levels) == "advanced", rng.uniform(0.1, 0.9, n), rng.uniform(0.9, 1.6, n)),
    )
    standard = _calibrate(_thresholds(base, maxima, step=0.55), maxima, 0.58)
    at = _expected(np.array(_VPR_BOUNDARY_ABILITY), standard)
    yearly = _structure_rng(grade, subject, year)
    thresholds = (standard + yearly.normal(0, 0.08, (n, 1))).astype(np.float32)
    shift = int(yearly.integers(-1, 2))
    boundaries = (round(at[0]) + shift, round(at[1]) + shift, round(at[2]) + min(shift, 0))
    return Instrument("VPR", year, grade, subject, labels, maxima, levels, thresholds,
                      boundaries, None, None, None)


def _vpr_labels(n: int, rng: np.random.Generator) -> tuple[str, ...]:
    """Task labels as in ФИС ОКО forms: «1», «2», «5.1», «5.2», …"""
    labels: list[str] = []
    number = 1
    while len(labels) < n:
        if n - len(labels) >= 2 and rng.random() < 0.2:
            labels += [f"{number}.1", f"{number}.2"]
        else:
            labels.append(str(number))
        number += 1
    return tuple(labels)


def _thresholds(base: np.ndarray, maxima: np.ndarray, step: float) -> np.ndarray:
    """Point thresholds of each task, spread around its difficulty; +inf beyond the maximum."""
    k_max = int(maxima.max())
    out = np.full((len(maxima), k_max), np.inf, dtype=np.float32)
    for t, (b, m) in enumerate(zip(base, maxima, strict=True)):
        spread = step if m <= 3 else 5.0 / m
        out[t, :m] = b + spread * (np.arange(m) - (m - 1) / 2)
        if m > 3:  # the last point of an essay is rare (100 test points are ~0.5 % in life)
            out[t, m - 1] += 1.0
    return out


def _expected(theta: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    z = (theta[:, None, None] - thresholds[None, :, :]) / TASK_NOISE
    result: np.ndarray = np.sum(0.5 * (1.0 + _erf(z / np.sqrt(2.0))), axis=(1, 2))
    return result


def _calibrate(thresholds: np.ndarray, maxima: np.ndarray, target: float,
               centre: float = 0.0) -> np.ndarray:
    """Shift all thresholds so that a participant of typical ability (``centre``) expects
    ``target`` of the maximum: keeps every work at a realistic mean whatever its structure."""
    lo, hi = -3.0, 3.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if _expected(np.full(1, centre), thresholds + mid)[0] > target * maxima.sum():
            lo = mid
        else:
            hi = mid
    return (thresholds + (lo + hi) / 2).astype(np.float32)


def _oge(year: int, subject: str) -> Instrument:
    maxima_list, labels, boundaries = _OGE[subject]
    maxima = np.array(maxima_list)
    rng = _structure_rng(9, subject)
    levels = tuple("basic" if m <= 2 and i < len(maxima) - 6 else "advanced"
                   for i, m in enumerate(maxima))
    base = np.where(np.array(levels) == "basic", rng.uniform(-1.5, -0.3, len(maxima)),
                    rng.uniform(0.0, 1.0, len(maxima)))
    base = base + _structure_rng(9, subject, year).normal(0, 0.06, len(maxima))
    thresholds = _calibrate(_thresholds(base, maxima, step=0.5), maxima, _OGE_TARGET[subject])
    return Instrument("OGE", year, 9, subject, tuple(labels), maxima, levels, thresholds,
                      boundaries, float(boundaries[0]), "primary", None)


def _ege(year: int, subject: str) -> Instrument:
    maxima_list, primary_threshold, test_threshold = _EGE[subject]
    maxima = np.array(maxima_list)
    n = len(maxima)
    rng = _structure_rng(11, subject)
    levels = tuple("basic" if m == 1 else ("high" if m >= 4 else "advanced") for m in maxima)
    base = np.where(maxima == 1, rng.uniform(-1.2, 0.3, n), rng.uniform(0.3, 1.5, n))
    base = base + _structure_rng(11, subject, year).normal(0, 0.06, n)
    thresholds = _calibrate(_thresholds(base, maxima, step=0.55), maxima, _EGE_TARGET[subject],
                            participants_mean_ability(EGE_ELECTIVE_SHARE[subject]))
    conversion = ege_conversion(int(maxima.sum()), primary_threshold, test_threshold)
    return Instrument("EGE", year, 11, subject, tuple(str(i) for i in range(1, n + 1)), maxima,
                      levels, thresholds, None, float(test_threshold), "test", conversion)


def ege_conversion(max_primary: int, primary_threshold: int, test_threshold: int) -> np.ndarray:
    """A monotone primary→test table like Rosobrnadzor's: the threshold primary score gives
    exactly the minimum test score, below it less, 100 only for the maximum, concave above."""
    p = np.arange(max_primary + 1, dtype=float)
    below = np.floor(test_threshold * p / primary_threshold)
    frac = np.clip((p - primary_threshold) / (max_primary - primary_threshold), 0, 1)
    above = np.round(test_threshold + (100 - test_threshold) * frac**0.9)
    test = np.where(p < primary_threshold, np.minimum(below, test_threshold - 1), above)
    test[:-1] = np.minimum(test[:-1], 99)
    test[-1] = 100
    return np.maximum.accumulate(test).astype(np.float32)


def instruments_for_year(year: int, with_okr_mir: bool) -> list[Instrument]:
    """Every instrument of one year, in the order cells are generated."""
    out = [instrument("VPR", year, g, s) for g in VPR_GRADES for s in vpr_subjects(g, with_okr_mir)]
    out += [instrument("OGE", year, 9, s) for s in _OGE]
    out += [instrument("EGE", year, 11, s) for s in _EGE]
    return out


def normal_quantile(p: float) -> float:
    return NormalDist().inv_cdf(p)


GRADE11_SHIFT = 0.25  # grade 11 is a selected population (about half of grade 9 stays)
ABILITY_SD = 1.0  # SD of student ability across a region (students 0.9, schools ~0.45)
CHOICE_SLACK = 1.35  # SD of ability + choice noise, as used to set the choice cut


def elective_cut(share: float) -> float:
    """Ability + N(0, 1) noise must exceed this for a student to take the elective."""
    return normal_quantile(1 - share) * CHOICE_SLACK + GRADE11_SHIFT


def participants_mean_ability(share: float) -> float:
    """Mean ability of those who choose an elective taken by ``share`` of grade 11:
    E[θ | θ + ε > cut] for θ ~ N(shift, SD), ε ~ N(0, 1) (truncated-normal mean). Electives
    are calibrated at this ability, so a physics or informatics exam is not «easy» merely
    because strong students choose it (real means are 55–60 test points)."""
    if share >= 1.0:
        return 0.0
    spread = float(np.hypot(ABILITY_SD, 1.0))
    z = (elective_cut(share) - GRADE11_SHIFT) / spread
    nd = NormalDist()
    hazard = nd.pdf(z) / (1 - nd.cdf(z))
    return GRADE11_SHIFT + ABILITY_SD**2 / spread * hazard
