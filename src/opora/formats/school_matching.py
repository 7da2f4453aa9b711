"""Recognise the same school across years and files, although its name is written differently.

Published tables spell one school many ways: ``МБОУ "СОШ № 5"`` one year, ``МАОУ «Средняя
общеобразовательная школа №5»`` the next (the legal form changes бюджетное → автономное →
казённое), with unbalanced quotes (``МКОУ "СОШ с. Лазарево``), non-breaking spaces, another case
and typos («Центр образвоания»). A municipality is renamed by case only («город Биробиджан» /
«Город Биробиджан»). What must never be folded away is what tells two schools apart: the number
(«СОШ № 2 п.Николаевка» is not «СОШ № 7 п.Николаевка»), the settlement («с.Волочаевка») and the
municipality («СОШ № 10» of Биробиджан is not «СОШ № 10 п.Волочаевка» of Смидовичский район).

:func:`school_match_key` folds a name to a key that keeps exactly those; :func:`match_schools`
compares incoming names with a registry and says for each one: the same key (``exact``), one
close candidate (``fuzzy``, with its score), several candidates (``ambiguous`` — reported, never
guessed) or nothing (``none`` — a new school the user may create).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher, get_close_matches
from functools import lru_cache
from typing import Literal

MatchStatus = Literal["exact", "fuzzy", "ambiguous", "none"]

FUZZY_THRESHOLD = 0.85
"""The least similarity (difflib ratio of the folded names) for a fuzzy candidate.

A one- or two-letter typo in a folded name of 20 or more letters scores above 0.9 (the sample's
«Пришкольника» / «Пришколника» scores 0.98); 0.85 leaves a margin. Schools with different
municipalities, numbers, settlements or levels are never compared at all (:func:`compatible`),
so the threshold only has to separate spellings of names that agree on all of those.
"""

SETTLEMENT_TYPO_SCORE = 0.9  # «с.камышовка» / «с.камшовка» 0.95; «с.ивановка» / «с.ивановское» 0.82

# Words a typo is corrected to: the vocabulary of school names (a token within difflib's 0.8 of
# one of these is replaced by it, so «образвоания» and «образовнаия» become «образования»).
_VOCABULARY = (
    "образования", "общеобразовательная", "общеобразовательное", "средняя", "основная",
    "начальная", "школа", "школа-интернат", "интернат", "центр", "лицей", "гимназия",
    "вечерняя", "сменная", "учреждение", "имени",
)

_QUOTES = re.compile(r"[«»\"'“”„‘’`]")
_LEGAL_PHRASE = re.compile(
    r"(?:(?:муниципальное|государственное|областное|краевое|федеральное|частное|"
    r"негосударственное)\s+)*(?:(?:бюджетное|автономное|казенное)\s+)?"
    r"(?:обще)?образовательное\s+учреждение"
)
# Abbreviated legal forms: МБОУ, МАОУ, МКОУ, ОГАОУ, ОГБОУ, ГБОУ, ФКОУ, ФГБОУ ВО, ЧОУ, ЧАУ, АНО, НОУ…
_LEGAL_ABBREVIATION = re.compile(
    r"(?<![\w.])(?:[мгофчнкр]{0,3}[бак]?н?оу(?:\s?во)?|чау|чу|ано|ано\s?оо)(?![\w])"
)
_FULL_KINDS = (
    (re.compile(r"средн\w*\s+общеобразовательн\w*\s+школ\w*"), "сош"),
    (re.compile(r"основн\w*\s+общеобразовательн\w*\s+школ\w*"), "оош"),
    (re.compile(r"начальн\w*\s+общеобразовательн\w*\s+школ\w*"), "нош"),
    (re.compile(r"вечерн\w*\s+(?:\(?сменн\w*\)?\s+)?общеобразовательн\w*\s+школ\w*"), "вош"),
    (re.compile(r"средн\w*\s+школ\w*"), "сош"),
    (re.compile(r"основн\w*\s+школ\w*"), "оош"),
    (re.compile(r"начальн\w*\s+школ\w*"), "нош"),
    (re.compile(r"центр\w*\s+образован\w*"), "цо"),
    (re.compile(r"\bимени\b"), "им."),
)
_NUMBER = re.compile(r"(?:№|\bn\b|\bномер\b)\s*(\d+)")
_BARE_NUMBER = re.compile(r"\b(сош|оош|нош|вош|цо|лицей|гимназия|школа|школа-интернат)\s+(\d+)\b")
_SETTLEMENT_TYPES = (
    (re.compile(r"\b(?:пгт|пос[её]л(?:ок|ка|ке)|пос\b)\s*\.?\s*(?=\w)"), "п."),
    (re.compile(r"\bп\s*\.\s*(?=\w)"), "п."),
    (re.compile(r"\bсел[оае]\s+(?=\w)"), "с."),
    (re.compile(r"\bс\s*\.\s*(?=\w)"), "с."),
    (re.compile(r"\bгород[ае]?\s+(?=\w)"), "г."),
    (re.compile(r"\bг\s*\.\s*(?=\w)"), "г."),
    (re.compile(r"\bдеревн[яие]\s+(?=\w)"), "д."),
    (re.compile(r"\bд\s*\.\s*(?=\w)"), "д."),
)
_SETTLEMENT = re.compile(r"(?<![\w.])([спгд]\.[\w-]+)")
# The territory some years append to a name: «… Смидовичского муниципального района Еврейской
# автономной области», «… Республики Саха (Якутия)» — the municipality is in the key already.
_TERRITORY_SUFFIX = re.compile(
    r"(?:\s+[\w-]+(?:ого|его|ой|ей)){1,3}\s+(?:муниципальн\w+\s+|городск\w+\s+)?"
    r"(?:района|округа|края|области)\b|\s+республики\s+[\w-]+")
_LEVEL = re.compile(r"\b(сош|оош|нош|вош)\b")
_PUNCTUATION = re.compile(r"[^\w№.\- ]+")
_SPACES = re.compile(r"\s+")


def fold_text(text: object) -> str:
    """NFKC, no non-breaking spaces, lower case, «ё» → «е», one space between words."""
    parts = str(text or "").split("№")  # NFKC would turn «№» into «No»
    folded = "№".join(unicodedata.normalize("NFKC", p) for p in parts)
    folded = folded.replace("\u00a0", " ").lower()
    return _SPACES.sub(" ", folded.replace("ё", "е")).strip()


def municipality_key(municipality: object) -> str:
    """Fold a municipality name: case, spaces, «город» ↔ «г.», «муниципальный район» ↔ «район»."""
    return _municipality_key(str(municipality or ""))


@lru_cache(maxsize=65536)  # a region file repeats each municipality on every school row
def _municipality_key(municipality: str) -> str:
    text = _QUOTES.sub("", fold_text(municipality))
    text = re.sub(r"\bгородской округ\b", "го", text)
    text = re.sub(r"\bмуниципальн\w* район\b|\bр-н\b", "район", text)
    text = re.sub(r"\bгород\s+|\bг\.\s*", "г.", text)
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def _fix_typos(text: str) -> str:
    return " ".join(_fix_word(word) for word in text.split(" "))


@lru_cache(maxsize=65536)
def _fix_word(word: str) -> str:
    if len(word) < 5 or word in _VOCABULARY:
        return word
    close = get_close_matches(word, _VOCABULARY, n=1, cutoff=0.8)
    return close[0] if close else word


def name_key(name: object) -> str:
    """Fold a school name: no legal form or quotes, short kind («сош»), «№5», «с.волочаевка»."""
    return _name_key(str(name or ""))


@lru_cache(maxsize=65536)  # the same names come back in every sheet (year) of a file
def _name_key(name: str) -> str:
    text = _QUOTES.sub(" ", fold_text(name))
    text = _fix_typos(_SPACES.sub(" ", text).strip())
    text = _LEGAL_PHRASE.sub(" ", text)
    text = _LEGAL_ABBREVIATION.sub(" ", text)
    for pattern, short in _FULL_KINDS:
        text = pattern.sub(short, text)
    for pattern, short in _SETTLEMENT_TYPES:
        text = pattern.sub(short, text)
    text = _TERRITORY_SUFFIX.sub(" ", text)
    text = re.sub(r"\bим\s*\.\s*", "им.", text)
    text = re.sub(r"(\w)\.\s+(?=\w\.)", r"\1.", text)  # initials «И. А.» → «и.а.»
    text = _NUMBER.sub(r"№\1", text)
    text = _BARE_NUMBER.sub(r"\1 №\2", text)
    text = _PUNCTUATION.sub(" ", text).replace(" -", " ").replace("- ", " ")
    return _SPACES.sub(" ", text).strip(" .-")


def school_match_key(name: object, municipality: object) -> str:
    """A stable key of a school: folded municipality and folded name, spaces as «-».

    ``МБОУ "СОШ № 5"`` and ``МАОУ «Средняя общеобразовательная школа №5»`` of «город Биробиджан»
    both give ``г.биробиджан:сош-№5``.
    """
    return f"{municipality_key(municipality)}:{name_key(name)}".replace(" ", "-")


def school_number(name: object) -> int | None:
    """The school's number («№ 5», «№5», «N 5»), or None."""
    found = re.search(r"№(\d+)", name_key(name))
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Candidate:
    school_key: str
    name: str
    municipality: str
    score: float


@dataclass(frozen=True)
class Match:
    """What became of one incoming name."""

    name: str
    municipality: str
    key: str  # the incoming name's own match key
    status: MatchStatus
    school_key: str | None = None  # the registry school it is (exact or fuzzy), else None
    score: float = 0.0
    candidates: tuple[Candidate, ...] = ()

    def describe(self) -> str:
        """In Russian, for a problem report or the import page."""
        if self.status == "exact":
            return f"«{self.name}» — найдена школа {self.school_key}"
        if self.status == "fuzzy":
            return (f"«{self.name}» — вероятно, «{self.candidates[0].name}» "
                    f"(сходство {self.score:.2f})")
        if self.status == "ambiguous":
            names = "; ".join(f"«{c.name}» ({c.score:.2f})" for c in self.candidates)
            return f"«{self.name}» похожа на несколько школ: {names} — выберите вручную"
        return f"«{self.name}» не найдена — новая школа"


@dataclass
class MatchReport:
    matches: list[Match] = field(default_factory=list)

    def with_status(self, status: MatchStatus) -> list[Match]:
        return [m for m in self.matches if m.status == status]

    @property
    def exact(self) -> list[Match]:
        return self.with_status("exact")

    @property
    def fuzzy(self) -> list[Match]:
        return self.with_status("fuzzy")

    @property
    def ambiguous(self) -> list[Match]:
        return self.with_status("ambiguous")

    @property
    def new(self) -> list[Match]:
        return self.with_status("none")


@dataclass(frozen=True)
class SchoolEntry:
    school_key: str
    name: str
    municipality: str
    municipality_key: str
    name_key: str
    number: int | None
    settlements: frozenset[str]
    levels: frozenset[str]


def school_entry(school_key: str, name: str, municipality: str) -> SchoolEntry:
    folded = name_key(name)
    return SchoolEntry(
        school_key, name, municipality, municipality_key(municipality), folded,
        school_number(name), frozenset(_SETTLEMENT.findall(folded)),
        frozenset(_LEVEL.findall(folded)),
    )


def compatible(a: SchoolEntry, b: SchoolEntry) -> bool:
    """Schools with different municipalities, numbers, settlements or levels are never the same.

    The level («СОШ» / «ООШ» / «НОШ») is compared because «СОШ № 15» and «ООШ № 15» differ by
    one letter yet are two schools (or one school reorganised — a decision for the user, not for
    a similarity score).
    """
    if a.municipality_key and b.municipality_key and a.municipality_key != b.municipality_key:
        return False
    if a.number is not None and b.number is not None and a.number != b.number:
        return False
    if a.levels and b.levels and not a.levels & b.levels:
        return False
    return not (a.settlements and b.settlements and not _same_place(a.settlements, b.settlements))


def _same_place(a: frozenset[str], b: frozenset[str]) -> bool:
    """A settlement in common, or two of one type one typo apart («с.камышовка» / «с.камшовка»).

    The type must agree: «п.Волочаевка» and «с.Волочаевка» are two places (the sample has a school
    in each). A typo only makes the schools comparable; whether they are one is the score's call.
    """
    if a & b:
        return True
    return any(x[:2] == y[:2] and min(len(x), len(y)) >= 8
               and SequenceMatcher(None, x, y).ratio() >= SETTLEMENT_TYPO_SCORE
               for x in a for y in b)


def match_schools(
    incoming: Iterable[tuple[str, str]],
    registry: Sequence[tuple[str, str, str]],
    threshold: float = FUZZY_THRESHOLD,
) -> MatchReport:
    """Match each incoming ``(name, municipality)`` against ``(school_key, name, municipality)``.

    Exact: the incoming match key equals a registry school's key or the match key of its name.
    Fuzzy: one compatible registry school whose folded name is at least ``threshold`` similar.
    Two or more such schools, or two registry schools with one key: ambiguous, never guessed.
    """
    entries = [school_entry(*row) for row in registry]
    by_key: dict[str, list[SchoolEntry]] = {}
    for entry in entries:
        for key in {entry.school_key, school_match_key(entry.name, entry.municipality)}:
            by_key.setdefault(key, []).append(entry)
    report = MatchReport()
    for name, municipality in incoming:
        report.matches.append(_match_one(school_entry("", name, municipality), entries, by_key, threshold))
    return report


def _match_one(
    item: SchoolEntry, entries: list[SchoolEntry], by_key: dict[str, list[SchoolEntry]], threshold: float
) -> Match:
    key = school_match_key(item.name, item.municipality)
    name, municipality = item.name, item.municipality
    same = {e.school_key: e for e in by_key.get(key, [])}
    if len(same) == 1:
        entry = next(iter(same.values()))
        candidate = Candidate(entry.school_key, entry.name, entry.municipality, 1.0)
        return Match(name, municipality, key, "exact", entry.school_key, 1.0, (candidate,))
    pool = list(same.values()) or [e for e in entries if compatible(item, e)]
    scored = sorted(
        (Candidate(e.school_key, e.name, e.municipality,
                   round(SequenceMatcher(None, item.name_key, e.name_key).ratio(), 3))
         for e in pool),
        key=lambda c: -c.score,
    )
    close = tuple(c for c in scored if c.score >= threshold or same)
    if len({c.school_key for c in close}) == 1:
        return Match(name, municipality, key, "fuzzy", close[0].school_key, close[0].score,
                     close[:1])
    if close:
        return Match(name, municipality, key, "ambiguous", candidates=close)
    return Match(name, municipality, key, "none", candidates=tuple(scored[:3]))


_LEGAL_ABBREVIATION_ANY_CASE = re.compile(_LEGAL_ABBREVIATION.pattern, re.IGNORECASE)
_LEGAL_PHRASE_ANY_CASE = re.compile(_LEGAL_PHRASE.pattern, re.IGNORECASE)


def short_name(name: object) -> str:
    """The name without legal form and quotes, case kept: ``МБОУ "СОШ № 5"`` → ``СОШ № 5``."""
    text = _QUOTES.sub(" ", str(name or "").replace("\u00a0", " "))
    text = _LEGAL_PHRASE_ANY_CASE.sub(" ", text.replace("ё", "е").replace("Ё", "Е"))
    text = _LEGAL_ABBREVIATION_ANY_CASE.sub(" ", text)
    return _SPACES.sub(" ", text).strip(" .,-")


_KINDS = (  # the first that fits wins: «Школа-интернат» is a boarding school, «Лицей …» a lyceum
    ("boarding", re.compile(r"интернат")),
    ("evening", re.compile(r"вечерн|\bвсош\b|\bвош\b|сменн")),
    ("lyceum", re.compile(r"лице[йя]")),
    ("gymnasium", re.compile(r"гимнази")),
    ("primary", re.compile(r"\bнош\b|начальн")),
    ("basic", re.compile(r"\bоош\b|основн")),
    ("secondary", re.compile(r"\bсош\b|средн|\bцо\b|центр\w* образ")),
)


def school_kind(name: object) -> str | None:
    """The kind code (``catalog.SCHOOL_KINDS``) the name says, or None when it says none."""
    text = name_key(name)
    return next((kind for kind, pattern in _KINDS if pattern.search(text)), None)
