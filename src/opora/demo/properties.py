"""Which schools get which injected property, and how strong it is: the plan behind ``truth``.

Every number here is documented in ``docs/generator.md`` (section «Внедрённые свойства»).
A school gets at most one of the *targeted* properties (persistently_low, improving,
declining, resilient, or one kind of non-objectivity), so precision and recall of each engine
rule can be measured without one injected effect masking another; ``adverse_context``,
``leader`` and ``small`` follow from the school's context, level and size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from opora.demo.territory import Territory

# The ability model (student ability in SD units of the national student distribution).
CONTEXT_WEIGHT = 0.55  # ability shift per 1 SD of latent advantage
EFFECT_SD = 0.2  # persistent school effect of ordinary schools (clipped at ±2 SD)
PERSISTENTLY_LOW_EFFECT = -0.75
RESILIENT_EFFECT = 1.0
RESILIENT_MARGIN = 0.4  # resilient schools' true level above the region's average
TREND_PER_YEAR = 0.25  # improving +, declining −
ADVERSE_SHARE = 0.17  # most disadvantaged share of the region's schools
LEADER_SHARE = 0.08

# Non-objectivity (ВПР only), probabilities per task or per student — see docs/generator.md.
HELP = 0.45  # inflated_marks: each task's score raised to its maximum with this probability
PEAK = 0.9  # boundary_peaks: a score 1–2 points below a boundary raised to it
LEAK = 0.85  # task_inversion: an advanced/high task's score raised to its maximum
COLLAPSE_HELP = 0.45  # cohort_collapse: help in grade 4 of year y (term marks inflated alike)
COLLAPSE_TERM_SHIFT = 0.8  # ability-equivalent inflation of the grade-4 term marks
LEAK_TERM_SHIFT = 0.5  # task_inversion: the school's term marks are high too (see docs)

# Support effect (issue 16): schools entering the system in an entry year gain this much true
# level in every later year — the effectiveness analysis must find it (bench_effectiveness.py).
SUPPORT_POOL = 0.3  # candidates: the lowest 30 % of loaded schools by true level
SUPPORT_ENTER = 0.5  # of them, this share enter the system (the others are never on a list)
PCT_PER_SD = 22.0  # % of the maximum per SD of school level (ВПР, measured on the generator)

NON_OBJECTIVE = ("inflated_marks", "boundary_peaks", "task_inversion", "cohort_collapse")
TARGETED = ("persistently_low", "resilient", "improving", "declining", *NON_OBJECTIVE)


@dataclass
class Injection:
    """Per-school strengths for one ВПР cell (arrays over all schools; zero = clean)."""

    help: np.ndarray
    peak: np.ndarray
    leak: np.ndarray
    term_shift: np.ndarray


@dataclass
class Plan:
    effect: np.ndarray
    trend: np.ndarray
    truth: list[tuple[int, str, int | None, int | None, str | None, float]] = field(
        default_factory=list)
    cells: dict[tuple[int, int, str], Injection] = field(default_factory=dict)
    markers: list[tuple[int, int, int, str]] = field(default_factory=list)
    support: np.ndarray | None = None  # SD of level gained after entering the system
    entry: np.ndarray | None = None  # the year each school entered (0: never)

    def level(self, territory: Territory, year: int, mid_year: float) -> np.ndarray:
        """The true mean ability of each school in ``year`` (before cohort and yearly noise);
        a school that entered the system before ``year`` has its support gain added."""
        result: np.ndarray = (CONTEXT_WEIGHT * territory.advantage + self.effect
                              + self.trend * (year - mid_year))
        if self.support is not None and self.entry is not None:
            result = result + np.where((self.entry > 0) & (year > self.entry), self.support, 0)
        return result.astype(np.float32)

    def injection(self, year: int, grade: int, subject: str) -> Injection | None:
        return self.cells.get((year, grade, subject))


def plan_support(plan: Plan, t: Territory, entry_year: int, effect_pp: float,
                 entered: np.ndarray) -> None:
    """The ``support_effect`` property: ``entered`` schools enter the system in ``entry_year``
    and gain ``effect_pp`` points of the maximum (÷ :data:`PCT_PER_SD` SD of level) in every
    later year. Who enters is the caller's choice (:func:`choose_entered`, or by observed
    results as lists are made: ``opora.demo.support_effect``)."""
    plan.support = np.zeros(t.n, dtype=np.float32)
    plan.entry = np.zeros(t.n, dtype=np.int32)
    plan.entry[entered] = entry_year
    plan.support[entered] = effect_pp / PCT_PER_SD
    plan.truth += [(int(s), "support_effect", entry_year, None, None, effect_pp) for s in entered]


def choose_entered(score: np.ndarray, t: Territory, rng: np.random.Generator) -> np.ndarray:
    """Per region, of the lowest :data:`SUPPORT_POOL` of loaded schools by ``score`` (a true
    level or an observed result), a random :data:`SUPPORT_ENTER` enter the system. The random
    choice among similar schools is what lets matched schools that did not enter stand for what
    would have happened without support."""
    chosen: list[int] = []
    for region in range(len(t.region_names)):
        members = np.nonzero((t.region == region) & t.loaded & np.isfinite(score))[0]
        if not len(members):
            continue
        pool = members[np.argsort(score[members])[:max(2, round(SUPPORT_POOL * len(members)))]]
        chosen += rng.choice(pool, size=round(SUPPORT_ENTER * len(pool)), replace=False).tolist()
    return np.array(sorted(chosen), dtype=int)


def make_plan(territory: Territory, years: list[int], rng: np.random.Generator,
              strengths: Mapping[str, float] | None = None) -> Plan:
    """Draw the school effects and choose the schools of every property, region by region.

    ``strengths`` overrides the injected strength of a kind of non-objectivity (``PEAK`` for
    ``boundary_peaks``, ``COLLAPSE_HELP`` for ``cohort_collapse``, …) — for the bench that finds
    the smallest effect a sign detects (bench/bench_sign_strength.py); the draws stay the same."""
    n = territory.n
    effect = np.clip(rng.normal(0, EFFECT_SD, n), -2 * EFFECT_SD, 2 * EFFECT_SD)
    plan = Plan(effect=effect.astype(np.float32), trend=np.zeros(n, dtype=np.float32))
    for region in range(len(territory.region_names)):
        members = np.nonzero(territory.region == region)[0]
        if len(members):
            _plan_region(plan, territory, members, years, rng, strengths or {})
    return plan


def _plan_region(plan: Plan, t: Territory, members: np.ndarray, years: list[int],
                 rng: np.random.Generator, strengths: Mapping[str, float]) -> None:
    loaded = members[t.loaded[members]]
    per_kind = 3 if len(loaded) < 100 else max(2, round(0.02 * len(loaded)))
    taken = np.zeros(t.n, dtype=bool)
    adverse = _adverse(plan, t, members)
    vpr = t.size[:, 4:9].sum(axis=1) > 0
    mid = t.size[:, 4:9].mean(axis=1)
    typical = loaded[vpr[loaded] & (mid[loaded] >= 12) & ~np.isin(t.kind[loaded], ("lyceum",
                                                                                    "gymnasium"))]
    low = _pick(rng, typical[t.advantage[typical] < 0.3], per_kind, taken)
    plan.effect[low] = PERSISTENTLY_LOW_EFFECT
    plan.truth += [(int(s), "persistently_low", None, None, None, PERSISTENTLY_LOW_EFFECT)
                   for s in low]
    resilient = _pick(rng, typical[adverse[typical]], max(2, per_kind - 1), taken)
    # At least RESILIENT_EFFECT, and enough to lift the school RESILIENT_MARGIN above the
    # region's average level however adverse its context is.
    region_level = CONTEXT_WEIGHT * np.average(t.advantage[members], weights=t.weight[members])
    plan.effect[resilient] = np.maximum(
        RESILIENT_EFFECT,
        region_level + RESILIENT_MARGIN - CONTEXT_WEIGHT * t.advantage[resilient])
    plan.truth += [(int(s), "resilient", None, None, None, float(plan.effect[s]))
                   for s in resilient]
    for name, sign in (("improving", 1.0), ("declining", -1.0)):
        chosen = _pick(rng, typical, per_kind, taken)
        plan.trend[chosen] = sign * TREND_PER_YEAR
        plan.truth += [(int(s), name, None, None, None, sign * TREND_PER_YEAR) for s in chosen]
    _plan_non_objective(plan, t, loaded[vpr[loaded]], per_kind, taken, years, rng, strengths)
    _plan_leaders(plan, t, loaded, taken)


def _adverse(plan: Plan, t: Territory, members: np.ndarray) -> np.ndarray:
    """The region's most disadvantaged ~17 % by latent advantage (weighted by shadow weights)."""
    order = members[np.argsort(t.advantage[members])]
    cum = np.cumsum(t.weight[order]) / t.weight[order].sum()
    cut = t.advantage[order[np.searchsorted(cum, ADVERSE_SHARE)]]
    adverse = np.zeros(t.n, dtype=bool)
    adverse[members] = t.advantage[members] <= cut
    for s in members[adverse[members] & t.loaded[members]]:
        plan.truth.append((int(s), "adverse_context", None, None, None,
                           float(t.advantage[s])))
    return adverse


def _pick(rng: np.random.Generator, pool: np.ndarray, k: int, taken: np.ndarray) -> np.ndarray:
    free = pool[~taken[pool]]
    chosen = rng.choice(free, size=min(k, len(free)), replace=False) if len(free) else free
    taken[chosen] = True
    return np.sort(chosen.astype(int))


def _plan_non_objective(plan: Plan, t: Territory, pool: np.ndarray, per_kind: int,
                        taken: np.ndarray, years: list[int], rng: np.random.Generator,
                        strengths: Mapping[str, float]) -> None:
    """Several schools per kind, two thirds of them with ≥ 30 students per grade (detectable),
    the rest of any size; each gets a few grade×subject×year cells, the rest stay clean."""
    for name in NON_OBJECTIVE:
        candidates = pool
        if name == "cohort_collapse":
            if len(years) < 2:
                continue
            candidates = pool[(t.size[pool, 4] > 0) & (t.size[pool, 5] > 0)]
        is_big = t.size[candidates, 4:9].mean(axis=1) >= 30
        n_big = int(np.ceil(per_kind * 2 / 3))
        chosen = np.concatenate([_pick(rng, candidates[is_big], n_big, taken),
                                 _pick(rng, candidates[~is_big], per_kind - n_big, taken)])
        for s in chosen:
            _inject_cells(plan, t, int(s), name, years, rng, strengths)


def _inject_cells(plan: Plan, t: Territory, s: int, name: str, years: list[int],
                  rng: np.random.Generator, strengths: Mapping[str, float]) -> None:
    if name == "cohort_collapse":
        year = int(rng.choice(years[:-1]))
        cells = [(year, 4, subj) for subj in ("rus", "math") if rng.random() < 0.7] or [
            (year, 4, "rus")]
    else:
        grades = [g for g in range(4, 9) if t.size[s, g] > 0]
        n_cells = int(rng.integers(1, 4))
        cells = sorted({(int(rng.choice(years)), int(rng.choice(grades)),
                         str(rng.choice(["rus", "math"]))) for _ in range(n_cells)})
    for year, grade, subject in cells:
        injection = plan.cells.get((year, grade, subject))
        if injection is None:
            injection = Injection(*(np.zeros(t.n, dtype=np.float32) for _ in range(4)))
            plan.cells[(year, grade, subject)] = injection
        strength = strengths.get(name, {"inflated_marks": HELP, "boundary_peaks": PEAK,
                                        "task_inversion": LEAK,
                                        "cohort_collapse": COLLAPSE_HELP}[name])
        if name == "inflated_marks":
            injection.help[s] = strength
        elif name == "boundary_peaks":
            injection.peak[s] = strength
        elif name == "task_inversion":
            injection.leak[s] = strength
            injection.term_shift[s] = LEAK_TERM_SHIFT
        else:
            injection.help[s] = strength
            injection.term_shift[s] = COLLAPSE_TERM_SHIFT
        plan.truth.append((s, name, year, grade, subject, strength))
        if grade in (4, 5) and rng.random() < 0.5:
            plan.markers.append((s, year, grade, subject))


def _plan_leaders(plan: Plan, t: Territory, loaded: np.ndarray, taken: np.ndarray) -> None:
    """Leaders: the top ~8 % by true level among schools without injected non-objectivity,
    decline or persistently low results (resilient schools may be leaders too)."""
    non_objective = {s for s, name, *_ in plan.truth if name in NON_OBJECTIVE}
    excluded = {s for s, name, *_ in plan.truth if name in ("declining", "persistently_low")}
    pool = np.array([s for s in loaded if s not in non_objective and s not in excluded
                     and t.size[s, 4:12].sum() > 0], dtype=int)
    if not len(pool):
        return
    level = CONTEXT_WEIGHT * t.advantage[pool] + plan.effect[pool]
    k = max(2, round(LEADER_SHARE * len(loaded)))
    for s in pool[np.argsort(-level)[:k]]:
        plan.truth.append((int(s), "leader", None, None, None,
                           float(CONTEXT_WEIGHT * t.advantage[s] + plan.effect[s])))


def false_positive_markers(plan: Plan, t: Territory, years: list[int],
                           rng: np.random.Generator) -> None:
    """A couple of clean schools on the federal list, like real lists have."""
    flagged = {s for s, name, *_ in plan.truth if name in NON_OBJECTIVE}
    pool = np.array([s for s in np.nonzero(t.loaded & (t.size[:, 4] > 0))[0]
                     if s not in flagged], dtype=int)
    k = min(len(pool), max(2, round(0.003 * t.loaded.sum())))
    for s in rng.choice(pool, size=k, replace=False) if len(pool) else []:
        plan.markers.append((int(s), int(rng.choice(years)), 4, str(rng.choice(["rus", "math"]))))
