"""ШНОР (`low_results`, `persistently_low`): every condition of docs/methodology.md §2–4 at its edge.

The cells are published ЕГЭ rows against a published region total of 60 (no error of its own),
with the ЕГЭ student SD assumed 15 test points (rules.toml), so for n = 25 participants
SE = 15 / √25 = 3 and the 95 % half-width is 1,959964 · 3 = 5,879892.
"""

from __future__ import annotations

import math

import pytest
from boundary_data import YEARS, Z90, Z95, ege, evidence, flags, rules_with, run, vpr

ONE_YEAR = {"years": 1, "min_low_years": 1}
RUS = {("EGE", "rus", 11, 2024): 60.0}
HALF_WIDTH = Z95 * 15 / math.sqrt(25)  # 5,879892


def test_a_subject_is_low_only_when_its_whole_interval_is_below_the_region() -> None:
    # A: gap 54,10 − 60 = −5,90 → upper bound −5,90 + 5,879892 = −0,0201 < 0: low
    # B: gap 54,14 − 60 = −5,86 → upper bound +0,0199 ≥ 0: not proven (a rule on the point gap,
    #    −5,86 < 0, would flag it); only the risk zone (gap below −2)
    rules = rules_with(identification=ONE_YEAR)
    _, _, gaps, result = run([ege("A", 25, 54.10), ege("B", 25, 54.14)], RUS, rules)
    assert gaps.high_pct[0] == pytest.approx(-5.90 + HALF_WIDTH)
    assert gaps.low_pct[0] == pytest.approx(-5.90 - HALF_WIDTH)
    assert list(gaps.status) == ["low", "same"]
    assert flags(result, "A") == {"low_results"}
    assert flags(result, "B") == {"risk_zone"}


def test_the_interval_has_the_configured_confidence_level() -> None:
    # 90 %: half-width 1,644854 · 3 = 4,934561. A: −4,96 + 4,9346 = −0,0254 → low;
    # B: −4,90 + 4,9346 = +0,0346 → not low. At 95 % neither is low (half-width 5,88).
    rows = [ege("A", 25, 55.04), ege("B", 25, 55.10)]
    rules = rules_with(identification={**ONE_YEAR, "confidence": 0.90})
    _, _, gaps, result = run(rows, RUS, rules)
    assert gaps.high_pct[0] == pytest.approx(-4.96 + Z90 * 3)
    assert list(gaps.status) == ["low", "same"]
    assert flags(result, "A") == {"low_results"} and flags(result, "B") == {"risk_zone"}
    _, _, gaps95, result95 = run(rows, RUS, rules_with(identification=ONE_YEAR))
    assert list(gaps95.status) == ["same", "same"]
    assert "low_results" not in flags(result95, "A")


def test_min_gap_pct_moves_the_line_the_whole_interval_must_be_below() -> None:
    # min_gap_pct = 5: low when the upper bound < −5. A: −10,90 + 5,879892 = −5,0201 → low;
    # B: −10,86 + 5,879892 = −4,9801 → not low (its cell alone is below the region: status low)
    rules = rules_with(identification={**ONE_YEAR, "min_gap_pct": 5.0})
    _, _, gaps, result = run([ege("A", 25, 49.10), ege("B", 25, 49.14)], RUS, rules)
    assert list(gaps.status) == ["low", "low"]
    assert flags(result, "A") == {"low_results"}
    assert flags(result, "B") == {"risk_zone"}


def test_a_cell_with_fewer_than_min_participants_gives_no_verdict_at_all() -> None:
    # n = 5: SE = 15/√5 = 6,7082, upper bound −14 + 1,959964 · 6,7082 = −0,852 → low.
    # n = 4 (< 5): «недостаточно данных», no flag of any kind, not even the risk zone.
    rules = rules_with(identification=ONE_YEAR)
    _, _, gaps, result = run([ege("A", 5, 46.0), ege("B", 4, 46.0)], RUS, rules)
    assert gaps.high_pct[0] == pytest.approx(-14 + Z95 * 15 / math.sqrt(5))
    assert list(gaps.status) == ["low", "too_few"]
    assert flags(result, "A") == {"low_results"}
    assert flags(result, "B") == set()
    assert any("1 ячеек с малым числом участников" in n for n in result.notes)


def test_the_regional_means_own_error_widens_the_interval() -> None:
    # A (М1): 5 × 40 and 5 × 50 → mean 45, SD² = (20500 − 450²/10)/9 = 250/9.
    # B (М2): 45 × 30,5 and 45 × 70,5 → the region is computed from both: N = 100,
    # Σx = 450 + 90 · 50,5 = 4995 → mean 49,95; Σx² = 20500 + 45(30,5² + 70,5²) = 286022,5;
    # SD_R² = (286022,5 − 4995²/100)/99 = 368,91; SE_R = SD_R/√100 = 1,9207.
    # SE = √(SD²/10 + SE_R²) = √(2,7778 + 3,6891) = 2,5430; t(0,975; 9) = 2,262157;
    # gap 45 − 49,95 = −4,95 → upper bound −4,95 + 5,7527 = +0,80: not proven.
    # Without the region's error the bound would be −4,95 + 2,262157 · 1,6667 = −1,18: low.
    a = [40.0] * 5 + [50.0] * 5
    b = [30.5] * 45 + [70.5] * 45
    from rules_data import student_cell

    rows = [student_cell("A", a, grade=11), student_cell("B", b, grade=11)]
    _, regional, gaps, _ = run(rows, None, rules_with(identification=ONE_YEAR),
                               municipalities={"A": "М1", "B": "М2"})
    sd_r2 = (286022.5 - 4995.0**2 / 100) / 99
    se = math.sqrt(250 / 9 / 10 + sd_r2 / 100)
    assert regional.se_pct[0] == pytest.approx(math.sqrt(sd_r2 / 100))
    assert gaps.se_pct[0] == pytest.approx(se)
    assert gaps.high_pct[0] == pytest.approx(-4.95 + 2.262157 * se, abs=1e-5)
    assert gaps.status[0] == "same"
    # the same school against a published total of 49,95 (no error of its own): low
    _, regional2, gaps2, _ = run([rows[0]], {("VPR", "rus", 11, 2024): 49.95},
                                 rules_with(identification=ONE_YEAR))
    assert regional2.se_pct[0] == 0
    assert gaps2.high_pct[0] == pytest.approx(-4.95 + 2.262157 * math.sqrt(250 / 9 / 10),
                                              abs=1e-5)
    assert gaps2.status[0] == "low"


MATH = {("EGE", "math_base", 11, 2024): 60.0, ("EGE", "math_profile", 11, 2024): 60.0}


def test_basic_and_profile_mathematics_are_one_subject_whose_gaps_are_combined() -> None:
    # Each cell: gap −5, upper bound −5 + 5,879892 = +0,88 → neither alone is below the region.
    # Combined: d = −5, SE = √(25² · 3² · 2) / 50 = 2,12132 → upper −5 + 4,15775 = −0,842: low.
    rows = [ege("A", 25, 55.0, subject="math_base"), ege("A", 25, 55.0, subject="math_profile")]
    _, _, gaps, result = run(rows, MATH, rules_with(identification=ONE_YEAR))
    assert list(gaps.status) == ["same", "same"]
    assert flags(result) == {"low_results"}
    text = evidence(result, "low_results")
    combined_high = -5 + Z95 * math.sqrt(2 * 25**2 * 9) / 50
    assert "по 2 работам" in text and f"до {combined_high:.1f}".replace(".", ",").replace(
        "-", "−") in text


@pytest.mark.parametrize(("base_mean", "low"), [
    # n 25 (gap −5, SE 3) and 100 (gap g, SE 15/10 = 1,5), weighted by participants:
    # d = (25 · (−5) + 100 g)/125, SE = √(25² · 9 + 100² · 2,25)/125 = √28125/125 = 1,341641,
    # half-width 1,959964 · 1,341641 = 2,629571.
    (58.0, False),  # g = −2:    d = −2,60, upper +0,0296 (the unweighted mean −3,5 would be low)
    (57.95, True),  # g = −2,05: d = −2,64, upper −0,0104
])
def test_the_combined_gap_weights_each_cell_by_its_participants(base_mean: float,
                                                                 low: bool) -> None:
    rows = [ege("A", 25, 55.0, subject="math_profile"),
            ege("A", 100, base_mean, subject="math_base")]
    _, _, gaps, result = run(rows, MATH, rules_with(identification=ONE_YEAR))
    d = (25 * -5 + 100 * (base_mean - 60)) / 125
    assert gaps.se_pct[1] == pytest.approx(1.5)
    assert (d + Z95 * math.sqrt(28125) / 125 < 0) is low  # the bound worked out by hand
    assert ("low_results" in flags(result)) is low


def test_min_low_subjects_counts_subjects_below_the_region_in_a_year() -> None:
    # min_low_subjects = 2. Russian: gap −10 (upper −4,12, low); mathematics: gap 0 (not low) →
    # one low subject, the year is not low. Both −10 → two low subjects: low_results.
    both = {**RUS, ("EGE", "math_profile", 11, 2024): 60.0}
    rules = rules_with(identification={**ONE_YEAR, "min_low_subjects": 2})
    one_low = [ege("A", 25, 50.0), ege("A", 25, 60.0, subject="math_profile")]
    two_low = [ege("B", 25, 50.0), ege("B", 25, 50.0, subject="math_profile")]
    _, _, _, result = run(one_low + two_low, both, rules)
    assert "low_results" not in flags(result, "A")
    assert flags(result, "B") == {"low_results"}
    # with the default (1) the one low subject is enough
    _, _, _, default = run(one_low, both, rules_with(identification=ONE_YEAR))
    assert flags(default, "A") == {"low_results"}


def _years(school: str, low_in: set[int], years: tuple[int, ...] = YEARS,
           n: int = 25) -> list[dict[str, object]]:
    """Gap −10 (upper bound −4,12: low) in ``low_in``, gap 0 otherwise."""
    return [ege(school, n, 50.0 if y in low_in else 60.0, year=y) for y in years]


def _totals(years: tuple[int, ...] = YEARS) -> dict[tuple[str, str, int, int], float]:
    return {("EGE", "rus", 11, y): 60.0 for y in years}


def test_only_the_last_years_of_the_window_count() -> None:
    # Four years 2021–2024, window = the last 3. A: low in 2021 and 2024 → inside the window one
    # low year (< 2): not ШНОР, risk zone. B: low in 2023 and 2024 → two low years: low_results.
    years = (2021, *YEARS)
    rows = _years("A", {2021, 2024}, years) + _years("B", {2023, 2024}, years)
    _, _, _, result = run(rows, _totals(years))
    assert result.window == [2022, 2023, 2024]
    assert flags(result, "A") == {"risk_zone"}
    assert flags(result, "B") == {"low_results"}


def test_min_low_years_is_the_number_of_low_years_needed() -> None:
    # min_low_years = 3: two low years of three are no longer enough; three are.
    rules = rules_with(identification={"min_low_years": 3})
    rows = _years("A", {2023, 2024}) + _years("B", set(YEARS))
    _, _, _, result = run(rows, _totals(), rules)
    assert flags(result, "A") == {"risk_zone"}
    assert flags(result, "B") == {"low_results", "persistently_low"}
    head = evidence(result, "low_results", "B")
    assert head.startswith("Ниже среднего по региону в 3 из 3 лет (2022, 2023, 2024; нужно не "
                           "менее 3)")


def test_persistently_low_needs_three_years_in_the_data() -> None:
    # Two years, low in both: low_results (2 of 2 ≥ 2), but «стабильно низкие» is not computed.
    rows = _years("A", {2023, 2024}, (2023, 2024))
    _, _, _, result = run(rows, _totals((2023, 2024)))
    assert flags(result) == {"low_results"}
    assert any("требуют трёх лет, в данных 2" in n for n in result.notes)
    # three years, low in each: both flags; low in two of three: low_results only
    _, _, _, three = run(_years("A", set(YEARS)) + _years("B", {2022, 2024}), _totals())
    assert flags(three, "A") == {"low_results", "persistently_low"}
    assert flags(three, "B") == {"low_results"}
    assert not any("требуют трёх лет" in n for n in three.notes)


def test_only_counted_procedures_and_subjects_make_a_school_low() -> None:
    # Physics far below the region is not an identification subject; ОГЭ removed from the
    # procedures is not counted either.
    region = {("EGE", "phys", 11, 2024): 60.0, ("OGE", "rus", 9, 2024): 60.0}
    rows = [ege("A", 25, 40.0, subject="phys"),
            ege("B", 25, 40.0, grade=9) | {"procedure": "OGE"}]
    rules = rules_with(identification={**ONE_YEAR, "procedures": ("VPR", "EGE")})
    _, _, _, result = run(rows, region, rules)
    assert flags(result, "A") == set() and flags(result, "B") == set()
    _, _, _, default = run(rows, region, rules_with(identification=ONE_YEAR))
    assert flags(default, "B") == {"low_results"}


def test_grades_restrict_the_counted_cells_together_with_the_subjects() -> None:
    # grades = [4]: A (4 класс, Russian, gap −10: low) counts; B (6 класс) and C (4 класс,
    # окружающий мир) do not — the grade narrows the procedures and subjects, it does not widen them
    region = {("VPR", "rus", 4, 2024): 60.0, ("VPR", "rus", 6, 2024): 60.0,
              ("VPR", "okr", 4, 2024): 60.0}
    rows = [vpr("A", 100, 50.0), vpr("B", 100, 50.0, grade=6),
            vpr("C", 100, 50.0, subject="okr")]
    rules = rules_with(identification={**ONE_YEAR, "grades": (4,)})
    _, _, _, result = run(rows, region, rules)
    assert flags(result, "A") == {"low_results"}
    assert flags(result, "B") == set() and flags(result, "C") == set()


def test_the_evidence_gives_the_combined_gap_and_the_two_cells_most_below() -> None:
    # 2023 and 2024, three ВПР works a year (grades 4, 5, 6; n 100, SD assumed 20 → SE 2):
    # gaps −10, −8, −6 → d = −8, SE = √(3 · 100² · 2²)/300 = 1,1547, interval −8 ± 2,2632.
    # The latest low year names its two cells most below; the earlier year only its sentence.
    region = {("VPR", "rus", g, y): 60.0 for y in (2023, 2024) for g in (4, 5, 6)}
    rows = [vpr("A", 100, 60.0 + gap, grade=g, year=y)
            for y in (2023, 2024) for g, gap in ((4, -10.0), (5, -8.0), (6, -6.0))]
    _, _, _, result = run(rows, region)
    text = evidence(result, "low_results")
    head = ("в среднем по 3 работам школа ниже региона на 8,0 п.п. от максимума, 95 % интервал "
            "разницы от −10,3 до −5,7")
    cell = ("ВПР, русский язык, {g} класс, 2024: средний результат (% от максимума) школы {m} при "
            "среднем по региону 60,0 (итог по региону из файла итоги.xlsx, лист «2024», строка "
            "{row}); участников 100; разница {d} п.п., 95 % интервал от {lo} до {hi} (разброс "
            "результатов учеников неизвестен (только итоги); принято SD = 20,0 п.п. (параметр "
            "regional.default_sd_pct))")
    assert text == (
        "Ниже среднего по региону в 2 из 2 лет (2023, 2024; нужно не менее 2). "
        f"2024, русский язык: {head}. "
        + cell.format(g=4, m="50,0", row=13, d="−10,0", lo="−13,9", hi="−6,1") + ". "
        + cell.format(g=5, m="52,0", row=14, d="−8,0", lo="−11,9", hi="−4,1")
        + ". Ещё работ по предмету: 1. "
        f"2023, русский язык: {head}.")


def test_the_evidence_of_a_test_score_cell_speaks_in_test_points() -> None:
    # a test-score scale with a maximum of 50: the mean 20 points = 40 % of the maximum, said in
    # points; the assumed SD in «балла»
    row = ege("A", 25, 20.0, max_score=50.0, mean_pct=40.0)
    _, _, _, result = run([row], {("EGE", "rus", 11, 2024): 30.0},
                          rules_with(identification=ONE_YEAR))
    text = evidence(result, "low_results")
    assert "средний балл школы 20,0 при среднем по региону 30,0" in text
    assert "принято SD = 15,0 балла" in text


def test_school_stats_holds_each_cell_against_its_regional_value() -> None:
    # one published ЕГЭ cell: 25 participants, 3 below the minimum (12 %), gap −10 ± 5,879892
    from opora.engine.gaps import school_stats_table

    cells, regional, gaps, _ = run([ege("A", 25, 50.0, below_threshold=3, mark_2=None)], RUS)
    [row] = school_stats_table(cells, regional, gaps).to_pylist()
    assert row["school_key"] == "A" and (row["procedure"], row["subject"]) == ("EGE", "rus")
    assert (row["grade"], row["year"], row["level"]) == (11, 2024, "aggregate")
    assert row["participants"] == 25 and row["below_threshold"] == 3
    assert row["fail_share_pct"] == pytest.approx(12.0)
    assert row["region_mean_pct"] == pytest.approx(60.0)
    assert row["region_sd_pct"] is None  # no student data in the region
    assert row["region_participants"] == 25  # participants of the loaded cells of the region
    assert row["gap_pct"] == pytest.approx(-10.0)
    assert row["gap_low_pct"] == pytest.approx(-10.0 - HALF_WIDTH)
    assert row["gap_high_pct"] == pytest.approx(-10.0 + HALF_WIDTH)
    assert row["sd_pct"] == pytest.approx(15.0) and row["sd_kind"] == "default"
    assert row["region_source_kind"] == "reference" and row["status"] == "low"
    assert row["region_source"] == "итог по региону из файла итоги.xlsx, лист «2024», строка 10"
    assert row["mean_pct"] == pytest.approx(50.0) and row["max_score"] == 100.0


def test_the_yearly_gap_weights_the_counted_cells_by_participants() -> None:
    # the series dynamics and leaders read: Russian (n 25, gap −10, SE 3) and profile
    # mathematics (n 100, gap +5, SE 1,5) in one year: g = (25 · (−10) + 100 · 5)/125 = 2,
    # SE = √((25 · 3)² + (100 · 1,5)²)/125 = √28125/125 = 1,341641; physics is not counted
    rows = [ege("A", 25, 50.0), ege("A", 100, 65.0, subject="math_profile"),
            ege("A", 100, 20.0, subject="phys")]
    region = {**RUS, ("EGE", "math_profile", 11, 2024): 60.0, ("EGE", "phys", 11, 2024): 60.0}
    _, _, _, result = run(rows, region, rules_with(identification=ONE_YEAR))
    years = result.years
    assert list(years.school) == ["A"] and list(years.year) == [2024]
    assert years.gap_pct[0] == pytest.approx(2.0)
    assert years.se_pct[0] == pytest.approx(math.sqrt(28125) / 125)
    assert result.window == [2024]


def test_every_identification_flag_carries_the_last_year_of_the_window() -> None:
    rows = [ege("A", 25, 50.0, year=y) for y in YEARS]
    rows += [ege("B", 25, 60.0, year=y) for y in (2022, 2023)] + [ege("B", 25, 57.0, year=2024)]
    _, _, _, result = run(rows, {("EGE", "rus", 11, y): 60.0 for y in YEARS})
    assert {(f.school_key, f.flag, f.year) for f in result.flags} == {
        ("A", "low_results", 2024), ("A", "persistently_low", 2024), ("B", "risk_zone", 2024)}


def test_an_aggregate_cell_takes_the_regions_student_sd_when_there_is_one() -> None:
    # A (М1) has students 40 × 5, 50 × 5; B (М2) only a published mean 45 of n = 25.
    # Region: N = 35, mean (450 + 1125)/35 = 45; SD_R² from A's students only:
    # (20500 − 450²/10)/9 = 250/9. B's SE = √(SD_R²/25 + SD_R²/35): its own (SD assumed the
    # region's) and the regional mean's error over all 35 participants
    from rules_data import aggregate_cell, student_cell

    rows = [student_cell("A", [40.0] * 5 + [50.0] * 5, grade=11),
            aggregate_cell("B", 25, 45.0, procedure="VPR", grade=11, year=2024)]
    _, regional, gaps, _ = run(rows, None, rules_with(identification=ONE_YEAR),
                               municipalities={"A": "М1", "B": "М2"})
    sd_r = math.sqrt(250 / 9)
    assert regional.sd_pct[1] == pytest.approx(sd_r)
    assert gaps.sd_kind[1] == "region" and gaps.sd_pct[1] == pytest.approx(sd_r)
    assert gaps.se_pct[1] == pytest.approx(math.sqrt(sd_r**2 / 25 + sd_r**2 / 35))


def test_two_students_give_an_sd_and_one_degree_of_freedom() -> None:
    # min_participants = 2: scores 40 and 60 → SD = √200, SE = 10, t(0,975; 1) = 12,706205
    from rules_data import student_cell

    from opora.engine.gaps import school_sd

    rows = [student_cell("A", [40.0, 60.0], grade=11)]
    cells, _, gaps, _ = run(rows, {("VPR", "rus", 11, 2024): 70.0},
                            rules_with(identification={**ONE_YEAR, "min_participants": 2}))
    assert school_sd(cells)[0] == pytest.approx(math.sqrt(200))
    assert gaps.high_pct[0] == pytest.approx(-20 + 12.706205 * 10, abs=1e-5)
    assert list(gaps.sd_kind) == ["school"]  # its own students' SD, not the region's


@pytest.mark.parametrize(("score", "status"), [(60.0, "same"), (59.0, "low"), (61.0, "high")])
def test_an_interval_of_zero_width_touching_the_region_is_neither_below_nor_above(
        score: float, status: str) -> None:
    # ten students with the same score: SD 0; the region a published total (no error of its
    # own): SE 0, the interval is the point gap itself. At exactly 0 it is not «below» (upper
    # bound < 0) nor «above» (lower bound > 0); one point off either way it is.
    from rules_data import student_cell

    _, _, gaps, _ = run([student_cell("A", [score] * 10, grade=11)],
                        {("VPR", "rus", 11, 2024): 60.0}, rules_with(identification=ONE_YEAR))
    assert gaps.se_pct[0] == 0.0 and gaps.low_pct[0] == gaps.high_pct[0] == score - 60.0
    assert list(gaps.status) == [status] and list(gaps.sd_kind) == ["school"]


@pytest.mark.parametrize(("mean", "status"), [
    (66.3, "high"),  # lower bound 6,3 − 5,879892 = +0,42 > 0: above the region
    (65.8, "same"),  # lower bound −0,08
])
def test_a_cell_is_above_the_region_when_its_whole_interval_is(mean: float, status: str) -> None:
    _, _, gaps, _ = run([ege("A", 25, mean)], RUS, rules_with(identification=ONE_YEAR))
    assert gaps.status[0] == status


def test_a_cell_without_a_mean_is_not_enough_data() -> None:
    _, _, gaps, result = run([ege("A", 25, float("nan"))], RUS,
                             rules_with(identification=ONE_YEAR))
    assert gaps.status[0] == "too_few" and flags(result) == set()


def test_school_stats_has_the_documented_columns_and_types() -> None:
    from opora.engine.gaps import school_stats_table
    from opora.schemas import SCHOOL_STATS

    cells, regional, gaps, _ = run([ege("A", 25, 50.0), ege("B", 3, 50.0)], RUS)
    table = school_stats_table(cells, regional, gaps)
    assert table.column_names == SCHOOL_STATS.column_names
    assert [r["status"] for r in table.to_pylist()] == ["low", "too_few"]


def test_the_notes_count_the_counted_cells_that_could_not_be_compared() -> None:
    # counted: A (4 participants: too few), B (mathematics, no region total), and A, C, D have
    # a gap from an assumed SD (aggregates); not counted: E (physics, too few, no total)
    rows = [ege("A", 4, 50.0), ege("B", 25, 50.0, subject="math_profile"), ege("C", 25, 50.0),
            ege("D", 25, 55.0), ege("E", 3, 50.0, subject="phys")]
    _, _, _, result = run(rows, RUS, rules_with(identification=ONE_YEAR))
    notes = [n for n in result.notes if "ячеек" in n]
    assert notes[:2] == [
        "1 ячеек с малым числом участников: «недостаточно данных», без флага",
        "1 ячеек без регионального значения: не сравнивались"]
    assert notes[2].startswith("3 ячеек — только агрегаты: разброс учеников неизвестен")
    assert len(notes) == 3


def test_the_last_year_of_the_window_must_be_low_when_the_rules_require_it() -> None:
    # A low in 2022 and 2023 but not 2024; B low in 2023 and 2024; C low in 2024 alone (one low
    # year of the two needed). Seed 001 (require_last_year = false): A and B are ШНОР. With the
    # requirement (rules.toml: true) this year's list holds only the schools low this year: B.
    rows = _years("A", {2022, 2023}) + _years("B", {2023, 2024}) + _years("C", {2024})
    _, _, _, result = run(rows, _totals(), rules_with())
    assert {s for s in "ABC" if "low_results" in flags(result, s)} == {"A", "B"}
    rules = rules_with(identification={"require_last_year": True})
    _, _, _, result = run(rows, _totals(), rules)
    assert {s for s in "ABC" if "low_results" in flags(result, s)} == {"B"}
