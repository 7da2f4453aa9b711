"""Опора's fill-in templates: the shipped blank files, reading filled-in copies, the checks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from opora.cli import main
from opora.formats import UnreadableFile, read_file
from opora.formats.templates.files import TEMPLATES_DIR, write_templates
from opora.formats.templates.spec import TEMPLATES
from opora.formats.workbook import load_sheets

CONTEXT_TITLES = ["Школа (код)", "Учебный год (год начала)", "Обучающихся, чел.",
                  "Неполные семьи, %", "Обучающиеся с ОВЗ, %", "Педагогических работников, чел."]


def make_xlsx(path: Path, rows: list[list[object]], sheet: str = "Данные") -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def make_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    text = "\r\n".join(";".join("" if v is None else str(v) for v in row) for row in rows)
    path.write_bytes(text.encode(encoding))
    return path


def only(result, table: str) -> list[dict]:
    return result.tables[table].to_pylist() if table in result.tables else []


# --- the shipped blank templates ------------------------------------------------------------------

def test_shipped_templates_equal_what_the_generator_writes(tmp_path):
    written = write_templates(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in TEMPLATES_DIR.iterdir())
    for path in written:
        shipped = TEMPLATES_DIR / path.name
        if path.suffix == ".csv":
            assert shipped.read_bytes() == path.read_bytes(), path.name
        else:
            assert [(s.name, s.rows) for s in load_sheets(shipped)] == [
                (s.name, s.rows) for s in load_sheets(path)], path.name


def test_every_blank_template_is_recognised_as_its_own_format():
    expected = {"results": "results", "aggregates": "results", "context": "context",
                "markers": "markers", "rechecks": "rechecks"}
    for name, format_ in expected.items():
        for suffix in (".xlsx", ".csv"):
            result = read_file(TEMPLATES_DIR / f"{name}{suffix}")
            table = TEMPLATES[name].table.name
            assert (result.format, result.tables[table].num_rows) == (format_, 0), name + suffix
            assert result.problems == [] and result.skipped == []


def test_blank_template_explains_every_column_on_its_second_sheet():
    sheets = load_sheets(TEMPLATES_DIR / "context.xlsx")
    assert [s.name for s in sheets] == ["Данные", "Пояснения"]
    explained = [row[0] for row in sheets[1].rows[3:]]
    assert explained == [c.title for c in TEMPLATES["context"].columns]
    assert "Неполные семьи, %" in explained


def test_opora_template_writes_a_blank_that_reads_back(tmp_path):
    out = tmp_path / "markers.csv"
    assert main(["template", "markers", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_file(out).format == "markers"


# --- context ---------------------------------------------------------------------------------------

def test_filled_context_template_reads_back_exactly(tmp_path):
    path = make_xlsx(tmp_path / "context.xlsx", [
        CONTEXT_TITLES,
        ["edu053001", 2023, 412, 12.5, 3, 40],
        ["edu053002", 2023, 98, 0, 0, 11],
    ])
    result = read_file(path)
    assert result.problems == []
    rows = only(result, "context")
    assert [(r["school_key"], r["year"], r["students"], r["share_single_parent"], r["share_ovz"],
             r["teachers"]) for r in rows] == [
        ("edu053001", 2023, 412, 12.5, 3.0, 40), ("edu053002", 2023, 98, 0.0, 0.0, 11)]
    assert rows[0]["source"] == "context.xlsx:Данные:2"


def test_context_csv_in_windows_1251_with_decimal_commas_is_read(tmp_path):
    path = make_csv(tmp_path / "паспорт.csv", [
        CONTEXT_TITLES, ["edu053001", "2023", "412", "12,5", "3", "40"]], encoding="cp1251")
    [row] = only(read_file(path), "context")
    assert (row["share_single_parent"], row["students"]) == (12.5, 412)


def test_share_above_100_is_rejected_with_the_place(tmp_path):
    path = make_xlsx(tmp_path / "context.xlsx", [
        CONTEXT_TITLES, ["edu1", 2023, 412, 12.5, 3, 40], ["edu2", 2023, 300, 140, 3, 20]])
    result = read_file(path)
    [problem] = result.problems
    assert (problem.sheet, problem.row, problem.column) == ("Данные", 3, "D")
    assert "«Неполные семьи, %»" in problem.message and "140" in problem.message
    assert [r["school_key"] for r in only(result, "context")] == ["edu1"]


def test_shares_typed_as_fractions_are_not_multiplied_but_reported(tmp_path):
    path = make_xlsx(tmp_path / "context.xlsx", [
        CONTEXT_TITLES, ["edu1", 2023, 412, 0.125, 0.03, 40], ["edu2", 2023, 98, 0.2, 0, 11]])
    result = read_file(path)
    assert [p.code for p in result.problems] == ["shares_as_fractions"]
    assert "проценты" in result.problems[0].message
    assert only(result, "context") == [] and result.rejected_rows == 2


def test_repeated_school_and_year_reject_both_rows(tmp_path):
    path = make_xlsx(tmp_path / "context.xlsx", [
        CONTEXT_TITLES, ["edu1", 2023, 412, 12, 3, 40], ["edu1", 2023, 400, 11, 3, 40],
        ["edu1", 2024, 400, 11, 3, 40]])
    result = read_file(path)
    assert sorted((p.row, p.code) for p in result.problems) == [
        (2, "duplicate_key"), (3, "duplicate_key")]
    assert [r["year"] for r in only(result, "context")] == [2024]


def test_missing_required_column_makes_the_file_unreadable(tmp_path):
    path = make_xlsx(tmp_path / "context.xlsx", [
        [t for t in CONTEXT_TITLES if t != "Учебный год (год начала)"], ["edu1", 412, 12, 3, 40]])
    with pytest.raises(UnreadableFile, match="«Учебный год \\(год начала\\)»"):
        read_file(path)


def test_a_word_where_a_number_belongs_is_rejected(tmp_path):
    path = make_xlsx(tmp_path / "context.xlsx", [
        CONTEXT_TITLES, ["edu1", 2023, "много", 12, 3, 40]])
    [problem] = read_file(path).problems
    assert (problem.row, problem.column) == (2, "C")
    assert "«много» — не число" in problem.message


# --- aggregates and results -----------------------------------------------------------------------

AGG = ["Школа (код)", "Процедура", "Год", "Класс (параллель)", "Предмет", "Участников, чел.",
       "Получили «2», чел.", "Получили «3», чел.", "Получили «4», чел.", "Получили «5», чел.",
       "Средний балл", "Шкала среднего балла"]


def test_aggregates_accept_russian_names_of_procedure_and_subject(tmp_path):
    path = make_xlsx(tmp_path / "итоги.xlsx", [
        AGG, ["edu1", "ВПР", 2024, 4, "Русский язык", 20, 1, 5, 10, 4, 14.5, "первичный"],
        ["edu2", "огэ", 2024, 9, "МА", 20, 2, 8, 8, 2, 3.5, "отметка"]])
    result = read_file(path)
    assert result.problems == []
    assert [(r["procedure"], r["subject"], r["score_scale"]) for r in only(result, "aggregates")] \
        == [("VPR", "rus", "primary"), ("OGE", "math", "mark")]


def test_marks_adding_up_to_more_than_the_participants_are_dropped_and_the_row_kept(tmp_path):
    path = make_xlsx(tmp_path / "итоги.xlsx", [
        AGG, ["edu1", "ВПР", 2024, 4, "РУ", 20, 1, 5, 10, 5, 14.5, "первичный"]])
    result = read_file(path)
    [problem] = result.problems
    assert (problem.row, problem.column, problem.code) == (2, "G", "part_exceeds_whole")
    assert "(21) больше числа участников (20)" in problem.message
    assert "значение не взято" in problem.message and result.rejected_rows == 0
    [row] = only(result, "aggregates")
    assert (row["participants"], row["mean_score"]) == (20, 14.5)
    assert [row[f"mark_{m}"] for m in (2, 3, 4, 5)] == [None] * 4


def test_a_mean_outside_its_scale_is_dropped_and_the_participants_kept(tmp_path):
    path = make_xlsx(tmp_path / "итоги.xlsx", [
        AGG, ["edu1", "ЕГЭ", 2024, 11, "Математика (базовый уровень)", 20, None, None, None,
              None, 45, "отметка"]])
    result = read_file(path)
    [problem] = result.problems
    assert (problem.column, problem.code) == ("K", "bad_value") and "2–5" in problem.message
    [row] = only(result, "aggregates")
    assert (row["participants"], row["mean_score"], row["subject"]) == (20, None, "math_base")


def test_unknown_subject_and_procedure_are_rejected(tmp_path):
    path = make_xlsx(tmp_path / "итоги.xlsx", [
        AGG, ["edu1", "ВПР", 2024, 4, "астрология", 20, 1, 5, 10, 4, 14.5, "первичный"],
        ["edu2", "КДР", 2024, 4, "РУ", 20, 1, 5, 10, 4, 14.5, "первичный"]])
    problems = read_file(path).problems
    assert [(p.row, p.column) for p in problems] == [(2, "E"), (3, "B")]
    assert "неизвестный предмет «астрология»" in problems[0].message
    assert "неизвестная процедура «КДР»" in problems[1].message


def test_student_level_results_template_reads_participants(tmp_path):
    titles = ["Школа (код)", "Процедура", "Год", "Класс (параллель)", "Предмет", "Код участника",
              "Отсутствовал (да/нет)", "Первичный балл", "Отметка (2–5)"]
    path = make_xlsx(tmp_path / "ученики.xlsx", [
        titles, ["edu1", "ВПР", 2024, 4, "РУ", 40001, None, 31, 4],
        ["edu1", "ВПР", 2024, 4, "РУ", 40002, "да", None, None],
        ["edu1", "ВПР", 2024, 4, "РУ", 40003, "да", 12, None]])
    result = read_file(path)
    rows = only(result, "results")
    assert [(r["participant_code"], r["absent"], r["primary_score"], r["mark"]) for r in rows] == [
        ("40001", False, 31.0, 4), ("40002", True, None, None)]
    assert [(p.row, p.code) for p in result.problems] == [(4, "absent_with_scores")]


# --- markers ---------------------------------------------------------------------------------------

def test_marker_4_ru_becomes_grade_4_russian(tmp_path):
    path = make_xlsx(tmp_path / "маркеры.xlsx", [
        ["Школа (код)", "Год", "Маркер"], ["edu1", 2024, "4 РУ"], ["edu1", 2024, "5МА"],
        ["edu2", 2024, "4 ЯЯ"]])
    result = read_file(path)
    assert [(r["grade"], r["subject"], r["marker"]) for r in only(result, "markers")] == [
        (4, "rus", "4 РУ"), (5, "math", "5 МА")]
    [problem] = result.problems
    assert (problem.row, problem.column) == (4, "C") and "«4 ЯЯ»" in problem.message


def test_user_guide_names_every_template_column():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "templates.md").read_text("utf-8")
    for template in TEMPLATES.values():
        for column in template.columns:
            assert f"| {column.title} |" in guide, column.title


def test_a_column_title_given_twice_makes_the_file_unreadable(tmp_path):
    path = make_xlsx(tmp_path / "context.xlsx", [
        [*CONTEXT_TITLES, "Неполные семьи, %"], ["edu1", 2023, 412, 12, 3, 40, 15]])
    with pytest.raises(UnreadableFile, match="«Неполные семьи, %» встречается дважды"):
        read_file(path)
