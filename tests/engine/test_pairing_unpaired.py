"""Every ШНОР without a proposed pair says why, with its numbers (engine/pairing.py, issue 12).

Hand-built inputs: two low schools and leaders with context indices and coordinates. One degree of
latitude is 2π·6371/360 = 111,19 km, so 0,1° of latitude ≈ 11,1 km and 0,5° ≈ 55,6 km; the
defaults allow 30 km and a context difference of 0,5.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from opora.engine.config import load_rules
from opora.engine.pairing import pair_schools_explained

RULES = load_rules()
STRENGTH = {("L1", "math"): 10.0, ("L2", "math"): 10.0, ("L3", "math"): 10.0}
WEAK = {"S1": ["math"], "S2": ["math"]}


def test_a_leader_farther_than_the_distance_is_not_proposed_and_the_reason_says_how_far() -> None:
    coords = {"S1": (56.0, 60.0), "L1": (56.5, 60.0)}  # 0,5° apart: 55,6 km
    found = pair_schools_explained(["S1"], ["L1"], WEAK, STRENGTH, {"S1": 0.0, "L1": 0.0},
                                   coords, RULES)
    assert found.pairs == []
    [u] = found.unpaired
    assert (u.school, u.reason_code, u.leaders, u.leaders_near) == ("S1", "too_far", 1, 0)
    assert u.nearest_km == pytest.approx(55.6, abs=0.05)
    assert u.reason == "школ-лидеров 1, но ни одна не ближе 30 км (ближайшая — в 55,6 км)"


def test_a_leader_in_different_conditions_is_not_proposed_and_the_reason_gives_the_index() -> None:
    coords = {"S1": (56.0, 60.0), "L1": (56.1, 60.0)}  # 11,1 km: near enough
    found = pair_schools_explained(["S1"], ["L1"], WEAK, STRENGTH, {"S1": 1.2, "L1": 0.5},
                                   coords, RULES)
    assert found.pairs == []
    [u] = found.unpaired
    # |1,2 − 0,5| = 0,7 > 0,5
    assert (u.reason_code, u.leaders, u.leaders_near, u.leaders_similar) == (
        "no_similar", 1, 1, 0)
    assert u.nearest_context_distance == pytest.approx(0.7)
    assert "различаются не меньше чем на 0,70 (похожими считаются различия до 0,50)" in u.reason


def test_a_difference_of_exactly_the_limit_is_still_similar() -> None:
    found = pair_schools_explained(["S1"], ["L1"], WEAK, STRENGTH, {"S1": 1.0, "L1": 0.5}, {},
                                   RULES)
    assert [(p.low_school, p.leader_school) for p in found.pairs] == [("S1", "L1")]
    assert "индексы контекста различаются на 0,50" in found.pairs[0].reason
    assert found.unpaired == []


def test_when_the_only_suitable_leader_is_full_the_school_left_over_says_capacity() -> None:
    rules = replace(RULES, pairing=replace(RULES.pairing, capacity=1))
    index = {"S1": 0.0, "S2": 0.2, "L1": 0.0}
    found = pair_schools_explained(["S1", "S2"], ["L1"], WEAK, STRENGTH, index, {}, rules)
    # S1 is closer in context (0 against 0,2): it gets L1, S2 is left
    assert [(p.low_school, p.leader_school) for p in found.pairs] == [("S1", "L1")]
    [u] = found.unpaired
    assert (u.school, u.reason_code) == ("S2", "capacity")
    assert "каждая уже взяла 1 школу" in u.reason


def test_no_leader_in_the_municipality_is_said_so() -> None:
    found = pair_schools_explained(["S1", "S2"], ["L1"], WEAK, STRENGTH, {}, {}, RULES,
                                   {"S1": "Город", "S2": "Город", "L1": "Район"})
    assert found.pairs == []
    assert [(u.school, u.reason_code, u.reason) for u in found.unpaired] == [
        ("S1", "no_leaders", "в муниципалитете нет школ-лидеров"),
        ("S2", "no_leaders", "в муниципалитете нет школ-лидеров")]


def test_unknown_coordinates_and_context_do_not_forbid_a_pair() -> None:
    found = pair_schools_explained(["S1"], ["L1"], WEAK, STRENGTH, {}, {}, RULES)
    assert [(p.low_school, p.leader_school) for p in found.pairs] == [("S1", "L1")]
    assert found.unpaired == []
