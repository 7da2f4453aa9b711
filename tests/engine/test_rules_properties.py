"""Properties of the rules that must hold for any data (hypothesis)."""

from __future__ import annotations

import random

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rules_data import cells_table, schools_table, student_cell

from opora.engine.config import load_rules
from opora.engine.rules_stage import evaluate

RULES = load_rules()
RESULT_FLAGS = {"low_results", "persistently_low", "risk_zone", "positive_dynamics",
                "negative_dynamics", "leader", "non_objective"}
LOW_FLAGS = {"low_results", "persistently_low", "risk_zone"}

scores = st.lists(st.integers(0, 80), min_size=1, max_size=12)
school_years = st.lists(st.tuples(scores, scores, scores), min_size=2, max_size=6)


def _rows(data: list[tuple[list[int], ...]]) -> list[dict[str, object]]:
    rows = []
    for k, per_year in enumerate(data):
        for year, values in zip((2022, 2023, 2024), per_year, strict=True):
            twos = sum(1 for v in values if v < 20)
            rows.append(student_cell(f"S{k}", [float(v) for v in values], year=year,
                                     mark_2=twos))
    return rows


def _flags(rows: list[dict[str, object]]) -> set[tuple[str, str, int, str]]:
    keys = sorted({str(r["school_key"]) for r in rows})
    schools = schools_table(keys, [f"М{i % 2}" for i in range(len(keys))])
    result = evaluate(cells_table(rows), {"schools": schools}, RULES)
    return {(f.school_key, f.flag, f.year, f.evidence) for f in result.flags}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(school_years)
def test_a_school_far_above_the_region_is_never_flagged_low(data: list[tuple[list[int], ...]]) -> None:
    rows = _rows(data)
    for year in (2022, 2023, 2024):
        rows.append(student_cell("TOP", [100.0] * 10, year=year, mark_2=0))
    got = {flag for school, flag, _, _ in _flags(rows) if school == "TOP"}
    assert not got & LOW_FLAGS


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(school_years, st.randoms(use_true_random=False))
def test_permuting_the_rows_changes_nothing(data: list[tuple[list[int], ...]],
                                            rnd: random.Random) -> None:
    rows = _rows(data)
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    assert _flags(rows) == _flags(shuffled)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(school_years)
def test_a_school_with_no_participants_never_gets_a_flag_from_results(
        data: list[tuple[list[int], ...]]) -> None:
    rows = _rows(data)
    for year in (2022, 2023, 2024):
        rows.append(student_cell("EMPTY", [], year=year, mark_2=0))
    got = {flag for school, flag, _, _ in _flags(rows) if school == "EMPTY"}
    assert not got & RESULT_FLAGS


def test_the_property_helpers_build_a_valid_table() -> None:
    table = cells_table(_rows([([10, 20], [30], [40, 50, 60])]))
    assert isinstance(table, pa.Table) and table.num_rows == 3
