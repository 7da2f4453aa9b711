"""Catalogues shared by every component: procedures, subjects, school kinds.

Code names follow the glossary of ``DOMAIN.md``; Russian names are what users see.
Aliases are the spellings met in real files (published ЕГЭ tables, ФИС ОКО forms); they are
compared after :func:`normalize_label`, so case, non-breaking spaces and trailing units such as
«, чел.» do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Procedure:
    code: str
    name_ru: str
    grades: tuple[int, ...]
    score_scale: str  # the scale of the published mean: "primary", "test" or "mark"


PROCEDURES: dict[str, Procedure] = {
    p.code: p
    for p in (
        Procedure("VPR", "ВПР", (4, 5, 6, 7, 8, 10, 11), "primary"),
        Procedure("OGE", "ОГЭ", (9,), "primary"),
        Procedure("EGE", "ЕГЭ", (11,), "test"),
        Procedure("GVE", "ГВЭ", (9, 11), "mark"),
        Procedure("NIKO", "НИКО", (4, 5, 6, 7, 8, 9, 10, 11), "primary"),
        Procedure("DKR", "ДКР", (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), "primary"),
    )
}


@dataclass(frozen=True)
class Subject:
    code: str
    name_ru: str
    short_ru: str  # the abbreviation used in federal objectivity markers («4 РУ», «5 МА»)
    aliases: tuple[str, ...] = ()


SUBJECTS: dict[str, Subject] = {
    s.code: s
    for s in (
        Subject("rus", "Русский язык", "РУ", ("русский", "русский язык", "ру", "рус")),
        Subject("math", "Математика", "МА", ("математика", "ма", "мат")),
        Subject("math_profile", "Математика (профильный уровень)", "МП",
                ("математика (профиль)", "математика профильная", "математика (профильный уровень)",
                 "математика профиль")),
        Subject("math_base", "Математика (базовый уровень)", "МБ",
                ("математика (база)", "математика базовая", "математика (базовый уровень)")),
        Subject("okr_mir", "Окружающий мир", "ОМ", ("окружающий мир", "ом")),
        Subject("foreign", "Иностранные языки", "ИЯ",
                ("иностранные языки", "иностранный язык", "ин. яз", "ия")),
        Subject("english", "Английский язык", "АЯ", ("английский язык", "английский")),
        Subject("history", "История", "ИС", ("история",)),
        Subject("literature", "Литература", "ЛИ", ("литература",)),
        Subject("social", "Обществознание", "ОБ", ("обществознание",)),
        Subject("informatics", "Информатика", "ИН", ("икт", "информатика", "информатика и икт")),
        Subject("chemistry", "Химия", "ХИ", ("химия",)),
        Subject("physics", "Физика", "ФИ", ("физика",)),
        Subject("biology", "Биология", "БИ", ("биология",)),
        Subject("geography", "География", "ГЕ", ("география",)),
    )
}

SCHOOL_KINDS: dict[str, str] = {
    "primary": "начальная",
    "basic": "основная",
    "secondary": "средняя",
    "lyceum": "лицей",
    "gymnasium": "гимназия",
    "boarding": "интернат",
    "evening": "вечерняя",
}

_UNIT_SUFFIX = re.compile(r",?\s*(чел\.?|%|балл(ов)?)\s*$")
_SPACES = re.compile(r"\s+")


def normalize_label(text: object) -> str:
    """Fold a header or a name for comparison: NFKC, lower case, one space, no «, чел.»."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).replace("\u00a0", " ").lower()
    folded = folded.replace("ё", "е")
    folded = _SPACES.sub(" ", folded).strip()
    return _UNIT_SUFFIX.sub("", folded).strip()


@lru_cache(maxsize=16384)
def subject_from_label(text: object) -> str | None:
    """Return the subject code a header names, or None when it names no known subject.

    The label is matched on its first line only (headers carry notes such as
    «(в т.ч. участвовавшие в 2023 году)» on the next line). Cached: format detection asks it
    about every header cell of every file, and headers repeat from file to file.
    """
    first_line = str(text or "").replace("\u00a0", " ").split("\n")[0]
    label = normalize_label(re.sub(r"\(в т\.?\s*ч\..*$", "", first_line))
    for subject in SUBJECTS.values():
        if label == normalize_label(subject.name_ru) or label in subject.aliases:
            return subject.code
    return None


def subject_from_marker(short: str) -> str | None:
    """Map a marker abbreviation («РУ», «МА») to a subject code."""
    short = normalize_label(short).upper()
    for subject in SUBJECTS.values():
        if subject.short_ru == short:
            return subject.code
    return None
