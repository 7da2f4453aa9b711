"""The normalised reader's range checks (``opora read``, ``opora analyze``) at both ends of each range.

Issue 19: a share bound of 1000 instead of 100 passed every test of this reader. Each range here
has its last good value and its first bad value on each side, read through a CSV file as a user's
file would be, with the problem's line, column and code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opora.formats import read_file
from opora.glossary import CONTEXT_COLUMNS

RESULTS_HEADER = ("school_key;procedure;year;grade;subject;participant_code;absent;"
                  "primary_score;mark;test_score;term_mark")


def _results(tmp_path: Path, **values: str) -> list[tuple[int | None, str, str]]:
    """One results row (line 2) with ``values`` replacing the defaults; the problems found."""
    row = {"school_key": "s1", "procedure": "VPR", "year": "2024", "grade": "4", "subject": "rus",
           "participant_code": "101", "absent": "false", "primary_score": "10", "mark": "4",
           "test_score": "", "term_mark": "4", **values}
    path = tmp_path / "results.csv"
    path.write_text(RESULTS_HEADER + "\n" + ";".join(row[c] for c in RESULTS_HEADER.split(";"))
                    + "\n", encoding="utf-8")
    result = read_file(path)
    rows = result.tables["results"].num_rows
    problems = [(p.row, p.column, str(p.code)) for p in result.problems]
    assert rows == (0 if problems else 1)  # a bad row is rejected, a good one kept
    return problems


@pytest.mark.parametrize(("column", "good", "bad", "code"), [
    ("year", ["2000", "2100"], ["1999", "2101"], "year_out_of_range"),
    ("grade", ["1", "11"], ["0", "12"], "grade_out_of_range"),
    ("mark", ["2", "5"], ["1", "6"], "mark_out_of_range"),
    ("term_mark", ["2", "5"], ["1", "6"], "mark_out_of_range"),
    ("test_score", ["0", "100"], ["-0.5", "100.5"], "score_out_of_range"),
    ("primary_score", ["0", "0.5"], ["-0.5"], "negative_score"),
])
def test_a_value_is_kept_at_the_ends_of_its_range_and_rejected_just_outside(
        tmp_path: Path, column: str, good: list[str], bad: list[str], code: str) -> None:
    for value in good:
        assert _results(tmp_path, **{column: value}) == [], value
    for value in bad:
        assert _results(tmp_path, **{column: value}) == [(2, column, code)], value


@pytest.mark.parametrize(("column", "value", "code"), [
    ("procedure", "ЕГЭ", "unknown_procedure"),
    ("subject", "russian", "unknown_subject"),
    ("school_key", "", "required_missing"),
    ("participant_code", "", "required_missing"),
    ("grade", "4.5", "not_an_integer"),
    ("primary_score", "десять", "not_a_number"),
])
def test_unknown_codes_missing_required_values_and_non_numbers_reject_the_row(
        tmp_path: Path, column: str, value: str, code: str) -> None:
    assert _results(tmp_path, **{column: value}) == [(2, column, code)]


def test_every_known_procedure_and_subject_code_is_accepted(tmp_path: Path) -> None:
    from opora.catalog import PROCEDURES, SUBJECTS

    for procedure in PROCEDURES:
        assert _results(tmp_path, procedure=procedure) == [], procedure
    for subject in SUBJECTS:
        assert _results(tmp_path, subject=subject) == [], subject


SHARES = [c.code for c in CONTEXT_COLUMNS if c.kind == "share"]


def _context(tmp_path: Path, column: str, value: str) -> list[tuple[int | None, str, str]]:
    path = tmp_path / "context.csv"
    path.write_text(f"school_key;year;{column}\ns1;2023;{value}\n", encoding="utf-8")
    result = read_file(path)
    return [(p.row, p.column, str(p.code)) for p in result.problems]


@pytest.mark.parametrize("column", SHARES)
def test_a_context_share_is_0_to_100_percent(tmp_path: Path, column: str) -> None:
    for good in ("0", "100", "37.5"):
        assert _context(tmp_path, column, good) == [], good
    for bad in ("-0.1", "100.1", "514"):  # 514: the seed table's «share» typed as a count
        assert _context(tmp_path, column, bad) == [(2, column, "share_out_of_range")], bad


def test_the_context_share_checks_cover_every_share_of_the_passport() -> None:
    assert len(SHARES) >= 9
    assert {"share_parents_higher_ed", "share_low_income", "share_ovz",
            "share_teachers_retirement_age"} <= set(SHARES)


def test_a_row_with_two_bad_values_is_reported_twice_and_rejected_once(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    path.write_text(RESULTS_HEADER + "\n"
                    "s1;VPR;1999;4;rus;101;false;10;7;;4\n"
                    "s1;VPR;2024;4;rus;102;false;10;4;;4\n", encoding="utf-8")
    result = read_file(path)
    assert sorted((p.row, p.column) for p in result.problems) == [(2, "mark"), (2, "year")]
    assert result.rejected_rows == 1
    assert result.tables["results"].num_rows == 1


@pytest.mark.parametrize(("values", "message"), [
    ({"year": "1999"}, "год 1999 вне диапазона 2000–2100"),
    ({"grade": "12"}, "класс 12 вне диапазона 1–11"),
    ({"mark": "6"}, "отметка 6 вне диапазона 2–5"),
    ({"term_mark": "1"}, "отметка за четверть 1 вне диапазона 2–5"),
    ({"test_score": "100.5"}, "тестовый балл 100,5 вне диапазона 0–100"),
    ({"test_score": "101"}, "тестовый балл 101 вне диапазона 0–100"),  # 101.0 said as «101»
    ({"primary_score": "-2"}, "отрицательный первичный балл -2"),
    ({"procedure": "ЕГЭ"}, "неизвестная процедура «ЕГЭ»; допустимы: "),
    ({"subject": "russian"}, "неизвестный предмет «russian»"),
    ({"school_key": ""}, "не заполнено обязательное поле «school_key»"),
])
def test_each_problem_says_the_value_and_the_range_in_russian(
        tmp_path: Path, values: dict[str, str], message: str) -> None:
    row = {"school_key": "s1", "procedure": "VPR", "year": "2024", "grade": "4",
           "subject": "rus", "participant_code": "101", "absent": "false", "primary_score": "10",
           "mark": "4", "test_score": "", "term_mark": "4", **values}
    path = tmp_path / "results.csv"
    path.write_text(RESULTS_HEADER + "\n" + ";".join(row[c] for c in RESULTS_HEADER.split(";"))
                    + "\n", encoding="utf-8")
    [problem] = read_file(path).problems
    assert problem.message.startswith(message), problem.message


def test_a_share_message_gives_the_value_with_a_decimal_comma(tmp_path: Path) -> None:
    path = tmp_path / "context.csv"
    path.write_text("school_key;year;share_ovz\ns1;2023;100.5\ns2;2023;514\n", encoding="utf-8")
    messages = [p.message for p in read_file(path).problems]
    assert messages == ["доля 100,5 % вне диапазона 0–100 %", "доля 514 % вне диапазона 0–100 %"]


def test_a_parquet_file_is_refused_only_above_the_value_limit(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    # rows × columns against the limit: 10 rows × 8 columns = 80 values
    import pyarrow as pa
    import pyarrow.parquet as pq

    from opora.formats import UnreadableFile, normalised

    table = pa.table({"school_key": ["s"] * 10, "procedure": ["VPR"] * 10,
                      "year": pa.array([2024] * 10, pa.int16()),
                      "grade": pa.array([4] * 10, pa.int8()), "subject": ["rus"] * 10,
                      "participant_code": [str(k) for k in range(10)], "absent": [False] * 10,
                      "primary_score": [1.0] * 10})
    path = tmp_path / "results.parquet"
    pq.write_table(table, path)
    monkeypatch.setattr(normalised, "MAX_PARQUET_VALUES", 80)
    assert read_file(path).tables["results"].num_rows == 10  # exactly at the limit: read
    monkeypatch.setattr(normalised, "MAX_PARQUET_VALUES", 79)
    with pytest.raises(UnreadableFile, match="10 строк × 8 столбцов — больше предела 79"):
        read_file(path)


@pytest.mark.parametrize(("text", "reason"), [
    (RESULTS_HEADER + "\ns1;VPR;2024;4;rus;101;false;10\n", "в одной из строк 8 значений вместо 11"),
    (RESULTS_HEADER + '\ns1;VPR;2024;4;rus;"101;false;10;4;;4\n', "в одной из строк 6 значений"),
])
def test_a_broken_csv_is_unreadable_with_the_reason_in_russian(tmp_path: Path, text: str,
                                                               reason: str) -> None:
    from opora.formats import UnreadableFile

    path = tmp_path / "results.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=reason):
        read_file(path)


def test_a_csv_not_in_utf8_is_unreadable_with_the_reason_in_russian(tmp_path: Path) -> None:
    from opora.formats import UnreadableFile

    path = tmp_path / "results.csv"
    path.write_bytes((RESULTS_HEADER + "\nшкола;VPR;2024;4;rus;101;false;10;4;;4\n")
                     .encode("cp1251"))
    with pytest.raises(UnreadableFile, match="не в кодировке UTF-8"):
        read_file(path)


# --- how the file is taken: separator, BOM, quotes, decimal comma, the table asked for --------

def _read_text(tmp_path: Path, text: str, name: str = "results.csv", **kwargs: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_file(path, **kwargs)


def test_a_comma_separated_file_with_a_bom_and_quoted_names_is_read(tmp_path: Path) -> None:
    header = ",".join(f'"{c}"' for c in RESULTS_HEADER.split(";"))
    result = _read_text(tmp_path, "\ufeff" + header + "\ns1,VPR,2024,4,rus,101,false,10,4,,4\n")
    [row] = result.tables["results"].to_pylist()
    assert row["school_key"] == "s1" and row["primary_score"] == 10.0 and row["term_mark"] == 4
    assert result.format == "normalised"


def test_a_decimal_comma_is_a_decimal_point(tmp_path: Path) -> None:
    result = _read_text(tmp_path, RESULTS_HEADER + "\ns1;VPR;2024;4;rus;101;false; 10,5 ;4;;4\n")
    assert result.tables["results"].to_pylist()[0]["primary_score"] == 10.5


def test_each_problem_names_the_file_and_its_line(tmp_path: Path) -> None:
    result = _read_text(tmp_path, RESULTS_HEADER + "\ns1;VPR;2024;4;rus;101;false;x;4;;4\n"
                        "s1;VPR;2024;4.5;rus;102;false;1;4;;4\ns1;VPR;2024;4;rus;103;false;1;9;;4\n",
                        name="итоги.csv")
    assert sorted((p.file, p.row, p.column) for p in result.problems) == [
        ("итоги.csv", 2, "primary_score"), ("итоги.csv", 3, "grade"), ("итоги.csv", 4, "mark")]


def test_the_table_asked_for_is_the_only_one_taken(tmp_path: Path) -> None:
    from opora.formats import UnreadableFile
    from opora.formats.normalised import is_normalised

    path = tmp_path / "results.csv"
    path.write_text(RESULTS_HEADER + "\ns1;VPR;2024;4;rus;101;false;10;4;;4\n", encoding="utf-8")
    assert is_normalised(path) and is_normalised(path, "results")
    assert not is_normalised(path, "markers")  # no «marker» column
    with pytest.raises(UnreadableFile, match="столбцы не совпадают"):
        from opora.formats import normalised

        normalised.read(path, "markers")
    assert read_file(path, format="results").tables["results"].num_rows == 1


def test_only_a_non_empty_csv_with_normalised_columns_is_normalised(tmp_path: Path) -> None:
    from opora.formats.normalised import is_normalised

    text = tmp_path / "results.txt"
    text.write_text(RESULTS_HEADER + "\n", encoding="utf-8")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert not is_normalised(text) and not is_normalised(empty)
    assert not is_normalised(tmp_path / "missing.csv")
    assert is_normalised(tmp_path / "any.parquet") and is_normalised(tmp_path)


def test_a_csv_with_binary_bytes_is_refused(tmp_path: Path) -> None:
    from opora.formats import UnreadableFile

    path = tmp_path / "results.csv"
    path.write_bytes((RESULTS_HEADER + "\ns1;VPR;2024;4;rus;101;false;10;4;;4\n").encode()
                     + b"\x00\x01")
    with pytest.raises(UnreadableFile, match="двоичные данные"):
        read_file(path)


def test_a_parquet_problem_is_numbered_from_row_1(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"school_key": ["s", "s"], "procedure": ["VPR", "VPR"],
                      "year": pa.array([2024, 1999], pa.int16()),
                      "grade": pa.array([4, 4], pa.int8()), "subject": ["rus", "rus"],
                      "participant_code": ["1", "2"], "absent": [False, False]})
    path = tmp_path / "results.parquet"
    pq.write_table(table, path)
    assert [(p.row, p.column) for p in read_file(path).problems] == [(2, "year")]


def test_a_refused_parquet_says_its_size_with_thousands_apart(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from opora.formats import UnreadableFile, normalised

    path = tmp_path / "results.parquet"
    pq.write_table(pa.table({"school_key": ["s"] * 2000}), path)
    monkeypatch.setattr(normalised, "MAX_PARQUET_VALUES", 1500)
    with pytest.raises(UnreadableFile, match="в нём 2\u00a0000 строк × 1 столбцов — больше "
                                             "предела 1\u00a0500 значений"):
        read_file(path)


# --- check_table as the template reader calls it: sheet, titles, first row, long lists ---------

def _context_table(rows: list[tuple[object, object, object]]):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    return pa.table({"school_key": pa.array([r[0] for r in rows], pa.string()),
                     "year": pa.array([r[1] for r in rows], pa.int16()),
                     "share_ovz": pa.array([r[2] for r in rows], pa.float32())})


def test_check_table_reports_the_file_sheet_title_and_spreadsheet_row() -> None:
    from opora.formats.table_checks import check_table
    from opora.schemas import CONTEXT

    table = _context_table([("s1", 2023, 5.0), (None, 2023, 150.0), ("s2", 2023, 1.0),
                            ("s2", 2023, 2.0)])
    good, problems, rejected = check_table(
        table, CONTEXT, file="паспорт.xlsx", sheet="Лист1",
        column_titles={"school_key": "Школа", "share_ovz": "Доля ОВЗ"})
    assert rejected == 3 and good.column("school_key").to_pylist() == ["s1"]
    assert sorted((p.file, p.sheet, p.row, p.column, str(p.code)) for p in problems) == [
        ("паспорт.xlsx", "Лист1", 3, "Доля ОВЗ", "share_out_of_range"),
        ("паспорт.xlsx", "Лист1", 3, "Школа", "required_missing"),
        ("паспорт.xlsx", "Лист1", 4, "", "duplicate_key"),
        ("паспорт.xlsx", "Лист1", 5, "", "duplicate_key")]
    assert any(p.message == "не заполнено обязательное поле «Школа»" for p in problems)


def test_a_long_list_of_one_problem_is_cut_with_a_count_of_the_rest(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from opora.formats import table_checks
    from opora.schemas import CONTEXT

    monkeypatch.setattr(table_checks, "MAX_PROBLEMS_PER_CHECK", 3)
    four = _context_table([(f"s{k}", 2023, 200.0) for k in range(4)])
    _, problems, rejected = table_checks.check_table(four, CONTEXT, file="f.csv", sheet="Л")
    assert rejected == 4 and len(problems) == 4
    last = problems[-1]
    assert (last.file, last.sheet, last.row, last.column, str(last.code)) == (
        "f.csv", "Л", None, "share_ovz", "share_out_of_range")
    assert last.message == "и ещё 1 строк с той же ошибкой"
    three = _context_table([(f"s{k}", 2023, 200.0) for k in range(3)])
    _, exactly, _ = table_checks.check_table(three, CONTEXT, file="f.csv")
    assert len(exactly) == 3 and all(p.row is not None and p.sheet == "" for p in exactly)


def test_a_table_without_range_checks_or_its_whole_key_is_still_checked() -> None:
    import pyarrow as pa

    from opora.formats.table_checks import check_table
    from opora.schemas import AGGREGATES, CONTEXT

    aggregates = pa.table({"school_key": ["s1"], "procedure": ["EGE"]})
    good, problems, _ = check_table(aggregates, AGGREGATES, file="a.csv")
    assert good.num_rows == 1 and problems == []
    # the key (school_key, year) without its year: no row is called a duplicate
    no_year = pa.table({"school_key": ["s1", "s1"]})
    _, problems, rejected = check_table(no_year, CONTEXT, file="c.csv")
    assert problems == [] and rejected == 0


def test_a_one_column_parquet_counts_its_values_as_rows(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from opora.formats import UnreadableFile, normalised

    path = tmp_path / "results.parquet"
    pq.write_table(pa.table({"school_key": ["s"] * 1000}), path)
    monkeypatch.setattr(normalised, "MAX_PARQUET_VALUES", 1500)
    read_file(path)  # 1000 rows × 1 column = 1000 values ≤ 1500: read, not refused
    monkeypatch.setattr(normalised, "MAX_PARQUET_VALUES", 999)
    with pytest.raises(UnreadableFile, match="больше предела"):
        read_file(path)


@pytest.mark.parametrize(("name", "error", "reason"), [
    ("results.PARQUET", "anything", "это не файл Parquet или он повреждён"),
    ("results.csv", "CSV parse error: invalid UTF8 data", "текст не в кодировке UTF-8"),
    ("results.csv", "invalid utf8 sequence", "текст не в кодировке UTF-8"),
    ("results.csv", "not UTF-8", "текст не в кодировке UTF-8"),
    ("results.csv", "CSV block straddling", "незакрытая кавычка или перевод строки"),
    ("results.csv", "Missing closing QUOTE", "незакрытая кавычка или перевод строки"),
    ("results.csv", "something else", "это не CSV-таблица в формате Опоры"),
])
def test_an_arrow_error_is_said_in_russian(name: str, error: str, reason: str) -> None:
    import pyarrow as pa

    from opora.formats.normalised import _reason

    assert _reason(Path(name), pa.ArrowInvalid(error)).startswith(reason)


# --- Published rows (aggregates): counts, parts of the whole and the mean's own scale -------------

AGG_HEADER = ("school_key;procedure;year;grade;subject;participants;mark_2;mark_3;mark_4;mark_5;"
              "below_threshold;high_scorers;top_scorers;mean_score;score_scale")


def _aggregates(tmp_path: Path, **values: str) -> list[tuple[int | None, str, str]]:
    """One published row (line 2): 20 sat ВПР, marks 2/8/6/4 (sum 20), mean 3,6 on the mark
    scale — valid — with ``values`` replacing the defaults; the problems found."""
    row = {"school_key": "s1", "procedure": "VPR", "year": "2024", "grade": "4",
           "subject": "rus", "participants": "20", "mark_2": "2", "mark_3": "8", "mark_4": "6",
           "mark_5": "4", "below_threshold": "", "high_scorers": "", "top_scorers": "",
           "mean_score": "3.6", "score_scale": "mark", **values}
    line = ";".join(row[c] for c in AGG_HEADER.split(";"))
    result = _read_text(tmp_path, AGG_HEADER + "\n" + line + "\n", "aggregates.csv")
    assert "aggregates" in result.tables
    problems = [(p.row, p.column, str(p.code)) for p in result.problems]
    assert result.tables["aggregates"].num_rows == (0 if problems else 1)
    return problems


def test_a_valid_published_row_is_kept(tmp_path: Path) -> None:
    assert _aggregates(tmp_path) == []


@pytest.mark.parametrize("part", ["mark_2", "mark_5", "below_threshold", "high_scorers",
                                  "top_scorers"])
def test_a_part_equal_to_participants_is_kept_and_one_more_is_rejected(
        tmp_path: Path, part: str) -> None:
    # marks are zeroed so that their sum (checked separately) stays within 20
    marks = {"mark_2": "0", "mark_3": "0", "mark_4": "0", "mark_5": "0"}
    assert _aggregates(tmp_path, **{**marks, part: "20"}) == []
    expected = [(2, part, "count_exceeds_participants")]
    if part.startswith("mark_"):  # 21 of one mark is also a sum of marks of 21 > 20
        expected.append((2, "participants", "marks_exceed_participants"))
    assert sorted(_aggregates(tmp_path, **{**marks, part: "21"})) == sorted(expected)


def test_marks_summing_above_participants_are_rejected_and_equal_kept(tmp_path: Path) -> None:
    # 2 + 8 + 6 + 4 = 20 = participants: kept (the default row); 2 + 8 + 6 + 5 = 21 > 20: rejected
    assert _aggregates(tmp_path, mark_5="5") == [(2, "participants", "marks_exceed_participants")]


@pytest.mark.parametrize(("scale", "good", "bad"), [
    ("mark", ["2", "5"], ["1.99", "5.01"]),
    ("test", ["0", "100"], ["-0.1", "100.1"]),
    ("percent", ["0", "100"], ["-0.1", "1000"]),  # 1000: the bound issue 19 found unguarded
    ("primary", ["0", "100"], ["-0.1", "100.1"]),
])
def test_a_mean_is_kept_within_its_scale_and_rejected_just_outside(
        tmp_path: Path, scale: str, good: list[str], bad: list[str]) -> None:
    for value in good:
        assert _aggregates(tmp_path, mean_score=value, score_scale=scale) == [], value
    for value in bad:
        assert _aggregates(tmp_path, mean_score=value, score_scale=scale) == [
            (2, "mean_score", "mean_out_of_range")], value


def test_an_unknown_scale_a_year_or_grade_out_of_range_reject_a_published_row(
        tmp_path: Path) -> None:
    assert _aggregates(tmp_path, score_scale="баллы") == [(2, "score_scale", "bad_value")]
    assert _aggregates(tmp_path, year="1999") == [(2, "year", "year_out_of_range")]
    assert _aggregates(tmp_path, grade="12") == [(2, "grade", "grade_out_of_range")]
    assert _aggregates(tmp_path, subject="russian") == [(2, "subject", "unknown_subject")]


def test_an_empty_scale_is_not_an_unknown_scale(tmp_path: Path) -> None:
    # published tables without a mean leave the scale empty: no problem, the row is kept
    assert _aggregates(tmp_path, mean_score="", score_scale="") == []


@pytest.mark.parametrize("column", ["participants", "mark_2", "mark_3", "mark_4", "mark_5",
                                    "below_threshold", "high_scorers", "top_scorers"])
def test_every_count_of_people_in_a_published_row_is_checked_for_its_sign(
        tmp_path: Path, column: str) -> None:
    # each count has its own check, built when the module is imported: one left out of the list
    # would let its negative numbers through
    assert (2, column, "negative_count") in _aggregates(tmp_path, **{column: "-1"})


@pytest.mark.parametrize("part", ["mark_2", "mark_3", "mark_4", "mark_5", "below_threshold",
                                  "high_scorers", "top_scorers"])
def test_every_part_of_the_participants_is_checked_against_them(tmp_path: Path,
                                                                 part: str) -> None:
    marks = {"mark_2": "0", "mark_3": "0", "mark_4": "0", "mark_5": "0"}
    assert (2, part, "count_exceeds_participants") in _aggregates(
        tmp_path, **{**marks, part: "21"})


def test_an_empty_mark_counts_as_none_in_the_sum_of_marks(tmp_path: Path) -> None:
    # mark_2 empty: 0 + 8 + 6 + 6 = 20 = participants → kept; 0 + 8 + 6 + 7 = 21 → rejected
    assert _aggregates(tmp_path, mark_2="", mark_5="6") == []
    assert _aggregates(tmp_path, mark_2="", mark_5="7") == [
        (2, "participants", "marks_exceed_participants")]


def _published(tmp_path: Path, name: str, header: str, *rows: str) -> list[tuple[int | None, str, str]]:
    result = _read_text(tmp_path, header + "\n" + "\n".join(rows) + "\n", f"{name}.csv")
    assert name in result.tables
    return sorted((p.row, p.column, str(p.code)) for p in result.problems)


def test_a_reference_row_has_one_column_of_marks_and_no_sum_of_marks_to_check(
        tmp_path: Path) -> None:
    # the region's reference row carries only «2» (mark_2): 20 of 20 is a valid row, and a
    # part above the participants is still a part above them
    head = "level;procedure;year;grade;subject;participants;mark_2;mean_score;score_scale"
    assert _published(tmp_path, "reference", head, "region;VPR;2024;4;rus;20;20;3;mark",
                      "region;VPR;2024;5;rus;20;21;3;mark") == [
        (3, "mark_2", "count_exceeds_participants")]


def test_a_row_with_an_empty_part_beside_a_row_with_too_large_a_part_is_kept(
        tmp_path: Path) -> None:
    head = "school_key;procedure;year;grade;subject;participants;below_threshold"
    assert _published(tmp_path, "aggregates", head, "s1;VPR;2024;4;rus;20;",
                      "s2;VPR;2024;4;rus;20;21") == [
        (3, "below_threshold", "count_exceeds_participants")]


def test_a_table_without_participants_skips_the_parts_and_still_checks_the_mean() -> None:
    # a reader calling check_table on a table that has no participants column: the parts are
    # compared with participants only where there are some; the checks after them still run
    import pyarrow as pa

    from opora.formats.table_checks import check_table
    from opora.schemas import TABLES

    table = pa.table({"level": ["region"], "procedure": ["VPR"], "year": [2024], "grade": [4],
                      "subject": ["rus"], "mark_2": [30.0], "mean_score": [7.0],
                      "score_scale": ["mark"]})
    _, problems, rejected = check_table(table, TABLES["reference"], file="итоги.csv")
    assert rejected == 1
    assert [(p.row, p.column, str(p.code)) for p in problems] == [
        (2, "mean_score", "mean_out_of_range")]
