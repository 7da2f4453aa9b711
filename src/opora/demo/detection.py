"""How well the rules find what the generator injected: precision and recall per flag and sign.

Used by ``bench/bench_detection.py`` (figures in ``bench/out/detection.md``) and by the tests that
assert floors on them. ``truth.parquet`` (:data:`opora.schemas.TRUTH`) names, per school, the
properties the generator injected; school-level flags are compared school by school, the
non-objectivity signs cell by cell (school × year × grade × subject).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from scipy import stats

from opora import glossary
from opora.glossary import (
    ADVERSE_CONTEXT,
    LEADER,
    NEGATIVE_DYNAMICS,
    PERSISTENTLY_LOW,
    POSITIVE_DYNAMICS,
    RESILIENT,
    SIGN_BOUNDARY,
    SIGN_COHORT,
    SIGN_INVERSION,
    SIGN_TERM,
)
from opora.numbers import number

# truth property (the generator's words, schemas.TRUTH) → engine flag (school level)
SCHOOL_FLAGS = {
    "persistently_low": PERSISTENTLY_LOW.code,
    "improving": POSITIVE_DYNAMICS.code,
    "declining": NEGATIVE_DYNAMICS.code,
    "adverse_context": ADVERSE_CONTEXT.code,
    "resilient": RESILIENT.code,
    "leader": LEADER.code,
}
# truth property → objectivity sign (cell level)
CELL_SIGNS = {
    "inflated_marks": SIGN_TERM.code,
    "boundary_peaks": SIGN_BOUNDARY.code,
    "task_inversion": SIGN_INVERSION.code,
    "cohort_collapse": SIGN_COHORT.code,
}
NON_OBJECTIVE = tuple(CELL_SIGNS)


@dataclass
class Score:
    name: str
    truth: int
    flagged: int
    hits: int
    right: int | None = None  # flagged and right in a wider sense (any injected sign), if differs

    @property
    def precision(self) -> float | None:
        right = self.hits if self.right is None else self.right
        return right / self.flagged if self.flagged else None

    @property
    def recall(self) -> float | None:
        return self.hits / self.truth if self.truth else None


def school_scores(flags: list[tuple[str, str]], truth: pa.Table,
                  schools: set[str] | None = None) -> list[Score]:
    """Per school-level property: truth schools, flagged schools, both (``flags``: school, flag)."""
    rows = truth.to_pylist()
    out = []
    for prop, flag in SCHOOL_FLAGS.items():
        true = {r["school_key"] for r in rows if r["property"] == prop}
        got = {s for s, f in flags if f == flag}
        if schools is not None:
            true &= schools
            got &= schools
        out.append(Score(f"{flag} ← {prop}", len(true), len(got), len(true & got)))
    any_true = {r["school_key"] for r in rows if r["property"] in NON_OBJECTIVE}
    got = {s for s, f in flags if f == glossary.NON_OBJECTIVE.code}
    out.append(Score(f"{glossary.NON_OBJECTIVE.code} ← любой внедрённый признак", len(any_true),
                     len(got), len(any_true & got)))
    return out


def sign_scores(objectivity: pa.Table, truth: pa.Table, min_participants: int = 0) -> list[Score]:
    """Per sign: injected cells (optionally only cells with ≥ ``min_participants``), fired, both.

    Precision counts a fired cell as right when *any* non-objectivity was injected into it.
    """
    rows = truth.to_pylist()
    obj = objectivity.to_pylist()
    size = {(r["school_key"], r["year"], r["grade"], r["subject"]): r["participants"] or 0
            for r in obj}
    injected = {(r["school_key"], r["year"], r["grade"], r["subject"]) for r in rows
                if r["property"] in NON_OBJECTIVE}
    out = []
    for prop, sign in CELL_SIGNS.items():
        true = {(r["school_key"], r["year"], r["grade"], r["subject"]) for r in rows
                if r["property"] == prop}
        true = {k for k in true if size.get(k, 0) >= min_participants}
        got = {(r["school_key"], r["year"], r["grade"], r["subject"]) for r in obj
               if r[f"{sign}_fired"] and (r["participants"] or 0) >= min_participants}
        out.append(Score(f"{sign} ← {prop}", len(true), len(got), len(true & got),
                         len(got & injected)))
    return out


# What each rule must find of what the generator injects (docs/methodology.md, «Насколько правила
# находят то, что есть»), from the strength of the injection (docs/generator.md), not from a past
# measurement: a share of the injected schools (cells with ≥ 30 participants for the signs).
RECALL_TARGETS = {
    "persistently_low": 0.95,   # u = −0,75 SD ≈ −12 points every year, ≥ 12 students a grade
    "positive_dynamics": 0.9,   # ±0,25 SD a year ≈ ±4 points, 8 points over three years
    "negative_dynamics": 0.9,
    "adverse_context": 0.8,     # truth: 17 % by the latent context; the rule: 20 % by a noisy index
    "leader": 0.85,             # truth: top 8 % by the true level, far above +5 points
    "non_objective": 0.75,      # ⅔ of the injected schools large (≈ 0,95), ⅓ small (≈ 0,35)
    "term_30": 0.95,            # ≈ 50 % above the term mark against ≈ 15 %: z ≈ 5,4 at n = 30
    "inversion_30": 0.95,       # 85 % of the harder tasks at the maximum
    "cohort_30": 0.6,           # a fall of ≈ 20 points against the 15-point line, SE ≈ 5 points
    "boundary_30": 0.35,        # a deliberately strict sign (z > 3,5)
}
# How often a rule may fire where nothing was injected: the signs' design rate (rules.toml:
# «≈ 1 ячейка ВПР из 1000»), the trend's 95 % interval (2,5 % a side).
FALSE_RATE_TARGETS = {
    "term_30": 0.001, "inversion_30": 0.001, "positive_dynamics": 0.025,
    "negative_dynamics": 0.025,
}
ALPHA = 0.005  # a floor is missed by chance at most once in 200 runs


def recall_floor(target: float, truth: int, alpha: float = ALPHA) -> float:
    """The lowest recall a rule meeting ``target`` shows on ``truth`` injected units, but for
    chance: the α-quantile of Binomial(truth, target), as a share."""
    return float(stats.binom.ppf(alpha, truth, target)) / truth if truth else 0.0


def precision_floor(recall_target: float, truth: int, false_rate: float, honest: int,
                    alpha: float = ALPHA) -> float:
    """The lowest precision with the fewest hits (:func:`recall_floor`) and the most false
    alarms the design rate allows on ``honest`` units (the (1 − α)-quantile of a Poisson)."""
    hits = recall_floor(recall_target, truth, alpha) * truth
    false = float(stats.poisson.ppf(1 - alpha, false_rate * honest))
    return hits / (hits + false) if hits + false else 0.0


def markdown(title: str, scores: list[Score]) -> str:
    """A Markdown table of the scores (Russian headers, decimal commas)."""
    lines = [f"### {title}", "", "| флаг / признак ← свойство | внедрено | найдено | верно | "
             "точность | полнота |", "|---|---|---|---|---|---|"]
    for s in scores:
        lines.append(f"| {s.name} | {s.truth} | {s.flagged} | {s.hits} | {_f(s.precision)} | "
                     f"{_f(s.recall)} |")
    return "\n".join(lines) + "\n"


def _f(value: float | None) -> str:
    return number(value, 2)
