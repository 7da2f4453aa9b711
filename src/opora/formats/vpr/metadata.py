"""What a ВПР collection form does not say: school, subject, grade, year — from hints or names.

The form ФИС ОКО hands to a school holds participant codes and scores only. Schools save it under
names like ``edu053001_РУ_4_2024.xlsx`` (the ФИС ОКО login of the school, the subject abbreviation
used in federal lists, the grade, the year), so the file name — and, for a workbook with one sheet
per work, the sheet name — often carries the rest. Parsing is conservative: a name that could mean
two things (two grades, two subjects) gives nothing, and the reader then asks the user instead of
guessing. Explicit hints (``opora read --school … --subject …``, the import page) always win.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from typing import TypeVar

from opora.catalog import PROCEDURES, SUBJECTS, normalize_label, subject_from_label
from opora.formats.hints import ReadHints

T = TypeVar("T")

# Years the product deals with (ВПР exist since 2015); a four-digit number outside is not a year.
YEAR_MIN, YEAR_MAX = 2015, 2035

_LOGIN = re.compile(r"(?<![a-z0-9])(edu\d{4,})(?![0-9])", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_GRADE_WORD = re.compile(r"(?<!\d)(\d{1,2})\s*[-_]?\s*(?:класс[а-я]*|кл\.?)(?![а-я])")
_TOKEN_SPLIT = re.compile(r"[\s_\-.,;()\[\]]+")


@dataclass(frozen=True)
class WorkMeta:
    """The identity of one work (ВПР by one school in one subject, grade and year)."""

    school_key: str | None = None
    procedure: str | None = None
    subject: str | None = None
    grade: int | None = None
    year: int | None = None

    def missing(self) -> list[str]:
        """Russian names of what is still unknown, in the order a user would give them."""
        names = {"school_key": "школа", "subject": "предмет", "grade": "класс", "year": "год"}
        return [ru for attr, ru in names.items() if getattr(self, attr) is None]

    def or_else(self, other: WorkMeta) -> WorkMeta:
        """Fill what is unknown here from ``other`` (self wins)."""
        values = {
            f.name: getattr(self, f.name) if getattr(self, f.name) is not None
            else getattr(other, f.name)
            for f in fields(self)
        }
        return replace(self, **values)


def subject_code(text: object) -> str | None:
    """A subject given by code (``rus``), Russian name, alias or abbreviation (``РУ``)."""
    label = normalize_label(text)
    if not label:
        return None
    for subject in SUBJECTS.values():
        names = {subject.code, normalize_label(subject.name_ru), subject.short_ru.lower(),
                 *subject.aliases}
        if label in names:
            return subject.code
    return subject_from_label(text)  # «Информатика (КЕГЭ)», «Английский язык (устный)»


def procedure_code(text: object) -> str | None:
    """A procedure given by code (``VPR``) or Russian name (``ВПР``), any case."""
    label = normalize_label(text)
    for procedure in PROCEDURES.values():
        if label in (procedure.code.lower(), procedure.name_ru.lower()):
            return procedure.code
    return None


def meta_from_hints(hints: ReadHints) -> tuple[WorkMeta, list[str]]:
    """Hints as a :class:`WorkMeta`, plus Russian complaints about hints that name nothing known."""
    complaints = []
    subject = subject_code(hints.subject) if hints.subject else None
    if hints.subject and subject is None:
        complaints.append(f"предмет «{hints.subject}» не найден в справочнике предметов")
    procedure = procedure_code(hints.procedure) if hints.procedure else None
    if hints.procedure and procedure is None:
        complaints.append(f"процедура «{hints.procedure}» неизвестна (допустимы ВПР, ОГЭ, ЕГЭ, …)")
    meta = WorkMeta(hints.school_key or None, procedure, subject, hints.grade, hints.year)
    return meta, complaints


def meta_from_name(name: str, bare_grade: bool = True) -> WorkMeta:
    """Whatever a file or sheet name says unambiguously; anything doubtful stays ``None``.

    ``bare_grade=False`` (sheet names) takes a grade only when it is worded («5 класс», «5кл»):
    sheets are often numbered («Протокол_2»), and that number is not a grade.
    """
    text = normalize_label(name)
    login = _unique(m.lower() for m in _LOGIN.findall(text))
    years = [int(y) for y in _YEAR.findall(text) if YEAR_MIN <= int(y) <= YEAR_MAX]
    rest = _LOGIN.sub(" ", _YEAR.sub(" ", text))
    return WorkMeta(
        school_key=login,
        subject=_subject_in(rest),
        grade=_grade_in(rest, bare_grade),
        year=_unique(years),
    )


def _unique(values: Iterable[T]) -> T | None:
    found = set(values)
    return found.pop() if len(found) == 1 else None


def _grade_in(text: str, bare_grade: bool) -> int | None:
    worded = {int(g) for g in _GRADE_WORD.findall(text)}
    if worded or not bare_grade:
        return _valid_grade(_unique(worded))
    tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
    bare = {int(t) for t in tokens if t.isdigit() and len(t) <= 2}
    return _valid_grade(_unique(bare))


def _valid_grade(grade: int | None) -> int | None:
    return grade if grade is not None and 1 <= grade <= 11 else None


def _subject_in(text: str) -> str | None:
    """The one subject whose longest name occurs in ``text`` as whole words."""
    padded = " " + " ".join(t for t in _TOKEN_SPLIT.split(text) if t) + " "
    best: dict[str, int] = {}
    for subject in SUBJECTS.values():
        names = {subject.code, normalize_label(subject.name_ru), subject.short_ru.lower(),
                 *subject.aliases}
        for candidate in names:
            words = " ".join(t for t in _TOKEN_SPLIT.split(candidate) if t)
            if words and f" {words} " in padded:
                best[subject.code] = max(best.get(subject.code, 0), len(words))
    if not best:
        return None
    longest = max(best.values())
    winners = [code for code, length in best.items() if length == longest]
    # «математика профиль» names math_profile; the shorter «математика» inside it does not count.
    return winners[0] if len(winners) == 1 else None
