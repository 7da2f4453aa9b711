"""Catalogues shared by every component: procedures, subjects, their scales, school kinds.

Code names follow the glossary of ``DOMAIN.md``; Russian names are what users see.
Aliases are the spellings met in real files (published ЕГЭ tables, ФИС ОКО forms); they are
compared after :func:`normalize_label`, so case, «ё», non-breaking spaces and trailing units such
as «, чел.» do not matter. :func:`subject_from_label` is tolerant of the qualifiers official
lists and regional tables put after a name — in parentheses or not: «(КЕГЭ)», «(базовый
уровень)», «(профиль)», «базовая», «(устная часть)», «(письменно)» — and maps each qualifier to
its meaning (the level of mathematics, the oral part of a foreign language) instead of ignoring it.

The subjects are those of the official lists: ЕГЭ (Рособрнадзор's schedule: русский язык,
математика базового и профильного уровня, физика, химия, информатика (КЕГЭ), биология, история,
география, обществознание, литература, английский, немецкий, французский, испанский и китайский
языки — письменная и устная части), ОГЭ and ГВЭ (the same subjects, one mathematics), ВПР
(ФИС ОКО: окружающий мир, иностранные языки, математика и физика углублённого уровня besides).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Scale:
    """A scale of published means: its code, Russian name and the range a mean must lie in."""

    code: str
    name_ru: str
    low: float
    high: float


SCALES: dict[str, Scale] = {
    s.code: s
    for s in (
        # ЕГЭ test score: 0–100 by the ФИПИ conversion scale
        Scale("test", "тестовый балл (0–100)", 0.0, 100.0),
        # primary scores: the largest ОГЭ/ВПР maximum is below 100, so 100 bounds a primary mean
        Scale("primary", "первичный балл", 0.0, 100.0),
        # a mark «2»…«5»: ГВЭ, ЕГЭ по математике базового уровня, «средняя отметка»
        Scale("mark", "отметка (2–5)", 2.0, 5.0),
        Scale("percent", "процент (0–100)", 0.0, 100.0),
    )
}


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
    # where the subject's mean is not on its procedure's scale: ЕГЭ по математике базового
    # уровня is marked «2»…«5» (no test score), so {"EGE": "mark"}
    scales: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    base: str = ""  # the subject a qualifier refines: math_profile → math, english_oral → english
    qualifier: str = ""  # profile, base, advanced, oral


def _language(code: str, name: str, short: str, stem: str) -> tuple[Subject, Subject]:
    """A foreign language and the oral part of its exam («раздел "Говорение"», ЕГЭ since 2015)."""
    return (Subject(code, f"{name} язык", short, (f"{stem} язык", stem)),
            Subject(f"{code}_oral", f"{name} язык (устная часть)", f"{short}У",
                    base=code, qualifier="oral"))


SUBJECTS: dict[str, Subject] = {
    s.code: s
    for s in (
        Subject("rus", "Русский язык", "РУ", ("русский", "русский язык", "ру", "рус")),
        Subject("math", "Математика", "МА", ("математика", "ма", "мат")),
        Subject("math_profile", "Математика (профильный уровень)", "МП",
                ("математика (профиль)", "математика профильная", "математика профиль",
                 "математика профильного уровня"), base="math", qualifier="profile"),
        Subject("math_base", "Математика (базовый уровень)", "МБ",
                ("математика (база)", "математика базовая", "математика базового уровня"),
                scales={"EGE": "mark"}, base="math",
                qualifier="base"),
        Subject("math_advanced", "Математика (углублённый уровень)", "МУ",
                base="math", qualifier="advanced"),
        Subject("okr_mir", "Окружающий мир", "ОМ", ("окружающий мир", "ом")),
        Subject("foreign", "Иностранные языки", "ИЯ",
                ("иностранные языки", "иностранный язык", "ин. яз", "ин.яз", "ия")),
        *_language("english", "Английский", "АЯ", "английский"),
        *_language("german", "Немецкий", "НЯ", "немецкий"),
        *_language("french", "Французский", "ФЯ", "французский"),
        *_language("spanish", "Испанский", "ИСП", "испанский"),
        *_language("chinese", "Китайский", "КЯ", "китайский"),
        Subject("history", "История", "ИС", ("история",)),
        Subject("literature", "Литература", "ЛИ", ("литература",)),
        Subject("social", "Обществознание", "ОБ", ("обществознание",)),
        Subject("informatics", "Информатика", "ИН",
                ("икт", "информатика", "информатика и икт",
                 "информатика и информационно-коммуникационные технологии",
                 "информатика и информационно-коммуникационные технологии (икт)")),
        Subject("chemistry", "Химия", "ХИ", ("химия",)),
        Subject("physics", "Физика", "ФИ", ("физика",)),
        Subject("physics_advanced", "Физика (углублённый уровень)", "ФУ",
                base="physics", qualifier="advanced"),
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


def mean_scale(procedure: str, subject: str) -> str:
    """The scale of a published mean of ``subject`` in ``procedure`` (a :data:`SCALES` code).

    The procedure's own scale unless the subject says otherwise: ЕГЭ по математике базового
    уровня is marked «2»…«5» (its mean of 4,5 is a mark, not 4,5 % of a test score).
    """
    found = SUBJECTS.get(subject)
    if found is not None and procedure in found.scales:
        return found.scales[procedure]
    return PROCEDURES[procedure].score_scale if procedure in PROCEDURES else "primary"


# --- subject names as files write them -------------------------------------------------------------

_QUALIFIERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (meaning, re.compile(pattern)) for meaning, pattern in (
        ("oral", r"устн\w*(?: част\w*| форм\w*)?|устно|(?:раздел )?говорение"),
        ("written", r"письменн\w*(?: част\w*| форм\w*)?|письменно"),
        ("profile", r"профил\w*(?: уров\w*)?|п"),
        ("base", r"баз\w*(?: уров\w*)?|б"),
        ("advanced", r"(?:с )?углубл\w*(?: уров\w*| изучен\w*)?"),
        # words that name no other subject: the computer form of informatics, its old name
        ("", r"кегэ|к|в компьютерной форме|компьютерн\w*(?: форм\w*)?|икт"),
    )
)
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_SEPARATORS = re.compile(r"\s*[,:–—-]\s*|\s+")
_NOTE = re.compile(r"\(в т\.?\s*ч\..*$")


def _qualifier(text: str) -> str | None:
    """The meaning of one qualifier («(профиль)» → profile), "" for a word that changes nothing,
    None for text that is no qualifier."""
    text = re.sub(r"[«»\"']", "", text).strip(" .")
    for meaning, pattern in _QUALIFIERS:
        if pattern.fullmatch(text):
            return meaning
    return None


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Folded name or alias → code, for the subjects without a qualifier."""
    names: dict[str, str] = {}
    for subject in SUBJECTS.values():
        for name in (subject.name_ru, *subject.aliases):
            names.setdefault(normalize_label(name), subject.code)
    return names


@lru_cache(maxsize=1)
def _refined() -> dict[tuple[str, str], str]:
    """(base code, qualifier) → code: (math, profile) → math_profile."""
    return {(s.base, s.qualifier): s.code for s in SUBJECTS.values() if s.base}


@lru_cache(maxsize=16384)
def subject_from_label(text: object) -> str | None:
    """Return the subject code a header names, or None when it names no known subject.

    The label is matched on its first line only (headers carry notes such as
    «(в т.ч. участвовавшие в 2023 году)» on the next line). Qualifiers in parentheses or after
    the name are read for their meaning (module docstring); a parenthesised text that is no
    qualifier makes the label unknown, so that it is reported rather than read as another
    subject. Cached: format detection asks it about every header cell of every file.
    """
    first_line = str(text or "").replace("\u00a0", " ").split("\n")[0]
    label = normalize_label(_NOTE.sub("", first_line)).strip(" .,")
    known = _names().get(label)
    if known is not None or not label:
        return known
    qualifiers: list[str] = []
    for inner in _PARENTHESES.findall(label):
        meaning = _qualifier(normalize_label(inner))
        language = _names().get(normalize_label(inner))
        if meaning is None and language is not None and SUBJECTS[language].short_ru:
            qualifiers.append(f"language:{language}")  # «Иностранный язык (английский)»
        elif meaning is None:
            return None
        else:
            qualifiers.append(meaning)
    name = _SPACES.sub(" ", _PARENTHESES.sub(" ", label)).strip(" .,-–—")
    while name not in _names():
        split = _trailing_qualifier(name)
        if split is None:
            return None
        name, meaning = split
        qualifiers.append(meaning)
    return _refine(_names()[name], qualifiers)


def _trailing_qualifier(name: str) -> tuple[str, str] | None:
    """«английский язык, устная часть» → («английский язык», oral); None without a qualifier."""
    words = [w for w in _SEPARATORS.split(name) if w]
    for size in (3, 2, 1):  # the longest first: «устная часть» before «часть»
        if len(words) > size:
            meaning = _qualifier(" ".join(words[-size:]))
            if meaning is not None:
                return " ".join(words[:-size]), meaning
    return None


def _refine(code: str, qualifiers: list[str]) -> str | None:
    """Apply the qualifiers to a base subject; None where they contradict it («Химия (профиль)»)."""
    for qualifier in qualifiers:
        if qualifier.startswith("language:"):
            if code != "foreign":
                return None
            code = qualifier.removeprefix("language:")
        elif qualifier == "written" and (code in _LANGUAGES or code == "foreign"):
            continue  # the written part is the exam's main part: the language's own code
        elif qualifier:
            refined = _refined().get((code, qualifier))
            if refined is None:
                return None
            code = refined
    return code


_LANGUAGES = {s.code for s in SUBJECTS.values() if any(s2.base == s.code and s2.qualifier == "oral"
                                                       for s2 in SUBJECTS.values())}


def subject_from_marker(short: str) -> str | None:
    """Map a marker abbreviation («РУ», «МА») to a subject code."""
    short = normalize_label(short).upper()
    for subject in SUBJECTS.values():
        if subject.short_ru == short:
            return subject.code
    return None
