"""Russian names of what the analysis pages show: procedures, subjects, objectivity signs.

Procedures and subjects come from :mod:`opora.catalog`; the objectivity signs are the columns of
the engine's ``objectivity.parquet`` (issue 3, «Non-objectivity signs»), each with the column
that holds its value and the unit that value is in.
"""

from __future__ import annotations

from opora.catalog import PROCEDURES, SUBJECTS

#: sign code → (Russian name, value column of objectivity.parquet, unit shown after the value).
OBJECTIVITY_SIGNS: dict[str, tuple[str, str, str]] = {
    "term": ("Отметка ВПР выше четвертной у необычной доли обучающихся", "term_above_pct", "%"),
    "boundary": ("Пик первичных баллов сразу над границей отметки", "boundary_z", "z"),
    "inversion": ("Лёгкие задания выполнены хуже трудных (относительно региона)",
                  "inversion_corr", "r"),
    "cohort": ("Когорта 4 класса резко падает в 5 классе", "cohort_change_pct", "п. п."),
    "unconfirmed": ("Результат ВПР намного выше региона не подтверждён ОГЭ/ЕГЭ", "vpr_gap_pct",
                    "п. п."),
    "marker": ("Школа в федеральном списке маркеров необъективности", "marker", ""),
}


def procedure_name(code: str) -> str:
    found = PROCEDURES.get(code)
    return found.name_ru if found else code


def subject_name(code: str) -> str:
    found = SUBJECTS.get(code)
    return found.name_ru if found else code


#: sign code → a short column heading for the card's table of signs (the full name in a hint).
SIGN_HEADINGS: dict[str, str] = {
    "term": "ВПР выше четвертной", "boundary": "Пик над границей", "inversion": "Инверсия заданий",
    "cohort": "Падение когорты", "unconfirmed": "Не подтверждён ОГЭ/ЕГЭ",
    "marker": "Федеральный маркер",
}


def sign_name(code: str) -> str:
    found = OBJECTIVITY_SIGNS.get(code)
    return found[0] if found else code
