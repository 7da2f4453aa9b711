"""`opora read` of a published two-year region table loses no participation (issue 11, «Done when»).

The table is the real sample rebuilt with what a table of another region held
(``real_two_year.py``): more languages and their oral parts, «(КЕГЭ)», basic mathematics marked
2–5, means of 0 for nobody, «100 баллов» above the participants, renamed education bodies and
school names, the region only in the title, a region total that disagrees with its schools.
Measured on this table, the reader before issue 11 kept 5,130 of its 5,658 participations and
gave 307 problem lines and 68 schools for 43; now it keeps all of them, with 24 lines in 4 kinds.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from real_two_year import REGION, Truth, build

from opora.catalog import subject_from_label
from opora.cli import main
from opora.formats.grouping import group_problems


@pytest.fixture(scope="module")
def table(realdata: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    folder = tmp_path_factory.mktemp("two_year")
    truth = build(realdata / "ege_by_school_region_sample.xlsx", folder / "ЕГЭ_2022_2023.xlsx")
    assert main(["read", str(folder / "ЕГЭ_2022_2023.xlsx"), "--out", str(folder / "out")]) == 1
    return folder / "out", truth


def test_participants_per_subject_and_year_equal_the_files_own_columns(
        table: tuple[Path, Truth]) -> None:
    out, truth = table
    read: Counter[tuple[int, str]] = Counter()
    for row in pq.read_table(out / "aggregates.parquet").to_pylist():
        read[(row["year"], row["subject"])] += row["participants"]
    expected = {(year, subject_from_label(header)): n
                for (year, header), n in truth.participants.items()}
    assert None not in {s for _, s in expected}, "every header is a known subject"
    assert dict(read) == expected
    assert sum(read.values()) == sum(truth.participants.values()) == 5658


def test_no_false_alarm_and_the_real_problems_grouped(table: tuple[Path, Truth]) -> None:
    out, truth = table
    with (out / "problems.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    codes = Counter(r["code"] for r in rows)
    assert codes["mean_without_participants"] == codes["unknown_subject"] == 0
    assert codes["count_exceeds_participants"] == truth.top_rows
    kinds = group_problems([r for r in rows if r["code"] not in (
        "schools_matched_across_years", "municipality_renamed", "sheet_skipped")])
    assert len(kinds) == 4


def test_basic_mathematics_is_a_mark_and_the_region_comes_from_the_title(
        table: tuple[Path, Truth]) -> None:
    out, _ = table
    aggregates = pq.read_table(out / "aggregates.parquet").to_pylist()
    base = [r for r in aggregates if r["subject"] == "math_base"]
    assert base and {r["score_scale"] for r in base} == {"mark"}
    assert all(2 <= r["mean_score"] <= 5 for r in base)
    schools = pq.read_table(out / "schools.parquet").to_pylist()
    assert {s["region"] for s in schools} == {REGION}


def test_every_school_of_both_years_keeps_one_key(table: tuple[Path, Truth]) -> None:
    out, truth = table
    schools = pq.read_table(out / "schools.parquet").num_rows
    assert schools == len(set(truth.schools[2022])) == 43  # 42 of 2023 are among them


def test_a_region_total_that_disagrees_with_its_schools_is_replaced_and_says_so(
        table: tuple[Path, Truth]) -> None:
    out, _ = table
    reference = pq.read_table(out / "reference.parquet").to_pylist()
    [history] = [r for r in reference if r["level"] == "region" and r["subject"] == "history"
                 and r["year"] == 2023]
    assert history["mean_score"] == pytest.approx(46.55, abs=0.01)
    assert "9,74" in history["source"] and "взято среднее школ" in history["source"]
