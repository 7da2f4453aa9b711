"""Official lists as they are published (issue 11, point 5): the federal objectivity list, the
lists of low-results schools and of the 500+ project, and the regional re-check results."""

from __future__ import annotations

from pathlib import Path

import pytest
from list_variants import objectivity_list, official_list, write_rows

from opora.formats import UnreadableFile, read_file
from opora.formats.lists.official import list_kind


def _rows(result: object, table: str) -> list[dict[str, object]]:
    tables = result.tables  # type: ignore[attr-defined]
    return tables[table].to_pylist() if table in tables else []


def test_the_federal_objectivity_list_is_recognised_and_each_1_is_a_marker(tmp_path: Path) -> None:
    path = objectivity_list(tmp_path / "маркеры_2024.xlsx", [
        (2024, "sch053001", "Ленинский район", 'МКОУ "СОШ с. Биджан"', {"4 РУ": 1, "5 МА": 1}, 2),
        (2024, "sch053002", "город Биробиджан", 'МБОУ "СОШ № 5"', {"6 ИС": 1}, 1),
        (2023, "sch053001", "Ленинский район", 'МКОУ "СОШ с. Биджан"', {"4 МА": 1, "4 РУ": 0}, 1),
    ], numbering=True)
    result = read_file(path)
    assert result.format == "objectivity-list" and result.problems == []
    markers = _rows(result, "markers")
    assert [(m["school_key"], m["year"], m["marker"], m["grade"], m["subject"]) for m in markers] \
        == [("sch053001", 2024, "4 РУ", 4, "rus"), ("sch053001", 2024, "5 МА", 5, "math"),
            ("sch053002", 2024, "6 ИС", 6, "history"), ("sch053001", 2023, "4 МА", 4, "math")]
    assert markers[0]["municipality"] == "Ленинский район"
    assert markers[0]["school_name"] == 'МКОУ "СОШ с. Биджан"'


def test_a_total_that_does_not_match_the_marker_columns_is_reported_with_both_numbers(
        tmp_path: Path) -> None:
    path = objectivity_list(tmp_path / "list.xlsx", [
        (2024, "sch1", "Р", "СОШ № 1", {"4 РУ": 1, "5 МА": 1}, 3)])
    result = read_file(path)
    [problem] = result.problems
    assert problem.code == "marker_total_mismatch" and problem.row == 4
    assert "3" in problem.message and "(2)" in problem.message
    assert len(_rows(result, "markers")) == 2 and result.rejected_rows == 0


def test_a_marker_cell_that_is_not_1_is_left_out_and_the_rest_kept(tmp_path: Path) -> None:
    path = objectivity_list(tmp_path / "list.xlsx", [
        (2024, "sch1", "Р", "СОШ № 1", {"4 РУ": 1, "5 МА": "да?"}, None)])
    result = read_file(path)
    [problem] = result.problems
    assert problem.code == "bad_value" and problem.column.startswith("I (5 МА)")
    assert [m["marker"] for m in _rows(result, "markers")] == ["4 РУ"]


def test_a_row_without_a_login_is_rejected(tmp_path: Path) -> None:
    path = objectivity_list(tmp_path / "list.xlsx", [
        (2024, None, "Р", "СОШ № 1", {"4 РУ": 1}, 1), (2024, "sch2", "Р", "СОШ № 2", {"4 РУ": 1}, 1)])
    result = read_file(path)
    assert [p.code for p in result.problems] == ["required_missing"]
    assert result.rejected_rows == 1 and len(_rows(result, "markers")) == 1


@pytest.mark.parametrize(("texts", "kind"), [
    (("Перечень школ с низкими образовательными результатами на 2024 год",), "low_results_official"),
    (("", "ШНОР 2024"), "low_results_official"),
    (("Список ОО — участников проекта «500+»",), "project_500"),
    (("", "", "500 плюс 2023"), "project_500"),
    (("Перечень ШНСУ",), "adverse_context_official"),
    (("Список школ", "Лист1", "список"), None),
])
def test_the_kind_of_a_list_comes_from_its_title_sheet_or_file_name(
        texts: tuple[str, ...], kind: str | None) -> None:
    assert list_kind(*texts) == kind


def test_a_ministry_list_of_low_results_schools_is_read_by_year(tmp_path: Path) -> None:
    path = official_list(
        tmp_path / "перечень.xlsx",
        "Перечень общеобразовательных организаций с низкими образовательными результатами",
        ["Год", "Логин", "Муниципальное образование", "Наименование ОО"],
        [[2024, "sch053001", "Ленинский район", 'МКОУ "СОШ с. Биджан"'],
         [2023, "sch053001", "Ленинский район", 'МКОУ "СОШ с. Биджан"']])
    result = read_file(path)
    assert result.format == "official-list" and result.problems == []
    rows = _rows(result, "official_lists")
    assert [(r["school_key"], r["year"], r["list_kind"], r["fis_oko_login"]) for r in rows] == [
        ("sch053001", 2024, "low_results_official", "sch053001"),
        ("sch053001", 2023, "low_results_official", "sch053001")]
    assert "Перечень общеобразовательных организаций" in str(rows[0]["source"])
    assert "перечень.xlsx:Лист1:4" in str(rows[0]["source"])


def test_a_500_plus_list_by_name_takes_its_year_from_the_title(tmp_path: Path) -> None:
    path = official_list(tmp_path / "list.xlsx", "Школы проекта 500+ на 2023 год",
                         ["Муниципалитет", "Образовательная организация"],
                         [["город Биробиджан", 'МБОУ "СОШ № 5"']])
    [row] = _rows(read_file(path), "official_lists")
    assert (row["year"], row["list_kind"], row["fis_oko_login"]) == (2023, "project_500", None)
    assert row["school_key"] == "г.биробиджан:сош-№5"


def test_a_list_that_does_not_say_what_it_is_is_not_read(tmp_path: Path) -> None:
    path = official_list(tmp_path / "список.xlsx", "Список школ",
                         ["Год", "Логин", "Муниципалитет"], [[2024, "sch1", "Р"]])
    with pytest.raises(UnreadableFile, match="«ШНОР», «ШНСУ» или «500\\+»"):
        read_file(path)


def test_regional_recheck_results_are_read_with_their_numbers(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "перепроверка.xlsx", [
        ["Школа (код)", "Процедура", "Год", "Класс (параллель)", "Предмет",
         "Перепроверено работ, шт.", "Работ с изменённой отметкой, шт.", "Среднее изменение балла"],
        ["sch053001", "ВПР", 2024, 4, "РУ", 25, 9, "-2,4"],
        ["sch053002", "ВПР", 2024, 5, "МА", 10, 12, -0.5]])
    result = read_file(path)
    assert result.format == "rechecks"
    first, second = _rows(result, "rechecks")
    assert (first["works_rechecked"], first["works_changed"], first["mean_change"]) == (25, 9, -2.4)
    assert (second["works_rechecked"], second["works_changed"]) == (10, None)  # 12 > 10: dropped
    [problem] = result.problems
    assert problem.code == "part_exceeds_whole" and "значение не взято" in problem.message
