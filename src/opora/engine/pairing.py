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

Seed 001 asks for a leader «в аналогичных социальных условиях», so a leader whose context index
differs by more than ``pairing.similar_context_max`` is not proposed, nor one farther than
``pairing.max_distance_km`` (when both schools have coordinates); «похожие социальные условия» is
said only within that difference. Every low-results school left without a pair gets the reason,
with its numbers (:class:`Unpaired`): no leader in the municipality, none within the distance,
none in similar conditions (the nearest difference), or every suitable leader already taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass
class Unpaired:
    """A low-results school without a proposed pair, and why (``reason`` with the numbers)."""

    school: str
    reason_code: str  # no_leaders, too_far, no_similar, capacity (NOT_LOW: see run.py)
    reason: str
    leaders: int | None  # leader schools where pairs are made (None: not looked for, not_low)
    leaders_near: int | None = None  # of them within max_distance_km (None: no coordinates)
    leaders_similar: int | None = None  # of them near and in similar conditions
    nearest_km: float | None = None
    nearest_context_distance: float | None = None


@dataclass
class Pairing:
    pairs: list[Pair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)


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
                 coords: dict[str, tuple[float, float]], rules: Rules,
                 groups: dict[str, str] | None = None) -> list[Pair]:
    """Pairs for the low-results schools (:func:`pair_schools_explained` without the reasons)."""
    return pair_schools_explained(low, leaders, weak, strength, index, coords, rules,
                                  groups).pairs


def pair_schools_explained(low: list[str], leaders: list[str], weak: dict[str, list[str]],
                           strength: dict[tuple[str, str], float], index: dict[str, float],
                           coords: dict[str, tuple[float, float]], rules: Rules,
                           groups: dict[str, str] | None = None) -> Pairing:
    """Pairs for the low-results schools (see the module docstring for the cost), and why each
    school left without one is left.

    With ``groups`` (school → municipality) and ``pairing.scope = "municipality"`` pairs are made
    inside each municipality, as seed 001 does («со школами-лидерами … городского округа»).
    """
    if groups is None or rules.pairing.scope != "municipality":
        return _pair_group(low, leaders, weak, strength, index, coords, rules)
    low_by: dict[str, list[str]] = {}
    leaders_by: dict[str, list[str]] = {}
    for s in low:
        low_by.setdefault(groups.get(s, ""), []).append(s)
    for s in leaders:
        leaders_by.setdefault(groups.get(s, ""), []).append(s)
    result = Pairing()
    for group in sorted(low_by):
        found = _pair_group(low_by[group], leaders_by.get(group, []), weak, strength, index,
                            coords, rules)
        result.pairs += found.pairs
        result.unpaired += found.unpaired
    return result


def _pair_group(low: list[str], leaders: list[str], weak: dict[str, list[str]],
                strength: dict[tuple[str, str], float], index: dict[str, float],
                coords: dict[str, tuple[float, float]], rules: Rules) -> Pairing:
    cfg = rules.pairing
    if not low:
        return Pairing()
    if not leaders:
        where = "в муниципалитете" if cfg.scope == "municipality" else "в регионе"
        return Pairing(unpaired=[Unpaired(s, "no_leaders", f"{where} нет школ-лидеров", 0)
                                 for s in low])
    ctx, power, km = _components(low, leaders, weak, strength, index, coords)
    cost = (cfg.weight_context * np.nan_to_num(ctx) - cfg.weight_strength
            * np.nan_to_num(power) / 10 + cfg.weight_distance * np.nan_to_num(km) / 10)
    near, similar = _allowed(ctx, km, rules)
    cost[~(near & similar)] = FORBIDDEN
    cost[np.asarray(low)[:, None] == np.asarray(leaders)[None, :]] = FORBIDDEN
    result = Pairing()
    for a, b in assign(cost, cfg.capacity):
        values = [None if np.isnan(m[a, b]) else float(m[a, b]) for m in (ctx, power, km)]
        result.pairs.append(Pair(low[a], leaders[b], weak.get(low[a], []), values[0], values[1],
                                 values[2], float(cost[a, b]),
                                 _reason(weak.get(low[a], []), *values)))
    paired = {p.low_school for p in result.pairs}
    for a, school in enumerate(low):
        if school not in paired:
            result.unpaired.append(_why_unpaired(school, ctx[a], km[a], near[a], similar[a],
                                                 cost[a] < FORBIDDEN, rules))
    return result


def _allowed(ctx: np.ndarray, km: np.ndarray, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """(within the distance, in similar conditions) per low school × leader; unknown = allowed."""
    cfg = rules.pairing
    with np.errstate(invalid="ignore"):
        near = np.isnan(km) | (km <= cfg.max_distance_km)
        similar = np.isnan(ctx) | (ctx <= cfg.similar_context_max)
    return near, similar


def _why_unpaired(school: str, ctx: np.ndarray, km: np.ndarray, near: np.ndarray,
                  similar: np.ndarray, open_: np.ndarray, rules: Rules) -> Unpaired:
    """The first reason that holds, in the order a coordinator would check: distance, similar
    conditions, then capacity (suitable leaders all taken by schools they suit better)."""
    cfg = rules.pairing
    has_km = bool(np.any(~np.isnan(km)))
    nearest_km = float(np.nanmin(km)) if has_km else None
    has_ctx = bool(np.any(~np.isnan(ctx)))
    n_near = int(near.sum())
    both = int((near & similar).sum())
    closest_ctx = float(np.nanmin(np.where(near, ctx, np.nan))) if has_ctx and n_near else (
        float(np.nanmin(ctx)) if has_ctx else None)
    found = Unpaired(school, "", "", len(ctx), n_near if has_km else None,
                     both if has_ctx else None, nearest_km, closest_ctx)
    if n_near == 0:
        found.reason_code = "too_far"
        found.reason = (f"школ-лидеров {len(ctx)}, но ни одна не ближе {num(cfg.max_distance_km, 0)} "
                        f"км (ближайшая — в {num(nearest_km or 0.0)} км)")
    elif both == 0:
        found.reason_code = "no_similar"
        found.reason = (f"школ-лидеров {len(ctx)}, из них в пределах {num(cfg.max_distance_km, 0)}"
                        f" км — {n_near}, но ни одна не работает в похожих социальных условиях: "
                        f"индексы контекста различаются не меньше чем на {num(closest_ctx or 0.0, 2)}"
                        f" (похожими считаются различия до {num(cfg.similar_context_max, 2)})")
    else:
        found.reason_code = "capacity"
        found.reason = (f"подходящих школ-лидеров (ближе {num(cfg.max_distance_km, 0)} км, в "
                        f"похожих условиях) {int(open_.sum())}, и каждая уже взяла "
                        f"{_schools(cfg.capacity)}, которым подходит лучше (pairing.capacity)")
    return found


def _schools(n: int) -> str:
    """«1 школу», «2 школы», «5 школ» (the accusative after «взяла»)."""
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} школу"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return f"{n} школы"
    return f"{n} школ"


def _components(low: list[str], leaders: list[str], weak: dict[str, list[str]],
                strength: dict[tuple[str, str], float], index: dict[str, float],
                coords: dict[str, tuple[float, float]]) -> tuple[np.ndarray, ...]:
    """Context distance, leader's strength in the weak subjects, km — low × leaders, NaN unknown."""
    families = sorted({f for s in low for f in weak.get(s, [])})
    col = {f: k for k, f in enumerate(families)}
    power_table = np.array([[strength.get((j, f), np.nan) for f in families] for j in leaders],
                           dtype=float).reshape(len(leaders), len(families))
    wanted = np.zeros((len(low), len(families)))
    for a, s in enumerate(low):
        for f in weak.get(s, []):
            wanted[a, col[f]] = 1.0
    known = ~np.isnan(power_table)
    with np.errstate(invalid="ignore", divide="ignore"):
        power = (wanted @ np.nan_to_num(power_table).T) / (wanted @ known.T)
    idx_low = np.array([index.get(s, np.nan) for s in low])
    idx_lead = np.array([index.get(s, np.nan) for s in leaders])
    ctx = np.abs(idx_low[:, None] - idx_lead[None, :])
    lat1, lon1 = (np.array([coords.get(s, (np.nan, np.nan))[k] for s in low]) for k in (0, 1))
    lat2, lon2 = (np.array([coords.get(s, (np.nan, np.nan))[k] for s in leaders]) for k in (0, 1))
    km = haversine_km(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :])
    return ctx, power, km


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray,
                 lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances on a sphere of radius 6371 km, element-wise (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = (np.sin((p2 - p1) / 2) ** 2
         + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2)
    return np.asarray(2 * 6371.0 * np.arcsin(np.sqrt(np.minimum(1.0, a))))


def _reason(weak: list[str], ctx: float | None, power: float | None, km: float | None) -> str:
    names = ", ".join(SUBJECTS[s].name_ru.lower() if s in SUBJECTS else s for s in weak)
    parts = []
    if ctx is not None:  # only pairs within pairing.similar_context_max are made
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
