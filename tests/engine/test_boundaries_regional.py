"""Regional values (docs/methodology.md §1): which source is used, and its mean, SD and error.

`auto` computes the value when the data covers the region (its schools span more than one
municipality) and there are student-level results; otherwise it takes the region total from a
published file; a covered region with aggregates only and no total is computed from the
aggregates; one municipality without a total gets no regional value at all.
"""

from __future__ import annotations

import math

import pyarrow as pa
import pytest
from boundary_data import rules_with
from rules_data import aggregate_cell, cells_table, reference_table, student_cell

from opora.engine.cells import to_cells
from opora.engine.config import Rules, load_rules
from opora.engine.regional import Regional, describe_reference, regional_values


def _schools(munis: dict[str, str], regions: dict[str, str] | None = None) -> pa.Table:
    keys = sorted(munis)
    return pa.table({"school_key": keys, "municipality": [munis[k] for k in keys],
                     "region": [(regions or {}).get(k, "Область") for k in keys]})


TOTAL = {"procedure": "VPR", "subject": "rus", "grade": 4, "year": 2024, "mean_score": 70.0,
         "source": "итоги.xlsx:2024:9"}


def _regional(rows: list[dict[str, object]], munis: dict[str, str], *, total: bool = False,
              rules: Rules | None = None, regions: dict[str, str] | None = None,
              reference: pa.Table | None = None) -> Regional:
    ref = reference if reference is not None else (reference_table([TOTAL]) if total else None)
    return regional_values(to_cells(cells_table(rows)), ref, _schools(munis, regions),
                           rules or load_rules())


STUDENTS = [student_cell("A", [40.0, 50.0, 60.0]), student_cell("B", [70.0, 80.0])]
TWO = {"A": "М1", "B": "М2"}
ONE = {"A": "М1", "B": "М1"}


@pytest.mark.parametrize(("munis", "total", "kind", "mean"), [
    (TWO, False, "computed", 60.0),   # covered, student data: (40+50+60+70+80)/5 = 60
    (TWO, True, "computed", 60.0),    # covered with student data: computed even with a total
    (ONE, True, "reference", 70.0),   # one municipality: the published total
    (ONE, False, "", None),           # one municipality, no total: no regional value
])
def test_auto_computes_when_two_municipalities_cover_the_region(
        munis: dict[str, str], total: bool, kind: str, mean: float | None) -> None:
    regional = _regional(STUDENTS, munis, total=total)
    assert list(regional.kind) == [kind] * 2
    if mean is None:
        assert all(math.isnan(m) for m in regional.mean_pct)
        assert any("один муниципалитет" in n for n in regional.notes)
    else:
        assert regional.mean_pct[0] == pytest.approx(mean)


AGGREGATES = [aggregate_cell("A", 30, 50.0, procedure="VPR", grade=4, year=2024),
              aggregate_cell("B", 10, 90.0, procedure="VPR", grade=4, year=2024)]


def test_a_covered_region_with_aggregates_only_prefers_the_published_total() -> None:
    regional = _regional(AGGREGATES, TWO, total=True)
    assert list(regional.kind) == ["reference"] * 2
    assert regional.mean_pct[0] == pytest.approx(70.0)
    assert regional.se_pct[0] == 0  # a published total has no sampling error of its own


def test_a_covered_region_with_aggregates_only_and_no_total_is_computed_from_them() -> None:
    # (30 · 50 + 10 · 90)/40 = 60; no student SD → the assumed ВПР SD 20: SE = 20/√40
    regional = _regional(AGGREGATES, TWO)
    assert list(regional.kind) == ["computed"] * 2
    assert regional.mean_pct[0] == pytest.approx(60.0)
    assert math.isnan(regional.sd_pct[0])
    assert regional.se_pct[0] == pytest.approx(20 / math.sqrt(40))
    assert regional.participants[0] == 40


def test_the_computed_mean_and_error_come_from_all_students_of_the_region() -> None:
    # SD² = (Σx² − (Σx)²/N)/(N − 1) = (20900 − 300²/5)/4 = 250; SE = √250/√5 = √50
    regional = _regional(STUDENTS, TWO)
    assert regional.sd_pct[0] == pytest.approx(math.sqrt(250))
    assert regional.se_pct[0] == pytest.approx(math.sqrt(50))
    assert regional.participants[0] == 5
    assert regional.source[0] == "по данным всех школ региона, вычислено по 5 участникам"


def test_source_computed_uses_the_loaded_schools_even_of_one_municipality() -> None:
    regional = _regional(STUDENTS, ONE, total=True, rules=rules_with(regional={
        "source": "computed"}))
    assert list(regional.kind) == ["computed"] * 2
    assert regional.mean_pct[0] == pytest.approx(60.0)
    assert "всех загруженных школ (так задано в правилах)" in regional.source[0]


def test_source_reference_never_computes() -> None:
    rules = rules_with(regional={"source": "reference"})
    assert list(_regional(STUDENTS, TWO, total=True, rules=rules).kind) == ["reference"] * 2
    none = _regional(STUDENTS, TWO, rules=rules)
    assert list(none.kind) == ["", ""] and all(math.isnan(m) for m in none.mean_pct)
    assert any("нет ни данных школ, ни итога по региону" in n for n in none.notes)


def test_a_published_mean_is_converted_to_percent_of_the_cells_maximum() -> None:
    # ВПР with a maximum of 20 primary points: a region total of 14 points = 70 %
    rows = [student_cell("A", [50.0, 60.0], max_score=20.0)]
    ref = reference_table([{**TOTAL, "mean_score": 14.0, "score_scale": "primary"}])
    regional = _regional(rows, {"A": "М1"}, reference=ref)
    assert regional.mean_pct[0] == pytest.approx(70.0)
    assert regional.source[0] == "итог по региону из файла итоги.xlsx, лист «2024», строка 9"


def test_each_region_decides_alone_whether_the_data_covers_it() -> None:
    # Север: two municipalities → computed; Юг: one municipality → its published total
    rows = [student_cell("A", [40.0, 60.0]), student_cell("B", [60.0, 80.0]),
            student_cell("C", [10.0, 20.0])]
    ref = reference_table([{**TOTAL, "region": "Юг", "mean_score": 33.0}])
    regional = _regional(rows, {"A": "М1", "B": "М2", "C": "М3"}, reference=ref,
                         regions={"A": "Север", "B": "Север", "C": "Юг"})
    assert list(regional.kind) == ["computed", "computed", "reference"]
    assert list(regional.mean_pct) == pytest.approx([60.0, 60.0, 33.0])


def test_a_total_without_a_region_name_applies_to_every_region() -> None:
    rows = [student_cell("A", [40.0, 60.0]), student_cell("C", [10.0, 20.0])]
    ref = reference_table([{**TOTAL, "region": None}])
    regional = _regional(rows, {"A": "М1", "C": "М3"}, reference=ref,
                         regions={"A": "Север", "C": "Юг"})
    assert list(regional.mean_pct) == pytest.approx([70.0, 70.0])


@pytest.mark.parametrize(("named", "expected"), [
    (["Север"], 55.0),              # exactly one region has a total: a school of unknown region
    (["Север", "Юг"], None),        # two regions have one: never a guess between them
])
def test_a_school_of_unknown_region_takes_a_total_only_when_it_is_the_only_one(
        named: list[str], expected: float | None) -> None:
    ref = reference_table([{**TOTAL, "region": r, "mean_score": 55.0 + 10 * k}
                           for k, r in enumerate(named)])
    cells = to_cells(cells_table([student_cell("U", [40.0, 60.0])]))
    schools = pa.table({"school_key": ["U"], "municipality": ["М1"], "region": [None]},
                       schema=pa.schema([("school_key", pa.string()),
                                         ("municipality", pa.string()),
                                         ("region", pa.string())]))
    regional = regional_values(cells, ref, schools, load_rules())
    if expected is None:
        assert math.isnan(regional.mean_pct[0])
    else:
        assert regional.mean_pct[0] == pytest.approx(expected)


@pytest.mark.parametrize(("source", "words"), [
    ("ege.xlsx:2023:57", "итог по региону из файла ege.xlsx, лист «2023», строка 57"),
    ("файл итоги.xlsx, лист 1", "итог по региону из файл"),  # (sic: «из файл», see issue note)
    ("итоги ЕГЭ 2023.xlsx", "итог по региону из файла итоги ЕГЭ 2023.xlsx"),
    ("ФИС ОКО", "итог по региону (источник: ФИС ОКО)"),
    (None, "итог по региону из импортированных эталонных значений"),
])
def test_the_evidence_names_the_published_row_it_relied_on(source: str | None,
                                                           words: str) -> None:
    assert describe_reference(source).startswith(words)
    if source and ":" not in source:
        assert source in describe_reference(source)


def test_each_procedure_and_subject_has_its_own_regional_value() -> None:
    # ВПР and ОГЭ of the same grade, Russian and mathematics: four regional cells, none pooled
    rows = [student_cell("A", [40.0, 60.0], grade=9), student_cell("B", [60.0, 80.0], grade=9),
            student_cell("A", [10.0, 20.0], grade=9, subject="math"),
            student_cell("A", [90.0, 100.0], grade=9, procedure="OGE")]
    regional = _regional(rows, TWO)
    assert list(regional.mean_pct) == pytest.approx([60.0, 60.0, 15.0, 95.0])


def test_two_students_in_a_region_give_its_sd() -> None:
    # 50 and 50,5: SD² = (50² + 50,5² − 100,5²/2)/1 = 0,125 (below 1: no floor at 1)
    regional = _regional([student_cell("A", [50.0]), student_cell("B", [50.5])], TWO)
    assert regional.sd_pct[0] == pytest.approx(math.sqrt(0.125))
    assert regional.se_pct[0] == pytest.approx(math.sqrt(0.125) / math.sqrt(2))
    one = _regional([student_cell("A", [50.0])], {"A": "М1", "B": "М2"})
    assert math.isnan(one.sd_pct[0])  # one student: no SD
    assert one.mean_pct[0] == pytest.approx(50.0)  # but a mean, from one participant


def test_source_computed_falls_back_to_the_total_where_the_region_has_no_participants() -> None:
    rows = [aggregate_cell("A", 0, float("nan"), procedure="VPR", grade=4, year=2024)]
    regional = _regional(rows, {"A": "М1"}, total=True,
                         rules=rules_with(regional={"source": "computed"}))
    assert list(regional.kind) == ["reference"]
    assert regional.mean_pct[0] == pytest.approx(70.0)


def test_only_region_level_total_rows_are_region_totals() -> None:
    # a municipality's own total (level municipality) comes first and is not the region's
    ref = reference_table([{**TOTAL, "level": "municipality", "mean_score": 40.0},
                           {**TOTAL, "mean_score": 70.0}])
    regional = _regional([student_cell("A", [50.0])], {"A": "М1"}, reference=ref)
    assert regional.mean_pct[0] == pytest.approx(70.0)
    only_municipal = reference_table([{**TOTAL, "level": "municipality", "mean_score": 40.0}])
    none = _regional([student_cell("A", [50.0])], {"A": "М1"}, reference=only_municipal)
    assert math.isnan(none.mean_pct[0]) and none.source[0] == "" and none.kind[0] == ""


def test_a_one_point_scale_converts_its_total_too() -> None:
    ref = reference_table([{**TOTAL, "mean_score": 0.7, "score_scale": "primary"}])
    regional = _regional([student_cell("A", [50.0], max_score=1.0)], {"A": "М1"}, reference=ref)
    assert regional.mean_pct[0] == pytest.approx(70.0)


def test_a_registry_without_municipalities_covers_no_region() -> None:
    schools = pa.table({"school_key": ["A", "B"], "region": ["Область", "Область"]})
    regional = regional_values(to_cells(cells_table(STUDENTS)), reference_table([TOTAL]), schools,
                               load_rules())
    assert list(regional.kind) == ["reference"] * 2


def test_the_notes_say_how_many_cells_have_which_source() -> None:
    regional = _regional(STUDENTS, TWO)
    assert regional.notes == ["региональные значения вычислены по данным школ: 1 ячеек (режим auto)"]
    none = _regional(STUDENTS, ONE)
    assert none.notes[0].startswith("региональное значение неизвестно для 1 ячеек из 1: данные "
                                    "охватывают один муниципалитет")


def test_one_participant_is_enough_for_a_computed_value_and_none_is_not() -> None:
    computed = rules_with(regional={"source": "computed"})
    one = _regional([student_cell("A", [50.0])], {"A": "М1"}, rules=computed)
    assert list(one.kind) == ["computed"] and one.mean_pct[0] == pytest.approx(50.0)
    nobody = _regional([aggregate_cell("A", 0, float("nan"), procedure="VPR", grade=4,
                                       year=2024), student_cell("B", [50.0], subject="math")],
                       TWO)
    assert nobody.kind[0] == "" and math.isnan(nobody.mean_pct[0])


def test_a_cell_without_a_maximum_takes_no_total() -> None:
    regional = _regional([student_cell("A", [50.0], max_score=0.0)], {"A": "М1"}, total=True)
    assert math.isnan(regional.mean_pct[0])


def test_a_readers_note_on_the_total_is_kept_in_the_evidence() -> None:
    assert describe_reference("итоги.xlsx:2024:9 (среднее пересчитано по школам)") == (
        "итог по региону из файла итоги.xlsx, лист «2024», строка 9 (среднее пересчитано по "
        "школам)")
    assert describe_reference("итоги.xlsx:2024:9 (итог по региону)") == (
        "итог по региону из файла итоги.xlsx, лист «2024», строка 9")


def test_the_note_counts_the_cells_left_without_a_regional_value() -> None:
    # Russian has a total, mathematics has none: 1 of 2 regional cells unknown, 1 referenced
    rows = [student_cell("A", [50.0]), student_cell("A", [50.0], subject="math")]
    regional = _regional(rows, {"A": "М1"}, total=True)
    assert regional.notes[0].startswith("региональное значение неизвестно для 1 ячеек из 2")
    assert "из импортированного итога по региону: 1 ячеек" in regional.notes[1]


def test_the_generators_mark_is_not_a_source() -> None:
    assert describe_reference("синтетика: opora generate --scale region --seed 3") == (
        "итог по региону из импортированных эталонных значений")
    assert describe_reference("; итоги.xlsx:2024:9") == (
        "итог по региону из файла итоги.xlsx, лист «2024», строка 9")
