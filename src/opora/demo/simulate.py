"""Student-level simulation of one cell (procedure × year × grade × subject) for many schools.

Vectorised over students (no per-student Python). The model (``docs/generator.md``):

    ability = school level (context + effect + trend) + cohort effect + school×year×subject noise
              + student noise
    task score = number of the task's point thresholds below ability + task noise (probit
                 graded response), so basic tasks are easier than advanced ones;
    primary score = Σ task scores; mark from the boundaries; ЕГЭ test score from the conversion;
    term mark = teacher's view of the same ability with its own noise, slightly lenient.

Non-objectivity is applied to the task scores of the injected schools' students (help, leaked
answers, pushing to a boundary), so the sums, marks and task patterns stay consistent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opora.demo.instruments import (
    EGE_ELECTIVE_SHARE,
    GRADE11_SHIFT,
    TASK_NOISE,
    Instrument,
    elective_cut,
)
from opora.demo.properties import Injection

STUDENT_SD = 0.9
COHORT_SD = 0.12
YEAR_SD = 0.07
TERM_NOISE = 0.6
TERM_LENIENCY = 0.3  # teachers' marks a little higher than ВПР marks on average


@dataclass
class Cell:
    """The students of one cell across a block of schools (arrays of equal length)."""

    instrument: Instrument
    school: np.ndarray  # int32 global school index
    position: np.ndarray  # 0-based place of the student in the school's list
    class_no: np.ndarray  # 0-based class letter index
    sex: np.ndarray  # int8: 0 м, 1 ж
    absent: np.ndarray
    scores: np.ndarray  # (n, T) int8 (zeros for the absent)
    primary: np.ndarray  # int16
    mark: np.ndarray | None  # int8
    test: np.ndarray | None  # float32
    term: np.ndarray | None  # int8

    @property
    def n(self) -> int:
        return len(self.school)


@dataclass
class BlockState:
    """What stays fixed for a block of schools across cells and years."""

    schools: np.ndarray  # global indices
    size: np.ndarray  # (S_all, 12)
    classes: np.ndarray
    absent_rate: np.ndarray  # (S_all,)
    cohort: np.ndarray  # (S_all, n_cohorts)
    first_cohort: int  # calendar year − grade of cohort column 0


def simulate_cell(ins: Instrument, state: BlockState, level: np.ndarray,
                  injection: Injection | None, rng: np.random.Generator) -> Cell:
    """Draw every student of the block's schools for one instrument."""
    grade = ins.grade
    schools = state.schools[state.size[state.schools, grade] > 0]
    base = state.size[schools, grade]
    counts = np.maximum(1, np.round(base * np.exp(rng.normal(0, 0.08, len(schools))))).astype(
        np.int64)
    school_of = np.repeat(schools, counts).astype(np.int32)
    n = len(school_of)
    mu = (level[schools] + state.cohort[schools, ins.year - grade - state.first_cohort]
          + rng.normal(0, YEAR_SD, len(schools)).astype(np.float32))
    if grade == 11:
        mu = mu + GRADE11_SHIFT
    theta = np.repeat(mu, counts) + STUDENT_SD * rng.standard_normal(n, dtype=np.float32)
    position = np.arange(n) - np.repeat(np.cumsum(counts) - counts, counts)
    if ins.procedure == "EGE" and EGE_ELECTIVE_SHARE[ins.subject] < 1.0:
        keep = _takes_elective(theta, EGE_ELECTIVE_SHARE[ins.subject], rng)
        school_of, theta = school_of[keep], theta[keep]
        position = _renumber(school_of)
        n = len(school_of)
    k = np.maximum(1, state.classes[school_of, grade])
    own = np.bincount(school_of, minlength=len(level))[school_of]
    class_no = (position * k // np.maximum(own, 1)).astype(np.int8)
    absent = rng.random(n, dtype=np.float32) < state.absent_rate[school_of]
    scores = _task_scores(theta, ins, rng)
    term = None
    if ins.procedure == "VPR":
        shift = injection.term_shift[school_of] if injection is not None else 0.0
        term = _term_marks(theta + shift, ins, rng)
    if injection is not None:
        scores = _inject(scores, ins, injection, school_of, term, rng)
    scores[absent] = 0
    primary = scores.sum(axis=1, dtype=np.int16)
    return Cell(ins, school_of, position, class_no, rng.integers(0, 2, n).astype(np.int8),
                absent, scores, primary, _marks(primary, ins),
                ins.conversion[primary] if ins.conversion is not None else None, term)


def _takes_elective(theta: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    """Students choose an elective more often the stronger they are (selection on ability)."""
    cut = elective_cut(share)
    keep: np.ndarray = theta + rng.standard_normal(len(theta), dtype=np.float32) > cut
    return keep


def _renumber(school_of: np.ndarray) -> np.ndarray:
    counts = np.bincount(school_of)
    starts = np.cumsum(counts) - counts
    result: np.ndarray = np.arange(len(school_of)) - starts[school_of]
    return result


def _task_scores(theta: np.ndarray, ins: Instrument, rng: np.random.Generator) -> np.ndarray:
    n, t = len(theta), len(ins.maxima)
    latent = rng.standard_normal((n, t), dtype=np.float32)
    latent *= TASK_NOISE
    latent += theta[:, None]
    scores = np.zeros((n, t), dtype=np.int8)
    for k in range(ins.thresholds.shape[1]):
        cols = np.nonzero(ins.maxima > k)[0]
        if len(cols) == t:
            scores += latent > ins.thresholds[:, k]
        else:
            scores[:, cols] += latent[:, cols] > ins.thresholds[cols, k]
    return scores


def _inject(scores: np.ndarray, ins: Instrument, injection: Injection, school_of: np.ndarray,
            term: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    maxima = ins.maxima.astype(np.int8)
    help_p = injection.help[school_of]
    rows = np.nonzero(help_p > 0)[0]
    if len(rows):
        lift = rng.random((len(rows), scores.shape[1]), dtype=np.float32) < help_p[rows, None]
        scores[rows] = np.where(lift, maxima, scores[rows])
    leak_p = injection.leak[school_of]
    rows = np.nonzero(leak_p > 0)[0]
    hard = np.array([level != "basic" for level in ins.levels])
    if len(rows):
        lift = (rng.random((len(rows), scores.shape[1]), dtype=np.float32) < leak_p[rows, None])
        lift &= hard
        scores[rows] = np.where(lift, maxima, scores[rows])
    peak_p = injection.peak[school_of]
    rows = np.nonzero(peak_p > 0)[0]
    if len(rows) and ins.boundaries is not None:
        _push_to_boundaries(scores, rows, peak_p[rows], ins, term, rng)
    return scores


def _push_to_boundaries(scores: np.ndarray, rows: np.ndarray, p: np.ndarray, ins: Instrument,
                        term: np.ndarray | None, rng: np.random.Generator) -> None:
    """Scores 1–2 points below a mark boundary raised to exactly the boundary (with prob. p).

    As in life, the checker «adds the missing point» to students whose term mark says they
    deserve the higher mark, so the ВПР mark rarely ends above the term mark.
    """
    assert ins.boundaries is not None
    primary = scores[rows].sum(axis=1)
    deserved = term[rows] if term is not None else np.full(len(rows), 5)
    gap = np.zeros(len(rows), dtype=np.int64)
    for mark, b in enumerate(ins.boundaries, start=3):
        below = (primary >= b - 2) & (primary < b) & (deserved >= mark)
        gap = np.where(below, b - primary, gap)
    pushed = (gap > 0) & (rng.random(len(rows)) < p)
    chosen, gap = rows[pushed], gap[pushed]
    maxima = ins.maxima.astype(np.int8)
    for step in range(2):
        todo = chosen[gap > step]
        if not len(todo):
            break
        slack = maxima[None, :] - scores[todo]
        col = np.argmax(slack > 0, axis=1)
        scores[todo, col] += (slack[np.arange(len(todo)), col] > 0).astype(np.int8)


def _marks(primary: np.ndarray, ins: Instrument) -> np.ndarray | None:
    if ins.boundaries is None:
        return None
    b3, b4, b5 = ins.boundaries
    result: np.ndarray = (2 + (primary >= b3).astype(np.int8) + (primary >= b4)
                          + (primary >= b5)).astype(np.int8)
    return result


def _term_marks(theta: np.ndarray, ins: Instrument, rng: np.random.Generator) -> np.ndarray:
    """The teacher's mark: the same ability seen with noise, with cuts at the abilities whose
    expected score is the ВПР boundary, lowered by the leniency (marks a bit higher)."""
    assert ins.boundaries is not None
    cuts = ins.ability_at(ins.boundaries) - TERM_LENIENCY
    seen = theta + TERM_NOISE * rng.standard_normal(len(theta), dtype=np.float32)
    result: np.ndarray = (2 + (seen >= cuts[0]).astype(np.int8) + (seen >= cuts[1])
                          + (seen >= cuts[2])).astype(np.int8)
    return result


def block_state(schools: np.ndarray, size: np.ndarray, classes: np.ndarray, years: list[int],
                rng: np.random.Generator) -> BlockState:
    """Absence rates (2–6 % per school) and cohort effects shared by the grades a cohort passes."""
    n_all = size.shape[0]
    first = years[0] - 11
    n_cohorts = years[-1] - 4 - first + 1
    absent_rate = np.zeros(n_all, dtype=np.float32)
    absent_rate[schools] = rng.uniform(0.02, 0.06, len(schools))
    cohort = np.zeros((n_all, n_cohorts), dtype=np.float32)
    cohort[schools] = rng.normal(0, COHORT_SD, (len(schools), n_cohorts))
    return BlockState(schools, size, classes, absent_rate, cohort, first)
