"""The reader of published per-school ЕГЭ/ОГЭ results, on the real sample and on variants.

Numbers about the sample were read by hand from the file (Excel rows as Excel shows them) or are
recomputed here with openpyxl, independently of the reader.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from ege_variants import (
    OGE_MEASURES,
    Municipality,
    School,
    Variant,
    write_workbook,
)

from opora.formats import ReadHints, ReadResult, UnreadableFile, read_file
from opora.formats.ege.layout import measure_of

SAMPLE = "ege_by_school_region_sample.xlsx"
RUS, MATH = "Русский язык, чел.", "Математика (профиль), чел."


@pytest.fixture(scope="module")
def sample(realdata: Path) -> ReadResult:
    return read_file(realdata / SAMPLE, "auto")


def rows(result: ReadResult, table: str) -> list[dict[str, object]]:
    return result.tables.get(table, pa.table({})).to_pylist()


def one(items: list[dict[str, object]], **where: object) -> dict[str, object]:
    found = [r for r in items if all(r[k] == v for k, v in where.items())]
    assert len(found) == 1, f"{len(found)} rows match {where}"
    return found[0]


def school_rows_by_hand(path: Path, sheet: str) -> list[int]:
    """Excel rows with a school name in column B and nothing in column A (openpyxl, by hand)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return [r for r in range(11, ws.max_row + 1)
            if isinstance(ws.cell(r, 2).value, str) and ws.cell(r, 1).value is None]


# --- the real sample --------------------------------------------------------------------------

def test_the_sample_is_recognised_as_published_ege_results(sample: ReadResult) -> None:
    assert sample.format == "ege-by-school"


def test_gymnasium_1_russian_2023_is_read_as_published(sample: ReadResult) -> None:
    row = one(rows(sample, "aggregates"), school_name='МБОУ "Гимназия № 1"', year=2023,
              subject="rus")
    assert row["participants"] == 97
    assert row["high_scorers"] == 38  # G12
    assert row["below_threshold"] == 0 and row["top_scorers"] == 0  # F12, H12 blank: zero
    assert round(row["mean_score"], 2) == 73.18
    assert (row["procedure"], row["grade"], row["score_scale"]) == ("EGE", 11, "test")
    assert row["municipality"] == "Город Биробиджан"
    assert row["source"] == f"{SAMPLE}:2023:12"


def test_region_total_2023_russian_is_a_reference_value(sample: ReadResult) -> None:
    row = one(rows(sample, "reference"), level="region", year=2023, subject="rus")
    assert (row["participants"], row["below_threshold"], row["high_scorers"],
            row["top_scorers"]) == (867, 8, 119, 1)
    assert row["mean_score"] == pytest.approx(61.56)
    assert row["region"] == "Еврейская автономная область"
    assert row["municipality"] is None
    assert "2023:10" in str(row["source"])


def test_the_region_total_and_subtotals_are_not_schools(sample: ReadResult) -> None:
    names = {r["school_name"] for r in rows(sample, "aggregates")}
    municipalities = {"город Биробиджан", "Город Биробиджан", "Биробиджанский район",
                      "Ленинский район", "Облученский район", "Октябрьский район",
                      "Смидовичский район"}
    assert not names & municipalities
    assert not any("всего" in str(n).lower() for n in names)
    assert all(isinstance(n, str) and n for n in names)  # 843 in the 2022 total row is no name


def test_sheet_2024_of_applications_is_skipped_with_its_reason(sample: ReadResult) -> None:
    skipped = [p for p in sample.skipped if p.sheet == "2024"]
    assert len(skipped) == 1
    assert skipped[0].code == "sheet_skipped"
    assert "заявлени" in skipped[0].message
    assert not [r for r in rows(sample, "aggregates") if r["year"] == 2024]


def test_number_of_schools_per_year_matches_the_file(sample: ReadResult, realdata: Path) -> None:
    for sheet, expected in (("2023", 42), ("2022", 43)):
        assert len(school_rows_by_hand(realdata / SAMPLE, sheet)) == expected
        read = {r["school_key"] for r in rows(sample, "aggregates") if r["year"] == int(sheet)}
        assert len(read) == expected


def test_school_participants_sum_to_the_region_total(sample: ReadResult) -> None:
    aggregates = rows(sample, "aggregates")
    for year, total in ((2023, 867), (2022, 832)):  # D10 of each sheet, Russian
        assert sum(int(r["participants"]) for r in aggregates
                   if r["year"] == year and r["subject"] == "rus") == total
    assert not [p for p in sample.problems if p.code == "total_mismatch"]


def test_a_school_without_participants_in_a_subject_has_no_row(sample: ReadResult) -> None:
    # 2023 row 14, МБОУ "СОШ № 6": history (T14) and literature (Y14) are blank
    subjects = {r["subject"] for r in rows(sample, "aggregates")
                if r["school_name"] == 'МБОУ "СОШ № 6"' and r["year"] == 2023}
    assert "history" not in subjects and "literature" not in subjects
    assert {"rus", "math_profile", "foreign"} <= subjects


def test_municipality_reference_keeps_the_typed_mean_and_recounts_schools(
        sample: ReadResult, realdata: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = openpyxl.load_workbook(realdata / SAMPLE, data_only=True)["2023"]
    by_hand = sum(ws.cell(r, 5).value or 0 for r in range(12, 23))  # E12:E22, Биробиджан
    row = one(rows(sample, "reference"), level="municipality", year=2023, subject="rus",
              municipality="Город Биробиджан")
    assert row["mean_score"] == pytest.approx(62.58)  # I11, typed
    assert row["participants"] == by_hand == 447


def test_a_subtotal_mean_that_is_a_formula_is_not_taken(sample: ReadResult) -> None:
    # 2023 BG23 (Биробиджанский район, geography mean) is =SUM(BG24:BG28): a sum of means
    assert not [r for r in rows(sample, "reference") if r["level"] == "municipality"
                and r["year"] == 2023 and r["subject"] == "geography"
                and r["municipality"] == "Биробиджанский район"]


def test_a_missing_mean_is_reported_with_its_place(sample: ReadResult) -> None:
    problem = one([p.as_row() for p in sample.problems], code="mean_missing")
    assert (problem["sheet"], problem["row"]) == ("2023", 54)  # СОШ № 5 с.Камышовка
    assert str(problem["column"]).startswith("S (Иностранные языки")


def test_schools_carry_region_number_short_name_and_kind(sample: ReadResult) -> None:
    schools = rows(sample, "schools")
    assert len(schools) == 43  # the 42 schools of 2023 are all among the 43 of 2022
    lyceum = one(schools, full_name='Лицей ФГБОУВО "Приамурский государственный университет '
                                    'имени Шолом-Алейхема"')
    assert lyceum["kind"] == "lyceum"
    boarding = one(schools, short_name="Школа-интернат № 27 ОАО РДЖ")
    assert (boarding["kind"], boarding["number"]) == ("boarding", 27)
    sosh = one(schools, full_name='МБОУ "СОШ № 10 п.Волочаевка"')
    assert (sosh["number"], sosh["kind"], sosh["municipality"]) == (
        10, "secondary", "Смидовичский район")
    assert {s["region"] for s in schools} == {"Еврейская автономная область"}


def test_the_same_school_keeps_one_key_in_2022_and_2023(sample: ReadResult) -> None:
    aggregates = rows(sample, "aggregates")
    keys = {year: {r["school_key"] for r in aggregates if r["year"] == year}
            for year in (2022, 2023)}
    assert keys[2023] <= keys[2022]
    gymnasium = {r["school_key"] for r in aggregates if r["school_name"] == 'МБОУ "Гимназия № 1"'}
    assert len(gymnasium) == 1
    assert not [p for p in sample.problems if p.code in ("ambiguous_school", "duplicate_school")]


# --- variants ---------------------------------------------------------------------------------

def _small(**changes: object) -> Variant:
    """Two municipalities, three schools; the numbers every variant test expects."""
    variant = Variant(
        municipalities=[
            Municipality("город Биробиджан", [
                School('МБОУ "СОШ № 5"', {RUS: (10, None, 2, None, 60.5), MATH: (4, 1, None, None, 40)}),
                School('МБОУ "Гимназия № 1"', {RUS: (20, 1, 5, 1, 70.25)}),
            ], subtotal_mean={RUS: 66.9}),
            Municipality("Ленинский район", [
                School('МКОУ "СОШ с. Лазарево', {RUS: (5, 2, None, None, 41)}),
            ]),
        ],
        total={RUS: (35, 3, 7, 1, 63.1), MATH: (4, 1, None, None, 40)},
    )
    for name, value in changes.items():
        setattr(variant, name, value)
    return variant


def _read(tmp_path: Path, *variants: Variant, hints: ReadHints | None = None) -> ReadResult:
    return read_file(write_workbook(tmp_path / "variant.xlsx", list(variants)), "auto", hints)


@pytest.mark.parametrize("layout", [
    {},
    {"total_at": "bottom"},
    {"numbering": False},
    {"leading_empty_column": True},
    {"subtotals": False},
    {"total_at": "bottom", "numbering": False, "leading_empty_column": True, "subtotals": False},
    {"municipality_column": False},  # municipality subtotal rows (formulas) in the name column
    {"municipality_column": False, "leading_empty_column": True, "total_at": "bottom"},
])
def test_layout_variants_give_the_same_results(tmp_path: Path, layout: dict[str, object]) -> None:
    result = _read(tmp_path, _small(**layout))
    aggregates = rows(result, "aggregates")
    assert len(aggregates) == 4  # 3 schools in Russian + 1 in mathematics
    sosh5 = one(aggregates, school_name='МБОУ "СОШ № 5"', subject="rus")
    assert (sosh5["participants"], sosh5["below_threshold"], sosh5["high_scorers"],
            sosh5["top_scorers"], sosh5["mean_score"]) == (10, 0, 2, 0, 60.5)
    assert one(aggregates, school_name='МКОУ "СОШ с. Лазарево')["municipality"] == "Ленинский район"
    total = one(rows(result, "reference"), level="region", subject="rus")
    assert (total["participants"], total["mean_score"]) == (35, 63.1)
    assert not result.problems


def test_a_typed_subtotal_mean_becomes_a_municipality_reference(tmp_path: Path) -> None:
    result = _read(tmp_path, _small())
    row = one(rows(result, "reference"), level="municipality", subject="rus")
    assert row["municipality"] == "Город Биробиджан"
    assert row["mean_score"] == 66.9
    assert (row["participants"], row["below_threshold"], row["high_scorers"]) == (
        10 + 20, 0 + 1, 2 + 5)


def test_a_renamed_municipality_keeps_the_school_keys(tmp_path: Path) -> None:
    older = _small(sheet="2022", title="Информация о результатах ЕГЭ выпускников школ в 2022 году")
    newer = _small()
    newer.municipalities[0].name = "Город\u00a0 Биробиджан"
    newer.municipalities[0].schools[0].name = "МАОУ «Средняя общеобразовательная школа №5»"
    result = _read(tmp_path, newer, older)
    sosh5 = [r for r in rows(result, "aggregates") if r["subject"] == "rus"
             and ("СОШ № 5" in str(r["school_name"]) or "школа №5" in str(r["school_name"]))]
    assert {r["year"] for r in sosh5} == {2022, 2023}
    assert len({r["school_key"] for r in sosh5}) == 1
    assert {r["municipality"] for r in sosh5} == {"Город Биробиджан"}
    assert len(rows(result, "schools")) == 3


def test_a_typo_in_a_common_word_still_gives_the_same_key(tmp_path: Path) -> None:
    older = _small(sheet="2022", title="Информация о результатах ЕГЭ в 2022 году")
    older.municipalities[1].schools[0].name = 'МКОУ "Средняя общеобразвоательная школа с.Лазарево"'
    result = _read(tmp_path, _small(), older)
    lazarevo = [r for r in rows(result, "aggregates") if "Лазарево" in str(r["school_name"])]
    assert len({r["school_key"] for r in lazarevo}) == 1 and len(lazarevo) == 2
    assert not result.problems


def test_a_typo_in_a_proper_name_is_matched_across_years_and_reported(tmp_path: Path) -> None:
    newer = _small()
    newer.municipalities[1].schools[0].name = 'МКОУ "СОШ им.И.А. Пришкольника с.Валдгейм"'
    older = _small(sheet="2022", title="Информация о результатах ЕГЭ в 2022 году")
    older.municipalities[1].schools[0].name = 'МКОУ "СОШ им.И.А. Пришколника с.Валдгейм"'
    result = _read(tmp_path, newer, older)
    valdgeim = [r for r in rows(result, "aggregates") if "Валдгейм" in str(r["school_name"])]
    assert len({r["school_key"] for r in valdgeim}) == 1 and len(valdgeim) == 2
    problem = one([p.as_row() for p in result.problems], code="school_matched_fuzzy")
    assert (problem["sheet"], problem["row"]) == ("2022", 15)  # 10 total, 11–14 above it
    assert "Пришколника" in str(problem["message"]) and "Пришкольника" in str(problem["message"])


def test_a_typed_subtotal_mean_without_any_school_is_reported_not_kept(tmp_path: Path) -> None:
    variant = _small(total=None)
    variant.municipalities[1].subtotal_mean[MATH] = 44.0  # no school of Ленинский has math
    result = _read(tmp_path, variant)
    problem = one([p.as_row() for p in result.problems], code="mean_without_participants")
    assert (problem["row"], str(problem["column"])[0]) == (13, "L")
    assert not [r for r in rows(result, "reference") if r["municipality"] == "Ленинский район"]


def test_two_similar_schools_of_another_year_are_reported_not_merged(tmp_path: Path) -> None:
    newer = _small(total=None)
    newer.municipalities[1] = Municipality("Смидовичский район", [
        School('МБОУ "СОШ № 2 п.Николаевка"', {RUS: (5, 0, 0, 0, 50)}),
        School('МБОУ "СОШ № 7 п.Николаевка"', {RUS: (6, 0, 0, 0, 51)})])
    older = _small(sheet="2022", total=None)
    older.municipalities[1] = Municipality("Смидовичский район", [
        School('МБОУ "СОШ п.Николаевка"', {RUS: (7, 0, 0, 0, 52)})])  # which one? no number
    result = _read(tmp_path, newer, older)
    problem = one([p.as_row() for p in result.problems], code="ambiguous_school")
    assert (problem["sheet"], problem["row"]) == ("2022", 14)  # 10, 11, 12, 13 above it
    assert "№ 2" in str(problem["message"]) and "№ 7" in str(problem["message"])
    keys = {r["school_key"] for r in rows(result, "aggregates")
            if "Николаевка" in str(r["school_name"])}
    assert len(keys) == 3


def test_an_oge_table_with_marks_is_read(tmp_path: Path) -> None:
    variant = Variant(
        title="Результаты ОГЭ выпускников 9 классов в 2024 году", sheet="Лист1",
        measures=OGE_MEASURES, subjects=(RUS,),
        municipalities=[Municipality("Ленинский район", [
            School("МКОУ СОШ с. Биджан", {RUS: (12, 1, None, 6, 5, 3.9)})])],
    )
    row = one(rows(_read(tmp_path, variant), "aggregates"))
    assert (row["procedure"], row["grade"], row["year"]) == ("OGE", 9, 2024)
    assert (row["mark_2"], row["mark_3"], row["mark_4"], row["mark_5"]) == (1, 0, 6, 5)
    assert row["below_threshold"] is None and row["high_scorers"] is None


def test_a_gve_table_takes_its_grade_from_the_title_and_its_mean_as_a_mark(
        tmp_path: Path) -> None:
    variant = Variant(
        title="Результаты ГВЭ-11 выпускников школ в 2023 году", measures=OGE_MEASURES,
        subjects=(RUS,), municipalities=[Municipality("Ленинский район", [
            School("МКОУ СОШ с. Биджан", {RUS: (3, None, 1, 1, 1, 4.0)}),
            School('МКОУ "СОШ с. Дежнево"', {RUS: (2, None, 1, 1, None, 6.5)})])],
    )
    result = _read(tmp_path, variant)
    first, second = rows(result, "aggregates")
    assert (first["procedure"], first["grade"], first["score_scale"], first["mean_score"]) == (
        "GVE", 11, "mark", 4.0)
    assert (second["participants"], second["mean_score"]) == (2, None)  # 6,5 is no mark
    problem = one([p.as_row() for p in result.problems], code="mean_out_of_range")
    assert "6,5" in str(problem["message"]) and "2–5" in str(problem["message"])


def test_the_year_comes_from_hints_when_the_file_does_not_say(tmp_path: Path) -> None:
    variant = _small(sheet="Лист1", title="Результаты ЕГЭ по школам")
    with pytest.raises(UnreadableFile, match="год"):
        _read(tmp_path, variant)
    result = _read(tmp_path, variant, hints=ReadHints(year=2021))
    assert {r["year"] for r in rows(result, "aggregates")} == {2021}


def test_the_procedure_comes_from_hints_when_the_title_does_not_say(tmp_path: Path) -> None:
    variant = _small(title="Результаты выпускников школ в 2023 году")
    with pytest.raises(UnreadableFile, match="процедур"):
        _read(tmp_path, variant)
    result = _read(tmp_path, variant, hints=ReadHints(procedure="ЕГЭ"))
    assert {r["procedure"] for r in rows(result, "aggregates")} == {"EGE"}
    with pytest.raises(UnreadableFile, match="«ВПР» не ЕГЭ, ОГЭ или ГВЭ"):
        _read(tmp_path, variant, hints=ReadHints(procedure="ВПР"))


def test_an_unknown_subject_is_reported_and_its_columns_skipped(tmp_path: Path) -> None:
    variant = _small(subjects=(RUS, "Астрономия, чел."))
    variant.total = {RUS: (35, 3, 7, 1, 63.1)}
    variant.municipalities[0].schools[0].results["Астрономия, чел."] = (3, 0, 0, 0, 50)
    result = _read(tmp_path, variant)
    problem = one([p.as_row() for p in result.problems], code="unknown_subject")
    assert (problem["sheet"], problem["row"]) == ("2023", 7)
    assert str(problem["column"]).startswith("H") and "Астрономия" in str(problem["message"])
    assert {r["subject"] for r in rows(result, "aggregates")} == {"rus"}


def test_an_applications_only_file_is_unreadable_with_the_reason(tmp_path: Path) -> None:
    variant = Variant(sheet="2024", applications=True, total={RUS: (5,)},
                      title="Информация о поданных заявлениях на участие в ЕГЭ",
                      municipalities=[Municipality("Ленинский район", [School("СОШ", {RUS: (5,)})])])
    with pytest.raises(UnreadableFile, match="заявлени"):
        _read(tmp_path, variant)


def test_a_total_that_does_not_match_the_schools_is_reported_not_rejected(tmp_path: Path) -> None:
    result = _read(tmp_path, _small(total={RUS: (36, 3, 7, 1, 63.1)}))
    problem = one([p.as_row() for p in result.problems], code="total_mismatch")
    assert "35" in str(problem["message"]) and "36" in str(problem["message"])
    assert (problem["row"], str(problem["column"])[0]) == (10, "C")
    assert len(rows(result, "aggregates")) == 4


# --- broken inputs ----------------------------------------------------------------------------

@pytest.mark.parametrize(("cells", "code", "column"), [
    (("десять", None, 2, None, 60.5), "not_a_number", "C"),
    ((-3, None, None, None, 60.5), "negative_count", "C"),
    ((10.5, None, None, None, 60.5), "fractional_count", "C"),
    ((None, None, None, None, 60.5), "mean_without_participants", "G"),
])
def test_a_subject_whose_participants_cannot_be_taken_is_rejected_and_the_rest_is_read(
        tmp_path: Path, cells: tuple[object, ...], code: str, column: str) -> None:
    variant = _small(total=None)
    variant.municipalities[0].schools[0].results[RUS] = cells
    result = _read(tmp_path, variant)
    problem = one([p.as_row() for p in result.problems], code=code)
    assert (problem["sheet"], problem["row"]) == ("2023", 11)  # 9 numbering, 10 subtotal
    assert str(problem["column"]).startswith(f"{column} (Русский язык")
    assert "СОШ № 5" in str(problem["message"]) and "не принят" in str(problem["message"])
    aggregates = rows(result, "aggregates")
    assert not [r for r in aggregates if r["school_name"] == 'МБОУ "СОШ № 5"' and r["subject"] == "rus"]
    assert one(aggregates, school_name='МБОУ "СОШ № 5"', subject="math_profile")["participants"] == 4
    assert len(aggregates) == 3 and result.rejected_rows == 1
    municipal = one(rows(result, "reference"), level="municipality", subject="rus")
    assert municipal["participants"] is None  # a school of it was rejected: no short recount


@pytest.mark.parametrize(("cells", "code", "column", "dropped"), [
    ((10, 11, 2, None, 60.5), "count_exceeds_participants", "D", ("below_threshold",)),
    ((10, None, 2, 118, 60.5), "count_exceeds_participants", "F", ("top_scorers",)),
    ((10, -1, 2, None, 60.5), "negative_count", "D", ("below_threshold",)),
    ((10, None, 2.5, None, 60.5), "fractional_count", "E", ("high_scorers",)),
    ((10, "нет", 2, None, 60.5), "not_a_number", "D", ("below_threshold",)),
    ((10, None, 8, 3, 60.5), "high_and_top_exceed_participants", "E",
     ("high_scorers", "top_scorers")),
    ((10, None, 2, None, 105), "mean_out_of_range", "G", ("mean_score",)),
    ((10, None, 2, None, "н/д"), "not_a_number", "G", ("mean_score",)),
])
def test_a_side_value_that_cannot_be_right_is_dropped_and_the_participants_kept(
        tmp_path: Path, cells: tuple[object, ...], code: str, column: str,
        dropped: tuple[str, ...]) -> None:
    """Issue 11, 3: a «получили 100 баллов» larger than the participants lost 508 participations."""
    variant = _small(total=None)
    variant.municipalities[0].schools[0].results[RUS] = cells
    result = _read(tmp_path, variant)
    problem = one([p.as_row() for p in result.problems], code=code)
    assert (problem["sheet"], problem["row"]) == ("2023", 11)
    assert str(problem["column"]).startswith(f"{column} (Русский язык")
    assert "значение не взято; участники (10)" in str(problem["message"])
    row = one(rows(result, "aggregates"), school_name='МБОУ "СОШ № 5"', subject="rus")
    assert row["participants"] == 10 and result.rejected_rows == 0
    for measure in dropped:
        assert row[measure] is None, measure
    if "mean_score" not in dropped:
        assert row["mean_score"] == 60.5
    assert one(rows(result, "reference"), level="municipality", subject="rus")["participants"] == 30


@pytest.mark.parametrize("cells", [(None, None, None, None, 0), (0, None, None, None, 0),
                                   (None, 0, 0, 0, 0), (0, None, None, None, None)])
def test_a_mean_of_zero_beside_no_participants_is_no_result_and_no_problem(
        tmp_path: Path, cells: tuple[object, ...]) -> None:
    """Issue 11, 2: 3,794 of 3,932 «problems» of a real table were this: nobody sat the subject."""
    variant = _small(total=None)
    variant.municipalities[0].schools[0].results[RUS] = cells
    result = _read(tmp_path, variant)
    assert result.problems == [] and result.rejected_rows == 0
    assert not [r for r in rows(result, "aggregates")
                if r["school_name"] == 'МБОУ "СОШ № 5"' and r["subject"] == "rus"]


def test_a_row_with_results_but_no_school_name_is_rejected(tmp_path: Path) -> None:
    variant = _small(total=None, extra_rows=[[None, None, 3, 0, 0, 0, 55]])
    result = _read(tmp_path, variant)
    problem = one([p.as_row() for p in result.problems], code="school_without_name")
    assert (problem["row"], str(problem["column"])[0]) == (15, "B")  # after 5 rows from 10
    assert len(rows(result, "aggregates")) == 4 and result.rejected_rows == 1


def test_a_garbage_row_under_the_header_is_rejected_cell_by_cell(tmp_path: Path) -> None:
    variant = _small(total=None, extra_rows=[[None, "???", "abc", "x?", None, None, "—", "!"]])
    result = _read(tmp_path, variant)
    assert [(p.code, p.row, p.column[0]) for p in result.problems] == [
        ("not_a_number", 15, "C"), ("not_a_number", 15, "D"), ("not_a_number", 15, "H")]
    assert len(rows(result, "aggregates")) == 4 and result.rejected_rows == 2  # two subjects


def test_an_empty_file_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFile, match="пуст"):
        read_file(path, "ege-by-school")


def test_a_file_that_is_not_a_spreadsheet_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "results.xlsx"
    path.write_text("это не таблица", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="не удаётся открыть"):
        read_file(path, "ege-by-school")


def test_a_workbook_without_the_header_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Школа", "Директор"])
    workbook.active.append(['МБОУ "СОШ № 5"', "Иванов"])
    workbook.save(path)
    with pytest.raises(UnreadableFile):
        read_file(path, "ege-by-school")


@pytest.mark.parametrize(("label", "measure"), [
    ("приняло участие", "participants"), ("Количество участников", "participants"),
    ("не преодолен min порог", "below_threshold"),
    ("высокобалльники \n(80-99 баллов)", "high_scorers"), ("получили 100 баллов", "top_scorers"),
    ("средний балл", "mean_score"), ("«2»", "mark_2"), ('получили "5"', "mark_5"),
    ("количество «4»", "mark_4"), (3, "mark_3"),
    ("Доля «2», %", None), ("% участников", None), ("Профиль", None),
])
def test_measure_headers_are_recognised_by_their_words(label: object, measure: str | None) -> None:
    assert measure_of(label) == measure


@pytest.mark.parametrize(("title", "region"), [
    ("Информация о результатах ЕГЭ выпускников школ Красноярского края в 2023 году",
     "Красноярский край"),
    ("Результаты ЕГЭ в Еврейской автономной области, 2023 год", "Еврейская автономная область"),
    ("Итоги ЕГЭ 2023 года, Ханты-Мансийского автономного округа – Югры",
     "Ханты-Мансийский автономный округ"),
    ("Результаты ЕГЭ в школах Республики Татарстан в 2023 году", "Республика Татарстан"),
    ("Результаты ЕГЭ по школам Смидовичского муниципального округа в 2023 году", None),
])
def test_the_region_named_in_the_title_rows_is_the_schools_region(
        tmp_path: Path, title: str, region: str | None) -> None:
    """Issue 11, 7: the region above the header («… края») was left empty."""
    result = _read(tmp_path, _small(title=title, region=None))
    assert {s["region"] for s in rows(result, "schools")} == {region}


def test_ege_basic_mathematics_is_read_as_a_mark_and_a_score_mean_is_a_problem(
        tmp_path: Path) -> None:
    base = "Математика базовая, чел."
    variant = _small(subjects=(RUS, base), total=None)
    variant.municipalities[0].schools[0].results[base] = (10, None, None, None, 4.5)
    variant.municipalities[0].schools[1].results[base] = (8, None, None, None, 45)
    result = _read(tmp_path, variant)
    first, second = [r for r in rows(result, "aggregates") if r["subject"] == "math_base"]
    assert (first["score_scale"], first["mean_score"]) == ("mark", 4.5)
    assert (second["participants"], second["mean_score"]) == (8, None)
    problem = one([p.as_row() for p in result.problems], code="mean_out_of_range")
    assert "45" in str(problem["message"]) and "2–5" in str(problem["message"])


def test_a_region_mean_far_from_its_schools_weighted_mean_is_replaced_with_both_numbers(
        tmp_path: Path) -> None:
    variant = _small(total={RUS: (35, 3, 7, 1, 9.74)})
    result = _read(tmp_path, variant)
    problem = one([p.as_row() for p in result.problems], code="total_mean_mismatch")
    assert "9,74" in str(problem["message"])
    region = one(rows(result, "reference"), level="region", subject="rus")
    assert region["mean_score"] != 9.74 and "взято среднее школ" in str(region["source"])
