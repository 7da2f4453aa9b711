"""Repeated problems shown as one line per kind and column (issue 11, point 2)."""

from __future__ import annotations

from opora.formats.base import Problem
from opora.formats.grouping import group_problems


def _top(row: int) -> Problem:
    return Problem("f.xlsx", f"строка {row}: 100 баллов больше участников", "count_exceeds_participants",
                   "2023", row, "AE (Обществознание — получили 100 баллов)")


def test_one_line_per_code_sheet_and_column_with_the_count_and_first_rows() -> None:
    problems = [_top(r) for r in range(10, 128)] + [
        Problem("f.xlsx", "средний балл не указан", "mean_missing", "2023", 54, "S"),
        Problem("f.xlsx", "лист пропущен", "sheet_skipped", "2024")]
    groups = group_problems(problems)
    assert [(g.code, g.count) for g in groups] == [
        ("count_exceeds_participants", 118), ("mean_missing", 1), ("sheet_skipped", 1)]
    line = groups[0].line()
    assert "лист «2023», столбец AE" in line and "строки 10, 11, 12, 13, 14 и ещё 113" in line
    assert "118 раз" in line and "строка 10: 100 баллов больше участников" in line
    assert groups[2].line() == "лист «2024»: лист пропущен"


def test_stored_problem_dictionaries_group_the_same_way() -> None:
    rows = [_top(r).as_row() for r in (12, 15)]
    [group] = group_problems(rows)
    assert (group.count, group.first_rows) == (2, [12, 15])


def test_row_problems_without_a_column_group_by_code_and_sheet() -> None:
    problems = [Problem("f.xlsx", f"школа {i}: вероятно, та же", "school_match_suggested", "2022",
                        i) for i in (5, 9)]
    [group] = group_problems(problems)
    assert group.count == 2 and group.rows == [5, 9]


def test_a_message_that_names_its_file_is_not_prefixed_with_it_again() -> None:
    problem = Problem("x.xlsx", "файл x.xlsx: не удалось определить формат", "unreadable_file")
    assert problem.text() == "файл x.xlsx: не удалось определить формат"
    placed = Problem("x.xlsx", "в ячейке не число", "not_a_number", "2023", 5, "C")
    assert placed.text() == "файл x.xlsx, лист «2023», строка 5, столбец C: в ячейке не число"
