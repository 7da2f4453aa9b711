"""The ВПР collection form reader on the real sample and on broken forms built here.

Expected numbers are typed by hand from the sample file (opened and read cell by cell), never
taken from the reader's output.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest

from opora.cli import main
from opora.formats import ReadHints, UnreadableFile, read_file
from opora.schemas import PROBLEM_COLUMNS, RESULTS, TASKS

HINTS = ReadHints(school_key="edu053001", subject="РУ", grade=4, year=2024)
HEADER = ["Код", "Вариант (часть 1)", "1 (1б)", "2 (1б)", "3 (2б)", "Класс №", "Пол",
          "Отметка за предыдущий триместр/ четверть/полугодие", "Итого баллов"]
NAME = "edu053001_РУ_4_2024.xlsx"


def make_form(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A workbook with the given sheets (each a list of rows, header included)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def one_sheet(tmp_path: Path, *rows: list[object], name: str = NAME) -> Path:
    return make_form(tmp_path / name, {"Протокол": [HEADER, *rows]})


def by_code(result, code: str) -> dict:
    rows = [r for r in result.tables["results"].to_pylist() if r["participant_code"] == code]
    assert len(rows) == 1
    return rows[0]


# --- the real sample -------------------------------------------------------------------------

def test_participant_40001_on_the_real_form_has_the_scores_of_its_row_and_their_sum(realdata):
    result = read_file(realdata / "vpr_protocol_form.xlsx", hints=HINTS)
    row = by_code(result, "40001")
    # sheet «Протокол», row 2: C..J, then (K is «Вариант (часть 2)») L..R
    expected = [1, 1, 2, 1, 1, 1, 1, 1, *[1, 2, 1, 1, 2, 2, 2]]
    assert row["task_scores"] == expected
    assert row["primary_score"] == 9 + 11
    assert (row["variant"], row["sex"], row["term_mark"], row["class_label"]) == (1, "м", 5, "1")
    assert row["source"] == "vpr_protocol_form.xlsx:Протокол:2"


def test_participant_40018_total_is_recomputed_from_the_tasks(realdata):
    result = read_file(realdata / "vpr_protocol_form.xlsx", hints=HINTS)
    row = by_code(result, "40018")
    assert row["task_scores"] == [0, 1, 1, 0, 1, 1, 0, 0, *[0, 0, 0, 0, 2, 1, 2]]
    assert row["primary_score"] == 4 + 5


def test_real_form_has_18_present_and_2_absent_participants(realdata):
    result = read_file(realdata / "vpr_protocol_form.xlsx", hints=HINTS)
    rows = result.tables["results"].to_pylist()
    assert sum(not r["absent"] for r in rows) == 18
    absent = [r for r in rows if r["absent"]]
    assert sorted(r["participant_code"] for r in absent) == ["40019", "40020"]
    assert all(r["task_scores"] is None and r["primary_score"] is None for r in absent)
    assert {(r["school_key"], r["procedure"], r["subject"], r["grade"], r["year"])
            for r in rows} == {("edu053001", "VPR", "rus", 4, 2024)}


def test_real_form_tasks_are_the_15_task_columns_with_their_maxima(realdata):
    result = read_file(realdata / "vpr_protocol_form.xlsx", hints=HINTS)
    tasks = result.tables["tasks"].to_pylist()
    assert [t["max_score"] for t in tasks] == [1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2, 2, 2]
    assert [t["task_label"] for t in tasks][-2:] == ["11.3 k1", "12"]
    assert [t["task_no"] for t in tasks] == list(range(1, 16))


def test_second_real_sheet_repeats_the_first_and_is_read_once(realdata):
    result = read_file(realdata / "vpr_protocol_form.xlsx", hints=HINTS)
    assert result.tables["results"].num_rows == 20
    assert [(s.sheet, s.code) for s in result.skipped] == [("Протокол_2", "sheet_duplicate")]
    assert result.problems == [] and result.rejected_rows == 0


def test_second_real_sheet_alone_reads_the_same_participants(realdata, tmp_path):
    workbook = openpyxl.load_workbook(realdata / "vpr_protocol_form.xlsx")
    workbook.remove(workbook["Протокол"])
    workbook.save(tmp_path / "second.xlsx")
    result = read_file(tmp_path / "second.xlsx", hints=HINTS)
    rows = result.tables["results"].to_pylist()
    assert (len(rows), sum(r["absent"] for r in rows)) == (20, 2)
    assert by_code(result, "40001")["task_scores"] == [1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2, 2, 2]


def test_real_form_without_metadata_writes_nothing_and_says_how_to_give_it(realdata):
    result = read_file(realdata / "vpr_protocol_form.xlsx")
    assert "results" not in result.tables
    assert result.rejected_rows == 20
    [problem] = result.problems
    assert problem.code == "metadata_missing"
    for word in ("школа", "предмет", "класс", "год", "--school", "--subject", "--grade", "--year"):
        assert word in problem.message


# --- metadata from the file name ---------------------------------------------------------------

def test_school_subject_grade_and_year_come_from_the_file_name(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, 0, 2, "4А", "ж", 5, None],
                     name="edu053002_математика_5 класс_2023.xlsx")
    row = by_code(read_file(path), "40001")
    assert (row["school_key"], row["subject"], row["grade"], row["year"]) == (
        "edu053002", "math", 5, 2023)


def test_hints_win_over_the_file_name(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, 0, 2, "4А", "ж", 5, None])
    row = by_code(read_file(path, hints=ReadHints(subject="математика", grade=5)), "40001")
    assert (row["subject"], row["grade"], row["school_key"]) == ("math", 5, "edu053001")


def test_an_unknown_subject_hint_makes_the_file_unreadable(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, 0, 2, "4А", "ж", 5, None])
    with pytest.raises(UnreadableFile, match="предмет «астрология»"):
        read_file(path, hints=ReadHints(subject="астрология"))


# --- row checks ----------------------------------------------------------------------------------

def test_score_above_task_maximum_is_rejected_with_the_place(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, 0, 2, "1", "м", 4, None],
                     [40002, 1, 1, 1, 3, "1", "ж", 4, None])
    result = read_file(path)
    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column, problem.code) == (
        "Протокол", 3, "E", "score_above_max")
    assert "балл 3 больше максимума 2 за задание 3" in problem.message
    assert "«3 (2б)»" in problem.message
    assert [r["participant_code"] for r in result.tables["results"].to_pylist()] == ["40001"]
    assert result.rejected_rows == 1


def test_non_numeric_score_is_rejected_as_not_a_number(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, "abc", 0, 2, "1", "м", 4, None])
    [problem] = read_file(path).problems
    assert (problem.row, problem.column, problem.code) == (2, "C", "score_not_number")
    assert "«abc» — не число" in problem.message


@pytest.mark.parametrize(("score", "code"), [(-1, "score_negative"), (0.5, "score_fractional")])
def test_negative_and_fractional_scores_are_rejected(tmp_path, score, code):
    path = one_sheet(tmp_path, [40001, 1, 1, score, 2, "1", "м", 4, None])
    [problem] = read_file(path).problems
    assert (problem.column, problem.code) == ("D", code)


def test_a_cross_for_a_task_not_started_counts_as_zero(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, "Х", "x", 2, "1", "м", 4, None])
    row = by_code(read_file(path), "40001")
    assert (row["task_scores"], row["primary_score"]) == ([0, 0, 2], 2)


def test_an_empty_task_cell_of_a_present_participant_is_not_taken_as_zero(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, None, 2, "1", "м", 4, None])
    result = read_file(path)
    [problem] = result.problems
    assert (problem.column, problem.code) == ("D", "scores_incomplete")
    assert "задания 2" in problem.message
    assert "results" not in result.tables or result.tables["results"].num_rows == 0


def test_a_present_participant_without_any_score_is_rejected(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, None, None, None, "1", "м", 4, None])
    assert [p.code for p in read_file(path).problems] == ["scores_missing"]


def test_term_mark_outside_2_to_5_is_rejected_and_not_available_is_empty(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, 1, 2, "1", "м", 7, None],
                     [40002, 1, 1, 1, 2, "1", "ж", "н/а", None])
    result = read_file(path)
    [problem] = result.problems
    assert (problem.row, problem.column, problem.code) == (2, "H", "term_mark_invalid")
    assert by_code(result, "40002")["term_mark"] is None


def test_a_code_repeated_on_one_sheet_rejects_every_copy(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, 1, 2, "1", "м", 4, None],
                     [40001, 2, 0, 0, 1, "1", "ж", 3, None],
                     [40003, 2, 0, 0, 1, "1", "ж", 3, None])
    result = read_file(path)
    assert sorted((p.row, p.code) for p in result.problems) == [
        (2, "code_duplicate"), (3, "code_duplicate")]
    assert [r["participant_code"] for r in result.tables["results"].to_pylist()] == ["40003"]
    assert result.rejected_rows == 2


def test_absent_participant_with_scores_is_rejected(tmp_path):
    path = one_sheet(tmp_path, [40001, "отсутствовал", 1, None, None, "1", "м", None, None])
    assert [p.code for p in read_file(path).problems] == ["absent_with_scores"]


# --- layout ---------------------------------------------------------------------------------------

def test_header_is_found_below_title_rows_and_columns_by_their_text(tmp_path):
    header = ["Пол", "Итого баллов", "1 (1б)", "Код", "2 (2б)", "Вариант (часть 1)"]
    path = make_form(tmp_path / NAME, {"Форма": [
        ["Результаты ВПР"], [], header, ["ж", None, 1, "00412", 2, 3]]})
    row = by_code(read_file(path), "00412")
    assert (row["task_scores"], row["variant"], row["sex"]) == ([1, 2], 3, "ж")
    assert read_file(path).problems == []


def test_spare_formula_lines_at_the_end_are_ignored_silently(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, 1, 2, "1", "м", 4, "=SUM(C2:E2)"],
                     [None, None, None, None, None, None, None, None, "=SUM(C3:E3)"])
    result = read_file(path)
    assert (result.problems, result.rejected_rows, result.tables["results"].num_rows) == ([], 0, 1)


def test_a_form_without_the_code_column_is_unreadable(tmp_path):
    header = [h for h in HEADER if h != "Код"]
    path = make_form(tmp_path / NAME, {"Протокол": [header, [1, 1, 1, 2, "1", "м", 4, None]]})
    with pytest.raises(UnreadableFile, match="нет столбца «Код»"):
        read_file(path)


def test_a_sheet_without_the_form_header_is_reported_as_skipped(tmp_path):
    path = make_form(tmp_path / NAME, {"Протокол": [HEADER, [40001, 1, 1, 1, 2, "1", "м", 4]],
                                       "Классы": [["4А"], ["4Б"]]})
    result = read_file(path)
    assert [(s.sheet, s.code) for s in result.skipped] == [("Классы", "sheet_skipped")]
    assert result.exit_code == 0


def test_two_sheets_with_different_tasks_and_no_names_conflict(tmp_path):
    other = ["Код", "Вариант (часть 1)", "1 (2б)", "2 (2б)", "Итого баллов"]
    path = make_form(tmp_path / NAME, {"Лист1": [HEADER, [40001, 1, 1, 1, 2, "1", "м", 4]],
                                       "Лист2": [other, [40001, 1, 2, 2]]})
    result = read_file(path)
    assert [(p.sheet, p.code) for p in result.problems] == [("Лист2", "layout_conflict")]
    assert result.rejected_rows == 1


def test_two_sheets_named_by_subject_are_two_works(tmp_path):
    other = ["Код", "Вариант (часть 1)", "1 (2б)", "2 (2б)", "Итого баллов"]
    path = make_form(tmp_path / "edu053001_2024.xlsx", {
        "РУ 4 класс": [HEADER, [40001, 1, 1, 1, 2, "1", "м", 4]],
        "МА 4 класс": [other, [40001, 1, 2, 2]]})
    result = read_file(path)
    assert result.problems == []
    rows = result.tables["results"].to_pylist()
    assert sorted((r["subject"], r["primary_score"]) for r in rows) == [("math", 4), ("rus", 4)]
    assert result.tables["tasks"].num_rows == 3 + 2


def test_one_participant_with_different_data_on_two_sheets_is_rejected_on_both(tmp_path):
    path = make_form(tmp_path / NAME, {"А": [HEADER, [40001, 1, 1, 1, 2, "1", "м", 4]],
                                       "Б": [HEADER, [40001, 1, 0, 1, 2, "1", "м", 4]]})
    result = read_file(path)
    assert sorted(p.sheet for p in result.problems) == ["А", "Б"]
    assert {p.code for p in result.problems} == {"participant_conflict"}
    assert "results" not in result.tables or result.tables["results"].num_rows == 0


# --- files that are not forms ---------------------------------------------------------------------

def test_a_text_file_named_xlsx_is_unreadable(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_text("это не таблица", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="не удаётся открыть"):
        read_file(path)


def test_a_png_is_unreadable(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    with pytest.raises(UnreadableFile, match="не поддерживается"):
        read_file(path)


def test_an_empty_workbook_is_unreadable(tmp_path):
    path = make_form(tmp_path / NAME, {"Протокол": []})
    with pytest.raises(UnreadableFile, match="не содержит данных"):
        read_file(path)


# --- the command line -----------------------------------------------------------------------------

def test_opora_read_of_the_real_form_exits_0_and_writes_the_schema(realdata, tmp_path):
    code = main(["read", str(realdata / "vpr_protocol_form.xlsx"), "--out", str(tmp_path),
                 "--school", "edu053001", "--subject", "РУ", "--grade", "4", "--year", "2024"])
    assert code == 0
    results = pq.read_table(tmp_path / "results.parquet")
    assert results.schema.equals(RESULTS.schema) and results.num_rows == 20
    assert pq.read_table(tmp_path / "tasks.parquet").schema.equals(TASKS.schema)
    with (tmp_path / "problems.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == PROBLEM_COLUMNS and rows[0]["code"] == "sheet_duplicate"


def test_opora_read_with_a_rejected_row_exits_1_and_keeps_the_good_rows(tmp_path):
    path = one_sheet(tmp_path, [40001, 1, 1, 1, 2, "1", "м", 4], [40002, 1, 1, 1, 9, "1", "ж", 4])
    assert main(["read", str(path), "--out", str(tmp_path / "out")]) == 1
    assert pq.read_table(tmp_path / "out" / "results.parquet").num_rows == 1
    with (tmp_path / "out" / "problems.csv").open(encoding="utf-8-sig") as handle:
        [problem] = list(csv.DictReader(handle))
    assert (problem["row"], problem["column"], problem["code"]) == ("3", "E", "score_above_max")


def test_opora_read_of_the_real_form_without_metadata_exits_1(realdata, tmp_path):
    assert main(["read", str(realdata / "vpr_protocol_form.xlsx"), "--out", str(tmp_path)]) == 1


def test_opora_read_of_a_png_exits_2(tmp_path, capsys):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert main(["read", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "ошибка:" in capsys.readouterr().err


# --- reading names conservatively ---------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("edu053001_РУ_4_2024", ("edu053001", "rus", 4, 2024)),
    ("ВПР окружающий мир 4 класс 2023", (None, "okr_mir", 4, 2023)),
    ("edu053001_4_5_МА", ("edu053001", "math", None, None)),  # two grades: neither
    ("МА и РУ 4", (None, None, 4, None)),  # two subjects: neither
    ("математика профиль 2024", (None, "math_profile", None, 2024)),
    ("отчёт 1999", (None, None, None, None)),  # not a year of ВПР
])
def test_file_names_give_only_what_they_say_unambiguously(name, expected):
    from opora.formats.vpr.metadata import meta_from_name

    meta = meta_from_name(name)
    assert (meta.school_key, meta.subject, meta.grade, meta.year) == expected


def test_a_numbered_sheet_name_is_not_a_grade():
    from opora.formats.vpr.metadata import meta_from_name

    assert meta_from_name("Протокол_2", bare_grade=False).grade is None
    assert meta_from_name("РУ 5 класс", bare_grade=False).grade == 5


def test_a_form_saved_as_csv_in_windows_1251_is_read_and_its_spare_lines_ignored(tmp_path):
    lines = [";".join(HEADER), "40001;1;1;1;2;4А;м;4;4", "40002;отсутствовал;;;;;;;0", ";;;;;;;;0"]
    path = tmp_path / "edu053001_РУ_4_2024.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1251"))
    result = read_file(path)
    assert (result.problems, result.rejected_rows) == ([], 0)
    assert [(r["participant_code"], r["absent"], r["primary_score"])
            for r in result.tables["results"].to_pylist()] == [("40001", False, 4), ("40002", True, None)]
