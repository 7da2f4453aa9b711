"""With several regions loaded, each school is compared with its own region, never the country."""

from __future__ import annotations

import pyarrow as pa
import pytest
from rules_data import cells_table, reference_table, student_cell

from opora.engine.cells import to_cells
from opora.engine.config import load_rules
from opora.engine.regional import regional_values


def _schools(rows: list[tuple[str, str, str]]) -> pa.Table:
    keys, regions, munis = zip(*rows, strict=True)
    return pa.table({"school_key": list(keys), "region": list(regions),
                     "municipality": list(munis)})


def test_each_school_is_compared_with_its_own_region_in_a_two_region_data_set():
    rows = [student_cell("A", [40, 50, 60]), student_cell("B", [70, 80]),
            student_cell("C", [90, 100]), student_cell("D", [80])]
    schools = _schools([("A", "Север", "М1"), ("B", "Север", "М2"),
                        ("C", "Юг", "М3"), ("D", "Юг", "М4")])
    cells = to_cells(cells_table(rows))
    regional = regional_values(cells, None, schools, load_rules())
    by_school = dict(zip(cells.school, regional.mean_pct, strict=True))
    # Север: (40 + 50 + 60 + 70 + 80) / 5 = 60; Юг: (90 + 100 + 80) / 3 = 90.
    # Pooled over the country it would be 570 / 8 = 71.25 for everyone.
    assert by_school["A"] == pytest.approx(60.0) and by_school["B"] == pytest.approx(60.0)
    assert by_school["C"] == pytest.approx(90.0) and by_school["D"] == pytest.approx(90.0)


def test_a_region_total_is_used_only_for_the_region_it_names():
    ref = reference_table([
        {"region": "Север", "procedure": "VPR", "subject": "rus", "grade": 4, "year": 2024,
         "mean_score": 55.0, "source": "итоги.xlsx:2024:9"},
        {"region": "Юг", "procedure": "VPR", "subject": "rus", "grade": 4, "year": 2024,
         "mean_score": 85.0, "source": "итоги.xlsx:2024:10"},
    ])
    rows = [student_cell("A", [40, 50, 60]), student_cell("C", [90, 100])]
    # one municipality per region: the data does not cover either region → the totals are used
    schools = _schools([("A", "Север", "М1"), ("C", "Юг", "М3")])
    cells = to_cells(cells_table(rows))
    regional = regional_values(cells, ref, schools, load_rules())
    by_school = dict(zip(cells.school, zip(regional.mean_pct, regional.source, strict=True),
                         strict=True))
    assert by_school["A"][0] == pytest.approx(55.0) and "строка 9" in by_school["A"][1]
    assert by_school["C"][0] == pytest.approx(85.0) and "строка 10" in by_school["C"][1]


def test_adverse_context_is_the_most_disadvantaged_share_of_each_region_not_of_the_country():
    from dataclasses import replace

    import numpy as np

    from opora.engine.context import analyse_context
    from opora.engine.identify import YearGaps

    rules = load_rules()
    rules = replace(rules, context=replace(rules.context, components={"share_low_income": 1},
                                           adverse_share_pct=20.0))
    north = [f"N{k}" for k in range(5)]  # low income 1…5 %: the well-off region
    south = [f"S{k}" for k in range(5)]  # low income 41…45 %: the poor region
    schools = north + south
    income = [1.0, 2.0, 3.0, 4.0, 5.0, 41.0, 42.0, 43.0, 44.0, 45.0]
    context = pa.table({"school_key": schools, "year": [2023] * 10, "share_low_income": income})
    n = len(schools)
    gaps = YearGaps(np.array(schools, dtype=object), np.full(n, 2024), np.zeros(n),
                    np.ones(n), np.zeros(n, int), np.ones(n, int), np.full(n, 50.0))
    region_of = {**{s: "север" for s in north}, **{s: "юг" for s in south}}
    result = analyse_context(context, gaps, [2024], rules, set(), region_of)
    adverse = {f.school_key for f in result.flags if f.flag == "adverse_context"}
    # the most disadvantaged 20 % of five schools in each region: the top one of each
    assert adverse == {"N4", "S4"}
    # pooled over both regions it would have been the top two of the south (S3, S4)
    pooled = analyse_context(context, gaps, [2024], rules, set())
    assert {f.school_key for f in pooled.flags if f.flag == "adverse_context"} == {"S3", "S4"}
