"""Network pairs: each low-results school with a leader in similar context, strong where it is weak.

Seed 001: «сетевые пары: ШНОР и школа-лидер, работающая в аналогичных социальных условиях, но с
более высокими результатами обучения». Each leader can take at most ``pairing.capacity`` partners,
so choosing pairs one school at a time (greedily) can use up a leader another school needed more.
The pairs are therefore a min-cost assignment, solved exactly with
``scipy.optimize.linear_sum_assignment`` on a cost matrix whose columns repeat every leader
``capacity`` times. Cost of pairing school i with leader j::

    w_context · |index_i − index_j|  −  w_strength · strength_j(weak subjects of i) / 10
    + w_distance · km(i, j) / 10       (only when both schools have coordinates)

where strength is the leader's gap to the region (percentage points) averaged over the subjects in
which school i is low.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from opora.catalog import SUBJECTS
from opora.engine.config import Rules
from opora.engine.evidence import num

FORBIDDEN = 1e9


@dataclass
class Pair:
    low_school: str
    leader_school: str
    weak_subjects: list[str]
    context_distance: float | None
    leader_strength_pct: float | None
    distance_km: float | None
    cost: float
    reason: str


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def assign(cost: np.ndarray, capacity: int) -> list[tuple[int, int]]:
    """Min-cost assignment of rows to columns, each column used at most ``capacity`` times."""
    if cost.size == 0:
        return []
    expanded = np.repeat(cost, capacity, axis=1)
    rows, cols = linear_sum_assignment(expanded)
    return [(int(r), int(c) // capacity) for r, c in zip(rows, cols, strict=True)
            if expanded[r, c] < FORBIDDEN]


def pair_schools(low: list[str], leaders: list[str], weak: dict[str, list[str]],
                 strength: dict[tuple[str, str], float], index: dict[str, float],
                 coords: dict[str, tuple[float, float]], rules: Rules) -> list[Pair]:
    """Pairs for the low-results schools (see the module docstring for the cost)."""
    cfg = rules.pairing
    if not low or not leaders:
        return []
    cost = np.zeros((len(low), len(leaders)))
    parts: dict[tuple[int, int], tuple[float | None, float | None, float | None]] = {}
    for a, school in enumerate(low):
        for b, leader in enumerate(leaders):
            if school == leader:
                cost[a, b] = FORBIDDEN
                continue
            ctx = (abs(index[school] - index[leader])
                   if school in index and leader in index else None)
            values = [strength[(leader, s)] for s in weak.get(school, []) if (leader, s) in strength]
            power = float(np.mean(values)) if values else None
            km = (haversine_km(*coords[school], *coords[leader])
                  if school in coords and leader in coords else None)
            cost[a, b] = (cfg.weight_context * (ctx or 0.0) - cfg.weight_strength * (power or 0.0)
                          / 10 + cfg.weight_distance * (km or 0.0) / 10)
            parts[(a, b)] = (ctx, power, km)
    pairs = []
    for a, b in assign(cost, cfg.capacity):
        ctx, power, km = parts[(a, b)]
        pairs.append(Pair(low[a], leaders[b], weak.get(low[a], []), ctx, power, km,
                          float(cost[a, b]), _reason(weak.get(low[a], []), ctx, power, km)))
    return pairs


def _reason(weak: list[str], ctx: float | None, power: float | None, km: float | None) -> str:
    names = ", ".join(SUBJECTS[s].name_ru.lower() if s in SUBJECTS else s for s in weak)
    parts = []
    if ctx is not None:
        parts.append(f"похожие социальные условия: индексы контекста различаются на {num(ctx, 2)}")
    else:
        parts.append("контекстных данных нет — пара подобрана только по результатам")
    if power is not None:
        parts.append(f"школа-лидер выше региона на {num(power, signed=True)} п.п. там, где ШНОР "
                     f"отстаёт ({names})")
    elif names:
        parts.append(f"у школы-лидера нет результатов по предметам, где ШНОР отстаёт ({names})")
    if km is not None:
        parts.append(f"расстояние {num(km)} км")
    return "; ".join(parts)
