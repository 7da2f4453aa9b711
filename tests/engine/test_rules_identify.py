"""Identification on hand-built cells: every expected number is worked out in the test."""

from __future__ import annotations

import math

import pytest
from rules_data import aggregate_cell, flags_of, identification, reference_table, student_cell

TWO_MUNICIPALITIES = {"A": "М1", "B": "М2", "X": "М2", "Y": "М1", "Z": "М2"}
T_975_DF4 = 2.776  # Student's t, 97.5 % quantile, 4 degrees of freedom (printed tables)


def test_regional_mean_pools_all_students_of_the_region() -> None:
    rows = [student_cell("A", [40, 50, 60]), student_cell("B", [70, 80])]
    _, regional, _, _ = identification(rows, municipalities=TWO_MUNICIPALITIES)
    # (40 + 50 + 60 + 70 + 80) / 5 = 60, not the mean of the two school means (62.5)
    assert regional.mean_pct[0] == pytest.approx(60.0)
    # SD of the five scores: deviations −20, −10, 0, 10, 20 → sum of squares 1000 / 4 = 250
    assert regional.sd_pct[0] == pytest.approx(math.sqrt(250))
    assert "всех школ региона" in regional.source[0]


def test_a_gap_counts_only_when_its_whole_interval_is_below_the_region() -> None:
    ref = reference_table([{"procedure": "VPR", "subject": "rus", "grade": 4, "year": 2024,
                            "mean_score": 70.0, "source": "файл итоги.xlsx, лист 1, строка 9"}])
    wide = student_cell("X", [50, 60, 70, 40, 80])  # mean 60, SD √(1000/4) = 15.81
    tight = student_cell("Y", [50, 51, 49, 50, 50])  # mean 50, SD √(2/4) = 0.707
    _cells, _, gaps, _ = identification([wide, tight], reference=ref)
    se_wide = math.sqrt(250) / math.sqrt(5)  # 7.071; the published total has no own error
    assert gaps.gap_pct[0] == pytest.approx(-10.0)
    assert gaps.low_pct[0] == pytest.approx(-10 - T_975_DF4 * se_wide, abs=0.01)
    assert gaps.high_pct[0] == pytest.approx(-10 + T_975_DF4 * se_wide, abs=0.01)
    assert gaps.status[0] == "same"  # −29.6 … +9.6 includes zero: not proven
    se_tight = math.sqrt(0.5) / math.sqrt(5)
    assert gaps.high_pct[1] == pytest.approx(-20 + T_975_DF4 * se_tight, abs=0.01)
    assert gaps.status[1] == "low"


def test_aggregate_only_cells_use_the_configured_sd_and_say_so() -> None:
    ref = reference_table([{"procedure": "EGE", "subject": "rus", "year": 2023, "mean_score": 61.6,
                            "source": "ege.xlsx, лист 2023, строка 57"}])
    rows = [aggregate_cell("A", 30, 50.0), aggregate_cell("B", 14, 54.2)]
    cells, regional, gaps, _result = identification(rows, reference=ref,
                                                   municipalities=TWO_MUNICIPALITIES)
    # SD assumed 15 test points (rules.toml, ЕГЭ): SE = 15/√30 = 2.739; 1.96 × 2.739 = 5.368
    assert gaps.gap_pct[0] == pytest.approx(-11.6)
    assert gaps.high_pct[0] == pytest.approx(-11.6 + 1.959964 * 15 / math.sqrt(30), abs=1e-3)
    assert gaps.status[0] == "low"
    # B: −7.4 ± 1.96 × 15/√14 = −7.4 ± 7.86 → includes zero
    assert gaps.status[1] == "same"
    assert regional.kind[0] == "reference"
    from opora.engine.identify import describe_cell

    text = describe_cell(cells, regional, gaps, 0)
    assert "ЕГЭ, русский язык, 11 класс, 2023" in text
    assert "средний балл школы 50,0 при среднем по региону 61,6" in text
    assert "итог по региону из файла ege.xlsx, лист 2023, строка 57" in text
    assert "участников 30" in text and "разница −11,6 балла" in text
    assert "принято SD = 15,0" in text


def test_too_few_participants_give_not_enough_data_never_a_flag() -> None:
    rows = []
    for year in (2022, 2023, 2024):
        rows += [student_cell("A", [5, 10, 8, 6], year=year),  # 4 < 5 participants
                 student_cell("B", [70, 80, 75, 72, 78, 74], year=year)]
    _, _, gaps, result = identification(rows, municipalities=TWO_MUNICIPALITIES)
    assert set(gaps.status[[0, 2, 4]]) == {"too_few"}
    assert flags_of(result, "A") == set()
    assert any("малым числом участников" in n for n in result.notes)


def test_one_municipality_without_a_regional_total_is_never_compared_with_itself() -> None:
    rows = [student_cell("A", [10, 12, 11, 13, 9, 10]), student_cell("B", [80, 82, 81, 79, 80, 78])]
    _, regional, gaps, result = identification(rows)  # both schools in М1, no reference
    assert math.isnan(regional.mean_pct[0])
    assert set(gaps.status) == {"no_region"}
    assert result.flags == []
    assert any("один муниципалитет" in n for n in regional.notes)


def _three_years(school: str, low_in: set[int]) -> list[dict[str, object]]:
    rows = []
    for year in (2022, 2023, 2024):
        scores = [30, 31, 29, 30, 30, 31] if year in low_in else [60, 61, 59, 60, 60, 61]
        rows.append(student_cell(school, scores, year=year))
        rows.append(student_cell(f"ref{year}", [60, 61, 59, 60, 60, 61] * 20, year=year))
    return rows


@pytest.mark.parametrize(("low_in", "expected"), [
    ({2022, 2023, 2024}, {"low_results", "persistently_low"}),
    ({2023, 2024}, {"low_results"}),
    ({2022}, {"risk_zone"}),
    (set(), set()),
])
def test_low_results_needs_two_of_three_years_and_persistently_low_all_three(
        low_in: set[int], expected: set[str]) -> None:
    rows = _three_years("A", low_in)
    munis = {"A": "М1", "ref2022": "М2", "ref2023": "М2", "ref2024": "М2"}
    _, _, _, result = identification(rows, municipalities=munis)
    assert flags_of(result, "A") == expected


def test_the_threshold_rule_needs_two_procedures_in_this_and_the_previous_year() -> None:
    rows = []
    for year in (2023, 2024):
        for proc, subj in (("VPR", "rus"), ("VPR", "math")):
            # 10 students, 4 with «2» → 40 % ≥ 30 %; mean equal to the region's: no gap
            rows.append(student_cell("A", [50] * 10, procedure=proc, subject=subj, year=year,
                                     mark_2=4))
            rows.append(student_cell("B", [50] * 10, procedure=proc, subject=subj, year=year,
                                     mark_2=0))
    _, _, _, result = identification(rows, municipalities=TWO_MUNICIPALITIES)
    assert flags_of(result, "A") == {"failing_share"}  # its own flag since issue 12
    flag = next(f for f in result.flags if f.school_key == "A")
    assert "доля «2»" in flag.evidence and "40,0 %" in flag.evidence
    assert flags_of(result, "B") == set()


def test_the_threshold_rule_does_not_fire_on_one_year_alone() -> None:
    rows = []
    for year, twos in ((2023, 0), (2024, 4)):
        for subj in ("rus", "math"):
            rows.append(student_cell("A", [50] * 10, subject=subj, year=year, mark_2=twos))
            rows.append(student_cell("B", [50] * 10, subject=subj, year=year, mark_2=0))
    _, _, _, result = identification(rows, municipalities=TWO_MUNICIPALITIES)
    assert "failing_share" not in flags_of(result, "A")
