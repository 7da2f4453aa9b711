"""Matching one school across years and files although its name is spelled differently."""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest

from opora.formats.school_matching import (
    match_schools,
    school_kind,
    school_match_key,
    school_number,
    short_name,
)

BIRO = "город Биробиджан"
SMID = "Смидовичский район"


@pytest.mark.parametrize(("first", "second"), [
    (('МБОУ "СОШ № 5"', BIRO), ("МАОУ «Средняя общеобразовательная школа №5»", BIRO)),
    (('МБОУ "СОШ № 5"', BIRO), ("МКОУ СОШ №5", "Город\u00a0Биробиджан")),
    (('МКОУ "СОШ с. Лазарево', "Ленинский район"), ("МКОУ «СОШ с.Лазарево»", "Ленинский район")),
    (('МКОУ "Центр образвоания им.В.И. Пеллера"', "Биробиджанский район"),
     ("МКОУ «Центр образования имени В. И. Пеллера»", "Биробиджанский район")),
    (("Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная "
      "школа № 7 поселка Николаевка»", SMID), ('МБОУ "СОШ № 7 п.Николаевка"', SMID)),
    (('МБОУ "ООШ № 3"', BIRO), ("ОГАОУ «Основная общеобразовательная школа № 3»", BIRO)),
])
def test_spellings_of_one_school_give_one_key(first: tuple[str, str], second: tuple[str, str]) -> None:
    assert school_match_key(*first) == school_match_key(*second)


@pytest.mark.parametrize(("first", "second"), [
    (('МБОУ "СОШ № 2 п.Николаевка"', SMID), ('МБОУ "СОШ № 7 п.Николаевка"', SMID)),
    (('МБОУ "СОШ № 10"', BIRO), ('МБОУ "СОШ № 10 п.Волочаевка"', SMID)),
    (('МБОУ "СОШ № 10 п.Волочаевка"', SMID), ('МБОУ "СОШ № 11 с.Волочаевка"', SMID)),
    (('МКОУ "СОШ с.Бирофельд"', "Биробиджанский район"),
     ('МКОУ "СОШ с.Дубовое"', "Биробиджанский район")),
    (('МБОУ "СОШ № 15"', BIRO), ('МБОУ "ООШ № 15"', BIRO)),
])
def test_different_schools_neither_share_a_key_nor_match(
        first: tuple[str, str], second: tuple[str, str]) -> None:
    assert school_match_key(*first) != school_match_key(*second)
    match = match_schools([first], [("k", *second)]).matches[0]
    assert match.status == "none" and match.school_key is None


def test_a_municipality_renamed_by_case_still_matches_exactly() -> None:
    report = match_schools([('МБОУ "Гимназия № 1"', "Город Биробиджан")],
                           [("g1", 'МБОУ "Гимназия № 1"', "город Биробиджан")])
    assert [(m.status, m.school_key) for m in report.matches] == [("exact", "g1")]


def test_a_typo_outside_the_vocabulary_is_a_unique_fuzzy_match_with_its_score() -> None:
    registry = [("v", 'МКОУ "СОШ им.И.А. Пришкольника с.Валдгейм"', "Биробиджанский район"),
                ("b", 'МКОУ "СОШ с.Бирофельд"', "Биробиджанский район")]
    match = match_schools([('МКОУ "СОШ им.И.А. Пришколника с.Валдгейм"', "Биробиджанский район")],
                          registry).matches[0]
    assert (match.status, match.school_key) == ("fuzzy", "v")
    assert 0.85 <= match.score < 1.0


def test_a_name_without_its_number_is_ambiguous_and_never_guessed() -> None:
    registry = [("n2", 'МБОУ "СОШ № 2 п.Николаевка"', SMID),
                ("n7", 'МБОУ "СОШ № 7 п.Николаевка"', SMID)]
    match = match_schools([("СОШ п.Николаевка", SMID)], registry).matches[0]
    assert match.status == "ambiguous" and match.school_key is None
    assert {c.school_key for c in match.candidates} == {"n2", "n7"}
    assert "выберите вручную" in match.describe()


def test_two_registry_schools_with_one_key_make_an_exact_name_ambiguous() -> None:
    registry = [("a", 'МБОУ "СОШ № 5"', BIRO), ("b", "МАОУ СОШ №5", BIRO)]
    match = match_schools([("СОШ № 5", BIRO)], registry).matches[0]
    assert match.status == "ambiguous"


def test_an_unknown_school_is_offered_as_new() -> None:
    report = match_schools([('ОГАОУ "Центр образвоания "Ступени"', BIRO)],
                           [("g1", 'МБОУ "Гимназия № 1"', BIRO)])
    assert [m.status for m in report.new] == ["none"]
    assert "новая школа" in report.new[0].describe()


def _sample_schools(path: Path, sheet: str) -> list[tuple[str, str]]:
    """(name, municipality) of each school row, read with openpyxl independently of the reader."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    found, municipality = [], ""
    for r in range(11, ws.max_row + 1):
        a, b = ws.cell(r, 1).value, ws.cell(r, 2).value
        if isinstance(a, str):
            municipality = a
        elif isinstance(b, str):
            found.append((b, municipality))
    return found


def test_all_schools_of_2023_match_their_2022_rows_in_the_sample(realdata: Path) -> None:
    path = realdata / "ege_by_school_region_sample.xlsx"
    older, newer = _sample_schools(path, "2022"), _sample_schools(path, "2023")
    assert (len(older), len(newer)) == (43, 42)
    registry = [(f"s{i}", name, municipality) for i, (name, municipality) in enumerate(older)]
    report = match_schools(newer, registry)
    assert len(report.exact) == 42
    assert len({m.school_key for m in report.exact}) == 42
    back = match_schools(older, [(f"n{i}", *s) for i, s in enumerate(newer)])
    # 2023 has no row for СОШ № 10 п.Волочаевка (it is in 2022, row 57)
    assert [m.name for m in back.new] == ['МБОУ "СОШ № 10 п.Волочаевка"']
    assert len(back.exact) == 42


def test_all_keys_of_one_sample_year_are_distinct(realdata: Path) -> None:
    schools = _sample_schools(realdata / "ege_by_school_region_sample.xlsx", "2022")
    assert len({school_match_key(*s) for s in schools}) == len(schools) == 43


@pytest.mark.parametrize(("name", "kind", "number", "short"), [
    ('МБОУ "СОШ № 5"', "secondary", 5, "СОШ № 5"),
    ('МБОУ "Гимназия № 1"', "gymnasium", 1, "Гимназия № 1"),
    ('МБОУ "Лицей № 23 с этнокультурным компонентом"', "lyceum", 23,
     "Лицей № 23 с этнокультурным компонентом"),
    ('ЧАУ Школа-интернат № 27 ОАО РДЖ"" ', "boarding", 27, "Школа-интернат № 27 ОАО РДЖ"),
    ('МКОУ Центр образовнаия им.А.И. Раскопенского п.Кульдур"', "secondary", None,
     "Центр образовнаия им.А.И. Раскопенского п.Кульдур"),
    ("МКОУ «Основная общеобразовательная школа № 3»", "basic", 3,
     "Основная общеобразовательная школа № 3"),
    ("МКОУ НОШ № 4", "primary", 4, "НОШ № 4"),
    ("МБОУ «Вечерняя (сменная) общеобразовательная школа»", "evening", None,
     "Вечерняя (сменная) общеобразовательная школа"),
])
def test_kind_number_and_short_name_come_from_the_name(
        name: str, kind: str, number: int | None, short: str) -> None:
    assert (school_kind(name), school_number(name), short_name(name)) == (kind, number, short)
