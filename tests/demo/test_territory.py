"""The demo municipality looks like the seeds' town; the region looks like a region."""

from __future__ import annotations

import math

import pandas as pd

from opora.catalog import SCHOOL_KINDS

TOWN_CENTRE = (56.414, 61.918)  # Каменск-Уральский, as on a map


def _km(lat: float, lon: float) -> float:
    dlat = math.radians(lat - TOWN_CENTRE[0])
    dlon = math.radians(lon - TOWN_CENTRE[1]) * math.cos(math.radians(TOWN_CENTRE[0]))
    return 6371.0 * math.hypot(dlat, dlon)


def test_the_town_has_about_45_schools_numbered_up_to_about_60_with_gaps(
        town_frames: dict[str, pd.DataFrame]) -> None:
    schools = town_frames["schools"]
    assert 40 <= len(schools) <= 50
    numbers = schools["number"]
    assert numbers.is_unique and 55 <= numbers.max() <= 65
    assert numbers.max() - len(numbers) >= 8  # gaps in the numbering, as in real towns


def test_the_town_has_one_lyceum_one_gymnasium_basic_evening_and_boarding_schools(
        town_frames: dict[str, pd.DataFrame]) -> None:
    schools = town_frames["schools"].set_index("number")
    kinds = schools["kind"].value_counts()
    assert kinds["lyceum"] == 1 and kinds["gymnasium"] == 1
    assert kinds["evening"] >= 1 and kinds["boarding"] >= 1
    assert kinds["secondary"] > len(schools) / 2
    assert set(kinds.index) <= set(SCHOOL_KINDS)
    assert schools.loc[9, "short_name"] == "Лицей № 9"
    for number in (14, 27, 39):  # the seeds' «Основные школы №№ 14, 27, 39»
        assert schools.loc[number, "kind"] == "basic"
        assert schools.loc[number, "short_name"] == f"ООШ № {number}"
    assert schools.loc[5, "full_name"].endswith("«Средняя общеобразовательная школа № 5»")


def test_the_town_is_kamensk_uralsky_of_sverdlovsk_region_with_its_microdistricts(
        town_frames: dict[str, pd.DataFrame]) -> None:
    schools = town_frames["schools"]
    assert set(schools["region"]) == {"Свердловская область"}
    assert set(schools["municipality"]) == {"Каменск-Уральский городской округ"}
    districts = set(schools["microdistrict"])
    assert {"Соцгород", "Синарский", "Красногорский"} <= districts
    assert any(d.startswith("посёлок") for d in districts)
    assert schools["address"].str.contains(r"д\. \d+").all()


def test_school_coordinates_lie_within_the_town_and_logins_are_fis_oko_style(
        town_frames: dict[str, pd.DataFrame]) -> None:
    schools = town_frames["schools"]
    distances = [_km(lat, lon) for lat, lon in zip(schools["latitude"], schools["longitude"],
                                                   strict=True)]
    assert max(distances) <= 15
    assert schools["fis_oko_login"].str.fullmatch(r"edu66\d{4}").all()
    assert schools["fis_oko_login"].is_unique
    assert (schools["school_key"] == schools["fis_oko_login"]).all()


def test_school_sizes_are_realistic_with_some_tiny_rural_cells(
        town_frames: dict[str, pd.DataFrame]) -> None:
    res = town_frames["results"]
    vpr = res[res["procedure"] == "VPR"]
    per_cell = vpr.groupby(["school_key", "year", "grade", "subject"]).size()
    assert per_cell.max() <= 4 * 30 * 1.3  # at most 4 classes of ≤ 30, with a yearly wobble
    assert (per_cell < 5).any()  # a handful of students per grade in the smallest schools
    class_sizes = vpr.groupby(["school_key", "year", "subject", "class_label"]).size()
    assert class_sizes[per_cell.groupby("school_key").median().loc[
        class_sizes.index.get_level_values(0)].to_numpy() >= 40].between(8, 36).all()


def test_the_region_has_about_a_thousand_schools_in_about_thirty_municipalities(
        region_frames: dict[str, pd.DataFrame]) -> None:
    schools = region_frames["schools"]
    assert 900 <= len(schools) <= 1100
    assert 25 <= schools["municipality"].nunique() <= 35
    assert "Каменск-Уральский городской округ" in set(schools["municipality"])
    assert schools["school_key"].is_unique
