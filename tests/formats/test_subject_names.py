"""Every subject of ЕГЭ, ОГЭ, ГВЭ and ВПР as official lists and regional tables name it (issue 11, 1).

A real two-year table lost 5 % of its participations because German, French, Spanish, Chinese,
the oral parts of foreign languages and «Информатика и ИКТ (КЕГЭ)» were unknown. The names here
are spelled as files spell them: case, spacing, «ё», units and qualifiers in parentheses or not.
"""

from __future__ import annotations

import pytest

from opora.catalog import PROCEDURES, SCALES, SUBJECTS, mean_scale, subject_from_label

OFFICIAL_NAMES = [
    # ЕГЭ: Рособрнадзор's schedule and regional tables
    ("Русский язык", "rus"), ("Математика (базовый уровень)", "math_base"),
    ("Математика (профильный уровень)", "math_profile"), ("Математика базовая", "math_base"),
    ("Математика профильная", "math_profile"), ("Математика (профиль), чел.", "math_profile"),
    ("МАТЕМАТИКА  (ПРОФИЛЬНЫЙ  УРОВЕНЬ)", "math_profile"), ("Математика Б", "math_base"),
    ("Физика", "physics"), ("Химия, чел.", "chemistry"), ("Биология\u00a0, чел.", "biology"),
    ("Информатика и ИКТ (КЕГЭ)", "informatics"), ("Информатика (КЕГЭ)", "informatics"),
    ("Информатика и ИКТ", "informatics"), ("ИКТ, чел.", "informatics"),
    ("История", "history"), ("География, чел. \n(в т.ч. участвовавшие в 2023 году)", "geography"),
    ("Обществознание", "social"), ("Литература", "literature"),
    ("Английский язык", "english"), ("Английский язык (письменная часть)", "english"),
    ("Английский язык (устный)", "english_oral"), ("Английский язык (устная часть)", "english_oral"),
    ("английский язык, устная часть", "english_oral"), ("Английский язык устно", "english_oral"),
    ("Английский язык (раздел «Говорение»)", "english_oral"),
    ("Немецкий язык", "german"), ("Немецкий язык (устный)", "german_oral"),
    ("Французский язык (письменный)", "french"), ("Французский язык (устный)", "french_oral"),
    ("Испанский язык", "spanish"), ("Испанский язык (устный)", "spanish_oral"),
    ("Китайский язык", "chinese"), ("Китайский язык (устная часть)", "chinese_oral"),
    ("Иностранный язык (английский)", "english"), ("Иностранные языки, чел.", "foreign"),
    # ВПР (ФИС ОКО)
    ("Окружающий мир", "okr_mir"), ("Математика", "math"),
    ("Математика (углублённый уровень)", "math_advanced"),
    ("Физика (с углубленным изучением)", "physics_advanced"),
]


@pytest.mark.parametrize(("label", "code"), OFFICIAL_NAMES)
def test_an_official_subject_name_is_known(label: str, code: str) -> None:
    assert subject_from_label(label) == code


@pytest.mark.parametrize("label", ["Химия (профиль)", "Астрономия", "Родной язык (русский)",
                                   "Русский язык (устный)", "Профиль", "из них", "ВСЕГО"])
def test_a_name_that_is_no_subject_or_contradicts_its_qualifier_stays_unknown(label: str) -> None:
    assert subject_from_label(label) is None


def test_yo_and_e_are_the_same_letter() -> None:
    assert subject_from_label("Математика (углублённый уровень)") == subject_from_label(
        "математика (углубленный уровень)") == "math_advanced"


def test_every_subject_has_a_marker_abbreviation_of_its_own() -> None:
    shorts = [s.short_ru for s in SUBJECTS.values()]
    assert len(shorts) == len(set(shorts)) and all(shorts)


def test_every_subject_is_found_by_its_own_russian_name() -> None:
    for subject in SUBJECTS.values():
        assert subject_from_label(subject.name_ru) == subject.code, subject.name_ru


def test_ege_basic_mathematics_is_marked_not_scored() -> None:
    assert mean_scale("EGE", "math_base") == "mark"
    assert mean_scale("EGE", "math_profile") == "test"
    assert mean_scale("OGE", "math") == "primary" and mean_scale("GVE", "rus") == "mark"


def test_every_subject_and_procedure_has_a_scale_in_the_catalogue() -> None:
    for procedure in PROCEDURES:
        for subject in SUBJECTS:
            assert mean_scale(procedure, subject) in SCALES
    assert (SCALES["mark"].low, SCALES["mark"].high) == (2.0, 5.0)
