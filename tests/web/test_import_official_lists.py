"""Importing what issue 11 met: official lists, re-check results, a table of a whole region,
and a file with rejected rows loaded «без отклонённых строк» by the coordinator's choice."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from opora.web.assessment.models import ObjectivityMarker, SchoolAggregate
from opora.web.imports.services import import_file
from opora.web.lists.models import OfficialListEntry, RecheckResult
from opora.web.schools.models import School
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "formats"))
from list_variants import objectivity_list, official_list, write_rows
from real_two_year import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def lenin() -> tuple[School, School]:
    region = region_get_or_create(name="Еврейская автономная область")
    municipality = municipality_get_or_create(region=region, name="Ленинский район")
    first = school_create(municipality=municipality, key="bidzhan", short_name="СОШ с. Биджан")
    second = school_create(municipality=municipality, key="lenin1", short_name="СОШ № 1")
    first.fis_oko_login, second.fis_oko_login = "sch053001", "sch053002"
    first.save()
    second.save()
    return first, second


def test_the_federal_objectivity_list_becomes_markers_of_the_schools_by_login(
        tmp_path: Path, lenin: tuple[School, School]) -> None:
    path = objectivity_list(tmp_path / "маркеры.xlsx", [
        (2024, "sch053001", "Ленинский район", 'МКОУ "СОШ с. Биджан"', {"4 РУ": 1, "5 МА": 1}, 2),
        (2024, "sch053002", "Ленинский район", "МБОУ СОШ № 1", {"6 ИС": 1}, 1)])
    outcome = import_file(path=path)
    assert outcome.ok, outcome.summary()
    markers = {(m.school.key, m.marker) for m in ObjectivityMarker.objects.select_related("school")}
    assert markers == {("bidzhan", "4 РУ"), ("bidzhan", "5 МА"), ("lenin1", "6 ИС")}


def test_an_official_list_is_stored_as_given_with_its_kind_year_and_source(
        tmp_path: Path, lenin: tuple[School, School]) -> None:
    path = official_list(tmp_path / "ШНОР.xlsx", "Перечень ШНОР на 2024 год",
                         ["Логин ФИС ОКО", "Муниципалитет", "ОО"],
                         [["sch053001", "Ленинский район", 'МКОУ "СОШ с. Биджан"']])
    outcome = import_file(path=path)
    assert outcome.ok, outcome.summary()
    [entry] = OfficialListEntry.objects.all()
    assert (entry.school.key, entry.year, entry.list_kind) == (
        "bidzhan", 2024, "low_results_official")
    assert (entry.fis_oko_login, entry.school_name) == ("sch053001", 'МКОУ "СОШ с. Биджан"')
    assert "Перечень ШНОР на 2024 год" in entry.source and entry.batch == outcome.batch
    again = import_file(path=path)  # the same bytes: nothing changes
    assert again.status == "duplicate" and OfficialListEntry.objects.count() == 1


def test_recheck_results_are_stored_with_their_numbers(tmp_path: Path,
                                                       lenin: tuple[School, School]) -> None:
    path = write_rows(tmp_path / "перепроверка.xlsx", [
        ["Школа (код)", "Процедура", "Год", "Класс (параллель)", "Предмет",
         "Перепроверено работ, шт.", "Работ с изменённой отметкой, шт.", "Среднее изменение балла"],
        ["sch053001", "ВПР", 2024, 4, "РУ", 25, 9, -2.4]])
    assert import_file(path=path).ok
    [recheck] = RecheckResult.objects.all()
    assert (recheck.school.key, recheck.works_rechecked, recheck.works_changed,
            recheck.mean_change, recheck.subject.code) == ("bidzhan", 25, 9, -2.4, "rus")


def test_rows_rejected_by_the_reader_load_only_when_the_coordinator_chooses_so(
        tmp_path: Path, lenin: tuple[School, School]) -> None:
    path = objectivity_list(tmp_path / "маркеры.xlsx", [
        (2024, None, "Ленинский район", "без логина", {"4 РУ": 1}, 1),
        (2024, "sch053002", "Ленинский район", "МБОУ СОШ № 1", {"6 ИС": 1}, 1)])
    refused = import_file(path=path)
    assert refused.status == "failed" and refused.skippable and refused.rejected_rows == 1
    assert "Загрузить без отклонённых строк" in refused.summary()
    assert ObjectivityMarker.objects.count() == 0
    chosen = import_file(path=path, skip_rejected=True)
    assert chosen.ok, chosen.summary()
    assert [m.marker for m in ObjectivityMarker.objects.all()] == ["6 ИС"]
    assert "без отклонённых строк" in chosen.summary()
    assert [p.code for p in chosen.warnings] == ["required_missing"]


def test_a_whole_regions_table_keeps_the_schools_of_the_municipality_by_territory(
        tmp_path: Path, realdata: Path) -> None:
    """The table names municipalities by their renamed education bodies; the registry by name."""
    build(realdata / "ege_by_school_region_sample.xlsx", tmp_path / "ЕГЭ.xlsx")
    region = region_get_or_create(name="Еврейская автономная область")
    smidovich = municipality_get_or_create(region=region, name="Смидовичский район")
    outcome = import_file(path=tmp_path / "ЕГЭ.xlsx", municipality=smidovich,
                          create_missing_schools=True)
    assert outcome.ok, outcome.summary()
    names = {a.municipality_name for a in SchoolAggregate.objects.all()}
    assert names == {"Комитет образования Смидовичского муниципального округа"}
    assert outcome.skipped_rows > 0
    # both years of each school under one registry school: 2022 and 2023 rows share it
    years = {tuple(sorted(SchoolAggregate.objects.filter(school=s).values_list(
        "year", flat=True).distinct())) for s in School.objects.filter(municipality=smidovich)}
    assert (2022, 2023) in years


def test_an_unknown_kind_of_list_in_a_data_set_is_refused_by_the_gate() -> None:
    import pyarrow as pa

    from opora.web.imports.validation import validate_tables

    table = pa.Table.from_pylist([{"school_key": "k", "year": 2024, "list_kind": "top_100",
                                   "source": "s"}])
    [problem] = validate_tables({"official_lists": table}, "lists.parquet")
    assert problem.code == "unknown_code" and problem.column == "list_kind"
