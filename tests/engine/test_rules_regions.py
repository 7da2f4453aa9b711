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
