"""The calibrated default rules (rules.toml 2026.2, issue 12) at their edges.

One published ЕГЭ cell a year, n = 25 against a region total of 60: SD assumed 15 test points,
SE = 15/√25 = 3, 95 % half-width 1,959964 · 3 = 5,88. A subject is low when the whole interval
is below −min_gap_pct = −10, i.e. gap + 5,88 < −10, gap < −15,88: −15,9 is low (upper −10,02),
−15,85 is not (upper −9,97). ШНОР needs 2 low years of 3 *including the last*
(``require_last_year``). The risk zone's margins are taken from the ШНОР line −10: a mean gap
below −(10 + 2) = −12 without proof, or falling two years running to below −10 + 2 = −8.
"""

from __future__ import annotations

import pytest
from boundary_data import YEARS, ege, evidence, flags, run

from opora.engine.config import load_rules

REGION = {("EGE", "rus", 11, y): 60.0 for y in YEARS}
RULES = load_rules()


def _series(school: str, gaps: tuple[float, float, float]) -> list[dict[str, object]]:
    return [ege(school, 25, 60.0 + g, year=y) for y, g in zip(YEARS, gaps, strict=True)]


def _run(gaps: tuple[float, float, float]):  # type: ignore[no-untyped-def]
    return run(_series("A", gaps), REGION, RULES)


def test_the_defaults_are_the_calibrated_version() -> None:
    ident = RULES.identification
    assert RULES.version == "2026.2"
    assert (ident.min_gap_pct, ident.min_low_years, ident.years, ident.require_last_year) == (
        10.0, 2, 3, True)
    assert (RULES.pairing.similar_context_max, RULES.pairing.max_distance_km) == (0.5, 30.0)


@pytest.mark.parametrize(("gap", "low"), [(-15.9, True), (-15.85, False)])
def test_a_subject_is_low_only_when_its_interval_is_wholly_ten_points_below(
        gap: float, low: bool) -> None:
    # (the cell's own status is «low» either way: its interval is below 0); not low, the
    # school is still more than 12 points below in 2024 without proof: the risk zone
    _, _, _, result = _run((0.0, gap, gap))
    assert flags(result) == ({"low_results"} if low else {"risk_zone"})


def test_two_low_years_without_the_last_are_the_risk_zone_of_those_years() -> None:
    # low in 2022 and 2023, 0 in 2024: the literal rule's ШНОР, not the default's
    _, _, _, result = _run((-16.0, -16.0, 0.0))
    assert "low_results" not in flags(result)
    risk = {f.year: f.evidence for f in result.flags if f.flag == "risk_zone"}
    assert sorted(risk) == [2022, 2023]
    assert risk[2023].endswith(
        "но в 2024 году школа не ниже региона больше чем на 10,0 п.п., а ШНОР — только при "
        "низких результатах и в последнем году")


def test_two_low_years_including_the_last_are_low_results_and_three_persistently_low() -> None:
    _, _, _, two = _run((0.0, -16.0, -16.0))
    assert flags(two) == {"low_results"}
    assert evidence(two, "low_results").startswith(
        "Ниже среднего по региону в 2 из 3 лет (2023, 2024; нужно не менее 2, включая "
        "последний). ")
    _, _, _, three = _run((-16.0, -16.0, -16.0))
    assert flags(three) == {"low_results", "persistently_low"}


@pytest.mark.parametrize(("gap", "risk"), [(-12.01, True), (-12.0, False)])
def test_the_unproven_gap_of_the_risk_zone_is_two_points_beyond_the_line(
        gap: float, risk: bool) -> None:
    # −12,01 + 5,88 = −6,13 > −10: not proven low, but beyond −12
    _, _, _, result = _run((0.0, 0.0, gap))
    assert flags(result) == ({"risk_zone"} if risk else set())
    if risk:
        assert "(порог зоны риска 12,0 п.п.)" in evidence(result, "risk_zone")


@pytest.mark.parametrize(("gaps", "risk"), [
    ((-2.0, -5.0, -8.01), True),   # falling, and now below −8 (two points above the line)
    ((-2.0, -5.0, -8.0), False),   # exactly −8 is not below −8
    ((-2.0, -1.0, -9.0), False),   # not falling two years running
])
def test_falling_is_judged_against_two_points_above_the_line(
        gaps: tuple[float, float, float], risk: bool) -> None:
    _, _, _, result = _run(gaps)
    assert flags(result) == ({"risk_zone"} if risk else set())
