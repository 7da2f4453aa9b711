"""Generated regions with an injected support effect, at the level of schools, for testing the
effectiveness analysis (``opora.engine.effectiveness``; ``bench/bench_effectiveness.py``).

The territory and the plan are the generator's (same seed, same schools, same true levels).
Instead of drawing every student, each school's mean of a ВПР work is drawn from the
distribution the student-level model gives it (``docs/generator.md``): its true level, plus the
cohort's effect (one per school and cohort, so a class keeps it from grade to grade), the
school × year noise and the mean of its students' noise (``STUDENT_SD / √n``), converted to % of
the maximum at ``PCT_PER_SD`` points per SD (measured on the student-level generator: 21–23).
A replication costs a second instead of the minutes a region's students take, so detection
rates over many regions are affordable. The gap is the school's mean minus its region's
(weighted by participants and shadow weights, as the region's reference values are).

**Who enters** is decided as official lists are: by the *observed* results of the entry year
(two years before the last: two years before it and two after) — of the lowest 30 % of a region's
schools by their mean gap that year, a random half enter (``properties.choose_entered``). So the
entered schools had, on average, bad luck in the entry year as well as a low level, and rise a
little the next year without any help (regression to the mean): an estimator that ignores it
claims an effect where there is none. Then ``properties.plan_support`` adds the effect to their
level in the later years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from opora.demo.generator import _Run
from opora.demo.properties import PCT_PER_SD, choose_entered, plan_support
from opora.demo.simulate import COHORT_SD, STUDENT_SD, YEAR_SD
from opora.engine.effectiveness import Gap
from opora.schemas import RESULTS, TABLES

GRADES = (4, 5, 6, 7, 8)
SUBJECTS = ("rus", "math")


@dataclass
class SupportData:
    gaps: list[Gap]
    entered: dict[int, int]  # school → entry year
    never: set[int]
    context: dict[int, float]
    entry_year: int
    effect_pp: float


def generate(*, scale: str = "region", years: int = 5, seed: int = 1,
             effect_pp: float = 0.0) -> SupportData:
    """A territory's school gaps per ВПР work and year, ``effect_pp`` injected for the schools
    that entered the system two years before the last (so two years after it exist, and as
    many before it as ``years`` allows)."""
    run = _Run(scale, years, seed)
    t, plan = run.territory, run.plan
    entry_year = run.years[-3]
    rng = np.random.default_rng([seed, 16])
    mid = (run.years[0] + run.years[-1]) / 2
    cohort = rng.normal(0, COHORT_SD, (t.n, len(SUBJECTS), years + len(GRADES) + 12))
    noise = {(y, g, k): rng.normal(0, YEAR_SD, t.n) + rng.normal(0, 1, t.n) * STUDENT_SD
             / np.sqrt(np.maximum(t.size[:, g], 1)) + cohort[:, k, i - g + len(GRADES) + 8]
             for i, y in enumerate(run.years) for g in GRADES for k in range(len(SUBJECTS))}
    observed = _gaps(run, noise, entry_year)
    score = np.full(t.n, np.nan)
    for s, values in observed.items():
        score[s] = float(np.average(values[0], weights=values[1]))
    entered = choose_entered(score, t, rng)
    plan_support(plan, t, entry_year, effect_pp, entered)
    gaps = [gap for year in run.years for gap in _year_gaps(run, noise, year, mid)]
    loaded = np.nonzero(t.loaded)[0]
    context = {int(s): float(-t.advantage[s] + rng.normal(0, 0.3)) for s in loaded}
    entered_map = {int(s): entry_year for s in entered}
    return SupportData(gaps, entered_map, {int(s) for s in loaded} - set(entered_map), context,
                       entry_year, effect_pp)


def _year_gaps(run: _Run, noise: dict, year: int, mid: float) -> list[Gap]:
    t = run.territory
    level = run.plan.level(t, year, mid)
    loaded = np.nonzero(t.loaded)[0]
    found = []
    for g in GRADES:
        n = t.size[:, g].astype(float)
        has = n > 0
        weights = n * t.weight * has
        for k, subject in enumerate(SUBJECTS):
            pct = PCT_PER_SD * (level + noise[(year, g, k)])
            sums = np.bincount(t.region, weights=weights * pct)
            total = np.bincount(t.region, weights=weights)
            region = sums / np.where(total > 0, total, 1)
            found += [Gap(int(s), "VPR", subject, year, float(pct[s] - region[t.region[s]]),
                          int(n[s])) for s in loaded if has[s]]
    return found


def _gaps(run: _Run, noise: dict, year: int) -> dict[int, tuple[list[float], list[int]]]:
    """Each school's gaps of ``year`` before any support (the results the list is made from)."""
    mid = (run.years[0] + run.years[-1]) / 2
    found: dict[int, tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
    for gap in _year_gaps(run, noise, year, mid):
        found[gap.school][0].append(gap.gap)
        found[gap.school][1].append(max(gap.participants, 1))
    return found


def tables_with_entry(*, scale: str, years: int, seed: int, effect_pp: float, entry_year: int,
                      keys: list[str]) -> dict[str, pa.Table]:
    """The generator's tables (``generate_tables``, same seed, same draws) with the schools
    ``keys`` entering the system in ``entry_year`` and gaining ``effect_pp`` points of the
    maximum in every later year (``properties.plan_support``; ``truth`` has a
    ``support_effect`` row for each). The caller names who enters — the web demo, the schools
    its official list of that year holds (``opora.web.demo``); results up to ``entry_year`` are
    the same as without the effect."""
    run = _Run(scale, years, seed)
    wanted = set(keys)
    entered = np.array([i for i, k in enumerate(run.territory.keys) if k in wanted], dtype=int)
    plan_support(run.plan, run.territory, entry_year, effect_pp, entered)
    parts: list[pa.Table] = []
    run.simulate(parts.append)
    tables = run.tables()
    tables["results"] = pa.concat_tables(parts) if parts else RESULTS.empty()
    return {name: tables[name] if name in tables else TABLES[name].empty() for name in TABLES}
