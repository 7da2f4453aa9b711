"""Did the measures work? Difference-in-differences against matched schools that did not enter.

Seed 004 asks for «анализ эффективности принятых мер … в течение двух лет после включения школы
в систему». For the schools that entered the system (the official list) in year ``Y``:

- a school's **gap** in a year is its mean result minus the region's, in percentage points of the
  maximum (the engine's ``gap_pct``), averaged over the grades of a procedure and subject
  weighted by participants;
- its **change** is the mean gap of years ``Y+1`` and ``Y+2`` (those present) minus its gap in
  ``Y`` (the year its results put it on the list);
- the **comparison group** are schools never on a list up to ``Y+2`` with the same data, matched
  to each entered school: the :data:`MATCHES` nearest by the standardised distance over the social
  context index and the gaps of ``Y`` and ``Y−1`` (prior results), with replacement;
- the **effect** is the mean over entered schools of (their change − the mean change of their
  matches, each corrected to the entered school's own values by the pool's least-squares slopes
  of change on the matching variables — the bias-corrected matching estimator of Abadie and
  Imbens): how much more the entered schools closed their gap than similar schools that got no
  support; the 95 % interval is ``effect ± t(0,975; n−1) · se`` with
  ``se² = sd²/n + σ² · (Σ wⱼ² − 1/(n·k))`` — the spread of those differences, plus what
  controls used by several entered schools add (``wⱼ``: a control's share of all matches,
  ``σ²``: the variance of the pool's changes around the slopes, ``k`` = :data:`MATCHES`).
  Without the correction, schools that entered after an unlucky year rise a little anyway
  (regression to the mean) and the matches, never quite as low, rise less: on generated regions
  the estimator then claimed effects that were not there (``bench/bench_effectiveness.py``).

What the data can and cannot show is said in words (:func:`sentence`): fewer than
:data:`MIN_TREATED` entered schools or :data:`MIN_CONTROLS` possible comparisons → «недостаточно
данных», never a bare number; an interval containing zero → no effect shown (not «no effect»);
and always that matching on observed context and results cannot rule out differences nobody
measured, and that schools chosen for low results tend to rise a little anyway (regression to
the mean), which the matching on prior results only partly removes.

Plain Python and NumPy/SciPy, no Django: the web (``opora.web.monitoring.effect``) and the bench
(``bench/bench_effectiveness.py``) call the same :func:`estimate`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from opora.catalog import PROCEDURES, SUBJECTS
from opora.numbers import number

MATCHES = 3
MIN_TREATED = 5
MIN_CONTROLS = 10
FOLLOW_UP = 2  # years after entry (seed 004: «в течение двух лет»)


@dataclass(frozen=True)
class Gap:
    """One school's gap to the region in one work (averaged over grades by the caller or not)."""

    school: int
    procedure: str
    subject: str
    year: int
    gap: float
    participants: int


@dataclass(frozen=True)
class Effect:
    """The difference-in-differences of one entry year and one procedure × subject (or «all»)."""

    entry_year: int
    procedure: str
    subject: str
    treated: int
    controls: int
    treated_change: float | None
    control_change: float | None
    effect: float | None
    low: float | None
    high: float | None

    @property
    def enough(self) -> bool:
        return self.effect is not None

    @property
    def detected(self) -> bool:
        """The interval lies above zero: the entered schools closed their gap more."""
        return self.low is not None and self.low > 0

    @property
    def harmful(self) -> bool:
        return self.high is not None and self.high < 0


def school_year_gaps(rows: Iterable[Gap]) -> dict[tuple[int, str, str, int], float]:
    """(school, procedure, subject, year) → the participant-weighted mean gap over grades;
    procedure and subject «*» → over all works of the school in the year."""
    sums: dict[tuple[int, str, str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        if r.participants <= 0 or r.gap is None or math.isnan(r.gap):
            continue
        for key in ((r.school, r.procedure, r.subject, r.year), (r.school, "*", "*", r.year)):
            sums[key][0] += r.gap * r.participants
            sums[key][1] += r.participants
    return {k: total / weight for k, (total, weight) in sums.items() if weight > 0}


def _outcome(gaps: dict[tuple[int, str, str, int], float], school: int, procedure: str,
             subject: str, year: int) -> tuple[float, float, float | None, float | None] | None:
    """(gap in the entry year, change to the follow-up years, gaps one and two years before)
    or None."""
    pre = gaps.get((school, procedure, subject, year))
    post = [gaps[k] for k in ((school, procedure, subject, year + d)
                              for d in range(1, FOLLOW_UP + 1)) if k in gaps]
    if pre is None or not post:
        return None
    return (pre, float(np.mean(post)) - pre, gaps.get((school, procedure, subject, year - 1)),
            gaps.get((school, procedure, subject, year - 2)))


def estimate(gaps: dict[tuple[int, str, str, int], float], entered: dict[int, int],
             never: set[int], context: dict[int, float], entry_year: int, procedure: str = "*",
             subject: str = "*") -> Effect:
    """The effect for schools that entered in ``entry_year`` (``entered``: school → entry year;
    ``never``: schools never on a list in the period; ``context``: school → context index)."""
    treated = {s: o for s in entered if entered[s] == entry_year
               and (o := _outcome(gaps, s, procedure, subject, entry_year)) is not None}
    pool = {s: o for s in never if s not in entered
            and (o := _outcome(gaps, s, procedure, subject, entry_year)) is not None}
    empty = Effect(entry_year, procedure, subject, len(treated), len(pool), None, None, None,
                   None, None)
    if len(treated) < MIN_TREATED or len(pool) < MIN_CONTROLS:
        return empty
    features = _features(treated | pool, context)
    scale = features[list(pool)].std(axis=0)
    scale[scale == 0] = 1.0
    order = list(pool)
    raw = features[order]
    controls = raw / scale
    pool_change = np.array([pool[s][1] for s in order])
    beta = _slopes(raw, pool_change)
    residual = pool_change - np.column_stack([np.ones(len(raw)), raw]) @ np.concatenate(
        [[float(np.mean(pool_change - raw @ beta))], beta])
    used = np.zeros(len(order))
    diffs, matched_changes = [], []
    for school, (_pre, change, *_before) in treated.items():
        own = features[[school]]
        distance = np.sqrt(((controls - own / scale) ** 2).sum(axis=1))
        nearest = np.argsort(distance, kind="stable")[:MATCHES]
        used[nearest] += 1
        # bias correction: what the matches' change would be at the entered school's own values
        matched = float((pool_change[nearest] + (own - raw[nearest]) @ beta).mean())
        diffs.append(change - matched)
        matched_changes.append(matched)
    d = np.array(diffs)
    effect = float(d.mean())
    # A control matched to several entered schools counts several times: the spread of the
    # differences alone would understate the uncertainty (a bench found 2 false claims in 30).
    weights = used / (len(d) * MATCHES)
    reuse = float(residual.var(ddof=1)) * max(0.0, float((weights ** 2).sum())
                                              - 1 / (len(d) * MATCHES))
    se = math.sqrt(d.var(ddof=1) / len(d) + reuse)
    # SciPy here, not at the top: the web's monitoring pages import this module for its types,
    # and SciPy costs their processes most of a second at start
    from scipy import stats

    half = float(stats.t.ppf(0.975, len(d) - 1) * se)
    return Effect(entry_year, procedure, subject, len(treated), len(pool),
                  float(np.mean([o[1] for o in treated.values()])),
                  float(np.mean(matched_changes)), effect, effect - half, effect + half)


def _slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares slopes of the change on the features over the pool (with an intercept):
    the bias correction of matching (Abadie & Imbens, 2011) — a match a little better or worse
    before entry is expected to change a little differently, and schools low in the entry year
    rise a little anyway (regression to the mean)."""
    design = np.column_stack([np.ones(len(x)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return np.asarray(coef[1:])


class _Features:
    """School → (context index, gaps in Y, Y−1, Y−2) with missing values imputed by means."""

    def __init__(self, outcomes: dict[int, tuple[float, float, float | None, float | None]],
                 context: dict[int, float]) -> None:
        known_context = [context[s] for s in outcomes if s in context]
        mean_context = float(np.mean(known_context)) if known_context else 0.0
        means = []
        for i in (2, 3):
            found = [float(v) for o in outcomes.values() if (v := o[i]) is not None]
            means.append(float(np.mean(found)) if found else 0.0)
        self.rows = {s: np.array([context.get(s, mean_context), o[0],
                                  *(o[i] if o[i] is not None else means[i - 2] for i in (2, 3))])
                     for s, o in outcomes.items()}

    def __getitem__(self, schools: list[int]) -> np.ndarray:
        return np.array([self.rows[s] for s in schools])


def _features(outcomes: dict[int, tuple[float, float, float | None, float | None]],
              context: dict[int, float]) -> _Features:
    return _Features(outcomes, context)


def sentence(e: Effect) -> str:
    """What the estimate can and cannot say, in Russian, for the page and the report."""
    what = _work(e.procedure, e.subject)
    if not e.enough:
        return (f"Недостаточно данных {what}: школ, вошедших в систему в {e.entry_year} году, с "
                f"результатами до и после — {e.treated} (нужно не меньше {MIN_TREATED}), "
                f"школ для сравнения — {e.controls} (нужно не меньше {MIN_CONTROLS}). Вывод об "
                "эффективности по этим данным сделать нельзя.")
    assert e.effect is not None and e.low is not None and e.high is not None
    interval = f"от {_pp(e.low)} до {_pp(e.high)} п. п."
    if e.detected:
        verdict = (f"Школы, вошедшие в систему в {e.entry_year} году, за два следующих года "
                   f"сократили отставание от региона {what} сильнее похожих школ, не "
                   f"входивших в систему, на {_pp(e.effect)} п. п. (95 % интервал: "
                   f"{interval}).")
    elif e.harmful:
        verdict = (f"Школы, вошедшие в систему в {e.entry_year} году, {what} изменились хуже "
                   f"похожих школ на {_pp(-e.effect)} п. п. (95 % интервал: {interval}): "
                   "стоит разобрать, что пошло не так.")
    else:
        verdict = (f"Разница с похожими школами {what} — {_pp(e.effect)} п. п., но 95 % "
                   f"интервал ({interval}) включает ноль: данные не показывают эффекта — это не "
                   "значит, что его нет, при таком числе школ он может быть не виден.")
    return (verdict + f" Сравнение: {e.treated} школ против {e.controls} похожих по "
            "социальному контексту и прежним результатам; различия, которые не измерялись, "
            "и возврат к среднему у школ, отобранных по низким результатам, сравнение "
            "устраняет лишь частично.")


def _pp(value: float) -> str:
    return number(value, 1)


def _work(procedure: str, subject: str) -> str:
    if procedure == "*":
        return "по всем работам"
    p, s = PROCEDURES.get(procedure), SUBJECTS.get(subject)
    return f"по {p.name_ru if p else procedure}, {(s.name_ru if s else subject).lower()}"
