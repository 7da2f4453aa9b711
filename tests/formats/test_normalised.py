"""The normalised Parquet/CSV path: fast, row-level problems with the line, good rows kept."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opora.cli import main
from opora.formats import UnreadableFile, read_file
from opora.schemas import RESULTS

HEADER = "school_key;procedure;year;grade;subject;participant_code;absent;primary_score;mark;task_scores"


def write(tmp_path: Path, *lines: str, name: str = "results.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_a_clean_csv_is_read_with_every_value_in_its_normalised_type(tmp_path):
    path = write(tmp_path, "s1;VPR;2024;4;rus;101;false;10;4;1|2|3",
                 "s1;VPR;2024;4;rus;102;true;;;")
    result = read_file(path)
    rows = result.tables["results"].to_pylist()
    assert result.problems == [] and result.exit_code == 0
    assert rows[0]["primary_score"] == 10.0 and rows[0]["task_scores"] == [1.0, 2.0, 3.0]
    assert rows[1]["absent"] is True and rows[1]["primary_score"] is None
    assert result.tables["results"].schema == RESULTS.schema


def test_bad_rows_are_rejected_with_their_line_and_column_and_good_rows_are_kept(tmp_path):
    path = write(
        tmp_path,
        "s1;VPR;2024;4;rus;101;false;10;4;",     # line 2: good
        "s1;VPR;2024;4;rus;102;false;abc;4;",    # line 3: not a number
        "s1;VPR;2024;4;rus;103;false;9;7;",      # line 4: mark out of range
        "s1;VPR;2024;4.5;rus;104;false;9;3;",    # line 5: fractional grade
        "s1;ЕГЭ;2024;11;rus;105;false;9;3;",     # line 6: procedure not a code
        "s1;VPR;2024;4;rus;106;false;8;3;",      # line 7: good
        "s1;VPR;2024;4;rus;107;false;8;3;",      # line 8: duplicated below
        "s1;VPR;2024;4;rus;107;false;5;3;",      # line 9: which of 8 and 9 is right? neither kept
    )
    result = read_file(path)
    places = {(p.row, p.column, p.code) for p in result.problems}
    assert places == {
        (3, "primary_score", "not_a_number"), (4, "mark", "mark_out_of_range"),
        (5, "grade", "not_an_integer"), (6, "procedure", "unknown_procedure"),
        (8, "", "duplicate_key"), (9, "", "duplicate_key"),
    }
    assert [r["participant_code"] for r in result.tables["results"].to_pylist()] == ["101", "106"]
    assert result.rejected_rows == 6 and result.exit_code == 1
    assert all(any(ch in p.message for ch in "абвгдеёжзийклмнопрстуфхцчшщыэюя")
               for p in result.problems)


def test_parquet_with_the_normalised_columns_is_read_as_is(tmp_path):
    table = pa.table({"school_key": ["a", "b"], "procedure": ["OGE", "OGE"],
                      "year": pa.array([2024, 2024], pa.int16()), "grade": pa.array([9, 9], pa.int8()),
                      "subject": ["math", "math"], "participant_code": ["1", "2"],
                      "absent": [False, False], "primary_score": [12.0, 120.0]})
    path = tmp_path / "any-name.parquet"
    pq.write_table(table, path)
    result = read_file(path)
    assert result.tables["results"].num_rows == 2  # 120 is not checked here: no scale in file


def test_a_parquet_file_that_is_not_parquet_is_unreadable_with_a_russian_reason(tmp_path):
    path = tmp_path / "results.parquet"
    path.write_bytes(b"this is not parquet at all")
    with pytest.raises(UnreadableFile, match="не удаётся прочитать"):
        read_file(path)


def test_opora_read_writes_parquet_and_problems_and_returns_1_on_rejected_rows(tmp_path, capsys):
    path = write(tmp_path, "s1;VPR;2024;4;rus;101;false;10;4;", "s1;VPR;2024;4;rus;102;false;-1;4;")
    out = tmp_path / "out"
    assert main(["read", str(path), "--out", str(out)]) == 1
    assert pq.read_table(out / "results.parquet").num_rows == 1
    with (out / "problems.csv").open(encoding="utf-8-sig") as handle:
        problems = list(csv.DictReader(handle))
    assert [(p["row"], p["column"], p["code"]) for p in problems] == [("3", "primary_score", "negative_score")]


def test_opora_read_returns_2_with_one_line_for_a_file_it_cannot_read(tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    assert main(["read", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ошибка:") and "пуст" in err and "\n" not in err
