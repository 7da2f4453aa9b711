"""Flags that agree with each other (engine/agreement.py; docs/methodology.md, «Согласованность
отметок»): hand-built flags, one combination per test."""

from __future__ import annotations

from opora.engine.agreement import resolve
from opora.engine.identify import Flag


def _f(school: str, flag: str, year: int = 2025) -> Flag:
    return Flag(school, flag, year, f"{flag} {year}")


def _codes(flags: list[Flag], school: str = "A") -> set[tuple[str, int]]:
    return {(f.flag, f.year) for f in flags if f.school_key == school}


def test_a_low_results_school_is_not_a_leader_in_the_same_year() -> None:
    # issue 12: «ШНОР 2025» and «Лидер 2025» at once — the list wins, the leader goes
    found = resolve([_f("A", "low_results"), _f("A", "leader")], {"A"})
    assert _codes(found.flags) == {("low_results", 2025)}
    assert found.leaders == set()
    assert [(f.flag, f.year) for f in found.dropped] == [("leader", 2025)]
    assert found.notes and found.notes[0].startswith("1 школ")


def test_the_share_of_failing_rule_and_the_risk_zone_also_outrank_leader_and_resilient() -> None:
    flags = [_f("A", "failing_share"), _f("A", "leader"),
             _f("B", "risk_zone"), _f("B", "resilient"), _f("B", "leader"),
             _f("C", "persistently_low"), _f("C", "resilient")]
    found = resolve(flags, {"A", "B"})
    assert _codes(found.flags, "A") == {("failing_share", 2025)}
    assert _codes(found.flags, "B") == {("risk_zone", 2025)}
    assert _codes(found.flags, "C") == {("persistently_low", 2025)}
    assert found.leaders == set()


def test_a_flag_of_another_year_does_not_override() -> None:
    # a risk zone of 2023 (its evidence is about 2023) says nothing against a leader of 2025
    found = resolve([_f("A", "risk_zone", 2023), _f("A", "leader", 2025)], {"A"})
    assert _codes(found.flags) == {("risk_zone", 2023), ("leader", 2025)}
    assert found.leaders == {"A"}
    assert found.notes == [] and found.dropped == []


def test_adverse_context_stands_beside_any_flag() -> None:
    # ШНСУ is about the context, not the results: a resilient leader in adverse conditions stays
    flags = [_f("A", "adverse_context"), _f("A", "resilient"), _f("A", "leader"),
             _f("B", "adverse_context"), _f("B", "low_results")]
    found = resolve(flags, {"A"})
    assert _codes(found.flags, "A") == {("adverse_context", 2025), ("resilient", 2025),
                                        ("leader", 2025)}
    assert _codes(found.flags, "B") == {("adverse_context", 2025), ("low_results", 2025)}
    assert found.leaders == {"A"}


def test_the_flags_of_the_list_are_never_removed() -> None:
    # what the what-if (which has no objectivity) and a real run must agree on
    listed = ["low_results", "failing_share", "persistently_low", "risk_zone", "adverse_context"]
    flags = [_f("A", code) for code in listed] + [_f("A", "non_objective"), _f("A", "leader"),
                                                   _f("A", "positive_dynamics")]
    found = resolve(flags, {"A"})
    assert {c for c, _ in _codes(found.flags)} == set(listed) | {"non_objective",
                                                                  "positive_dynamics"}


def test_other_schools_and_their_order_are_untouched() -> None:
    flags = [_f("B", "leader"), _f("A", "low_results"), _f("C", "resilient"), _f("A", "leader")]
    found = resolve(flags, {"B", "A"})
    assert [(f.school_key, f.flag) for f in found.flags] == [
        ("B", "leader"), ("A", "low_results"), ("C", "resilient")]
    assert found.leaders == {"B"}
