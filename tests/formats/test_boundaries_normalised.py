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
