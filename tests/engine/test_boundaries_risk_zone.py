"""The risk zone (`risk_zone`, docs/methodology.md §5): each of its three branches at its edge.

Not ШНОР, and at least one of: low in one of the last three years; last year's mean gap below
−risk_margin_pct (2) though not proven; the gap fell two years running and is now below +2.
One published ЕГЭ cell a year, n = 25 against a region total of 60 (SE = 3, 95 % half-width
5,88), so gaps between −5,8 and +5,8 are never proven either way.
"""

from __future__ import annotations

import pytest
from boundary_data import YEARS, ege, evidence, flags, rules_with, run

REGION = {("EGE", "rus", 11, y): 60.0 for y in YEARS}


def _series(school: str, gaps: tuple[float, float, float]) -> list[dict[str, object]]:
    return [ege(school, 25, 60.0 + g, year=y) for y, g in zip(YEARS, gaps, strict=True)]


@pytest.mark.parametrize(("gaps", "risk"), [
    ((0.0, 0.0, -2.01), True),   # last year −2,01 < −2: below the margin, not proven
    ((0.0, 0.0, -2.0), False),   # exactly −2 is not below −2
    ((0.0, 0.0, -1.99), False),
])
def test_a_last_year_below_the_margin_without_proof_is_a_risk(gaps: tuple[float, float, float],
                                                               risk: bool) -> None:
    _, _, g, result = run(_series("A", gaps), REGION)
    assert set(g.status) == {"same"}
    assert flags(result) == ({"risk_zone"} if risk else set())
    if risk:
        assert evidence(result, "risk_zone") == (
            "Зона риска: в 2024 году в среднем на 2,0 п.п. ниже региона (порог зоны риска "
            "2,0 п.п.), хотя при числе участников это не доказано")


def test_the_margin_is_configurable() -> None:
    # risk_margin_pct = 3: −2,5 is no longer a risk, −3,1 is
    rules = rules_with(identification={"risk_margin_pct": 3.0})
    _, _, _, result = run(_series("A", (0.0, 0.0, -2.5)) + _series("B", (0.0, 0.0, -3.1)),
                          REGION, rules)
    assert flags(result, "A") == set()
    assert flags(result, "B") == {"risk_zone"}


@pytest.mark.parametrize(("gaps", "risk"), [
    ((6.0, 4.0, 1.99), True),   # falling 6 → 4 → 1,99 and now below +2
    ((6.0, 4.0, 2.0), False),   # falling, but now exactly +2 (not below +2)
    ((6.0, 4.0, 4.5), False),   # below +2 fails and it rose in the last year
    ((4.0, 4.0, 1.0), False),   # no fall in the first year (4 → 4): not «two years running»
    ((6.0, 1.0, 1.5), False),   # fell once, then rose: now below +2 but not falling
    ((1.0, 1.5, 1.0), False),   # rose, then fell
])
def test_falling_two_years_running_towards_the_line_is_a_risk(
        gaps: tuple[float, float, float], risk: bool) -> None:
    _, _, g, result = run(_series("A", gaps), REGION)
    assert "low" not in set(g.status)
    assert flags(result) == ({"risk_zone"} if risk else set())
    if risk:
        assert evidence(result, "risk_zone") == (
            "Зона риска: разница с регионом снижалась два года подряд: +6,0 → +4,0 → +2,0 п.п.")


def test_the_falling_branch_needs_three_years_of_gaps() -> None:
    # 2022 has no tested cell (3 participants): the series is incomplete, no «falling» reason
    rows = [ege("A", 3, 66.0, year=2022), ege("A", 25, 64.0, year=2023),
            ege("A", 25, 61.0, year=2024)]
    _, _, _, result = run(rows, REGION)
    assert flags(result) == set()
    # and with only two years of data at all the branch is not tried
    _, _, _, two = run([ege("B", 25, 64.0, year=2023), ege("B", 25, 61.0, year=2024)],
                       {("EGE", "rus", 11, y): 60.0 for y in (2023, 2024)})
    assert flags(two, "B") == set()


@pytest.mark.parametrize("low_year", YEARS)
def test_one_low_year_of_three_is_a_risk_but_not_shnor(low_year: int) -> None:
    # gap −10 (upper bound −4,12: low) in one year, 0 in the others
    gaps = tuple(-10.0 if y == low_year else 0.0 for y in YEARS)
    _, _, _, result = run(_series("A", gaps), REGION)  # type: ignore[arg-type]
    assert flags(result) == {"risk_zone"}
    text = evidence(result, "risk_zone")
    assert text.startswith(f"Зона риска: ниже региона в {low_year} году")
    # a low last year is reported as low, not as «not proven»
    assert "не доказано" not in text


def test_a_low_results_school_is_never_also_in_the_risk_zone() -> None:
    # low in 2023 and 2024 (ШНОР) and falling: only low_results
    _, _, _, result = run(_series("A", (5.0, -10.0, -11.0)), REGION)
    assert flags(result) == {"low_results"}


def test_a_school_at_the_regional_level_every_year_is_not_a_risk() -> None:
    _, _, _, result = run(_series("A", (0.0, 0.0, 0.0)), REGION)
    assert flags(result) == set()


def test_falling_to_an_equal_gap_is_not_falling() -> None:
    # 6 → 1 → 1: the second year did not fall (1 > 1 is false)
    _, _, _, result = run(_series("A", (6.0, 1.0, 1.0)), REGION)
    assert flags(result) == set()


def test_falling_is_judged_on_the_last_three_years_of_a_longer_window() -> None:
    # years = 4: gaps 0, 6, 4, 1,99 — the last three fall (6 → 4 → 1,99); the first three do not
    years = (2021, *YEARS)
    rows = [ege("A", 25, 60.0 + g, year=y) for y, g in zip(years, (0.0, 6.0, 4.0, 1.99),
                                                           strict=True)]
    region = {("EGE", "rus", 11, y): 60.0 for y in years}
    _, _, _, result = run(rows, region, rules_with(identification={"years": 4}))
    assert flags(result) == {"risk_zone"}
    assert "+6,0 → +4,0 → +2,0" in evidence(result, "risk_zone")


def test_each_reason_is_a_flag_of_the_year_it_speaks_of() -> None:
    # low in 2022 (gap −10; interval −10 ± 1,96 × SE of the aggregate cell, issue 11: the low
    # year carries its numbers) and 2,5 points below the region in 2024 without proof. Until
    # issue 12 both reasons were one flag of 2024; now 2022's reason is the risk zone of 2022.
    _, _, _, result = run(_series("A", (-10.0, 0.0, -2.5)), REGION)
    risk = {f.year: f.evidence for f in result.flags if f.flag == "risk_zone"}
    assert risk == {
        2022: "Зона риска: ниже региона в 2022 году (русский язык: на 10,0 п.п. от максимума, "
              "95 % интервал разницы от −15,9 до −4,1), но лет с низкими результатами 1 из 3, а "
              "для ШНОР нужно не менее 2",
        2024: "Зона риска: в 2024 году в среднем на 2,5 п.п. ниже региона (порог зоны риска "
              "2,0 п.п.), хотя при числе участников это не доказано"}


def test_a_school_flagged_by_the_threshold_rule_is_not_also_in_the_risk_zone() -> None:
    # 4 of 10 below the minimum (40 %) in two subjects in 2023 and 2024 → failing_share (the
    # share rule); its gap of −3 (not proven with n = 10) would otherwise be a risk
    region = {("EGE", s, 11, y): 60.0 for s in ("rus", "math_profile") for y in (2023, 2024)}
    rows = [ege("A", 10, 57.0, year=y, subject=s, below_threshold=4)
            for y in (2023, 2024) for s in ("rus", "math_profile")]
    _, _, _, result = run(rows, region)
    assert {(f.flag, f.year) for f in result.flags} == {("failing_share", 2024)}  # issue 12
    assert result.low_schools == {"A"}


def test_a_low_year_names_each_of_its_low_subjects() -> None:
    region = {**REGION, **{("EGE", "math_profile", 11, y): 60.0 for y in YEARS}}
    rows = _series("A", (-10.0, 0.0, 0.0))
    rows += [ege("A", 25, 50.0 if y == 2022 else 60.0, year=y, subject="math_profile")
             for y in YEARS]
    _, _, _, result = run(rows, region)
    text = evidence(result, "risk_zone")
    assert "русский язык:" in text and "; математика:" in text
