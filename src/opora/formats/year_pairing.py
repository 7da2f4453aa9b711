"""Pair the schools of an older year with those of a newer year, one to one, within a municipality.

Used when a file holds several years (:mod:`opora.formats.ege.school_keys`) after the exact keys
(:func:`~opora.formats.school_matching.school_match_key`, with the municipality mapped by its
territory, :mod:`opora.formats.territory`) have matched what they can. What is left differs by a
typo in a proper name, a lost word, a changed kind. Each left school is compared with the left
schools of the same municipality that are :func:`~opora.formats.school_matching.compatible`
(never another number, settlement or level), and the pairs are taken greedily, best first, so no
school is paired twice:

* ``auto`` — similarity at least :data:`AUTO_SCORE`, and both schools' next-best candidates at
  least :data:`MARGIN` lower: the same school, taken and reported for checking;
* ``suggested`` — a best pair that is not that sure (similar, or the same number only): *not*
  merged, offered to the coordinator to confirm;
* ``ambiguous`` — two candidates as close as each other, or the candidates were all taken by
  closer pairs;
* ``none`` — no candidate: a school new in the older year (or closed before the newer one).

The thresholds were set on the generated variants of ``tests/formats/school_variants.py`` (real
renaming kinds, with truth): there every school present in both years is matched and none wrongly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from opora.formats.school_matching import Candidate, SchoolEntry, compatible, school_entry

PairStatus = Literal["auto", "suggested", "ambiguous", "none"]

AUTO_SCORE = 0.92
"""A typo in a proper name of a folded name of 15+ letters scores above 0.93 («Пришкольника» /
«Пришколника»: 0.98); two different schools that pass :func:`compatible` (same municipality, no
conflicting number, settlement or level) and score this high were not seen in the variants."""
SUGGEST_SCORE = 0.75
MARGIN = 0.05
SAME_NUMBER_SCORE = 0.88
"""The same number, municipality and level but otherwise different words («СОШ № 2» /
«СОШ № 2 им. Героя …»): worth a suggestion, never an automatic match (below :data:`AUTO_SCORE`)."""


@dataclass(frozen=True)
class Pairing:
    """What became of one older school: its partner (``auto``) or candidates, and the score."""

    status: PairStatus
    school_key: str | None = None
    score: float = 0.0
    candidates: tuple[Candidate, ...] = ()


def _score(a: SchoolEntry, b: SchoolEntry) -> float:
    ratio = SequenceMatcher(None, a.name_key, b.name_key).ratio()
    if a.number is not None and a.number == b.number:
        ratio = max(ratio, SAME_NUMBER_SCORE)
    return round(ratio, 3)


def pair_schools(older: Sequence[tuple[str, str]],
                 newer: Sequence[tuple[str, str, str]]) -> list[Pairing]:
    """Pair ``older`` ``(name, municipality)`` with ``newer`` ``(school_key, name, municipality)``.

    The municipality strings must already name one municipality the same way in both (the
    caller maps renamed bodies first). Returns one :class:`Pairing` per older school, in order.
    """
    known = [school_entry(*row) for row in newer]
    by_municipality: dict[str, list[SchoolEntry]] = defaultdict(list)
    for entry in known:
        by_municipality[entry.municipality_key].append(entry)
    scored: list[tuple[float, int, SchoolEntry]] = []
    for index, (name, municipality) in enumerate(older):
        item = school_entry("", name, municipality)
        for entry in by_municipality.get(item.municipality_key, []):
            if compatible(item, entry):
                score = _score(item, entry)
                if score >= SUGGEST_SCORE:
                    scored.append((score, index, entry))
    return _assign(len(older), scored)


def _assign(size: int, scored: list[tuple[float, int, SchoolEntry]]) -> list[Pairing]:
    per_older: dict[int, list[float]] = defaultdict(list)
    per_newer: dict[str, list[float]] = defaultdict(list)
    candidates: dict[int, list[Candidate]] = defaultdict(list)
    for score, index, entry in scored:
        per_older[index].append(score)
        per_newer[entry.school_key].append(score)
        candidates[index].append(Candidate(entry.school_key, entry.name, entry.municipality, score))
    result: list[Pairing | None] = [None] * size
    taken: set[str] = set()
    for score, index, entry in sorted(scored, key=lambda s: (-s[0], s[1], s[2].school_key)):
        if result[index] is not None or entry.school_key in taken:
            continue
        clear = _second(per_older[index]) < score - MARGIN  # one candidate stands out
        if not clear:
            continue  # two candidates as close: ambiguous, nothing suggested
        taken.add(entry.school_key)
        sure = score >= AUTO_SCORE and _second(per_newer[entry.school_key]) < score - MARGIN
        best = Candidate(entry.school_key, entry.name, entry.municipality, score)
        result[index] = Pairing("auto" if sure else "suggested", entry.school_key if sure else None,
                                score, (best,))
    return [found if found is not None else _unpaired(candidates.get(i, []))
            for i, found in enumerate(result)]


def _second(scores: list[float]) -> float:
    ordered = sorted(scores, reverse=True)
    return ordered[1] if len(ordered) > 1 else 0.0


def _unpaired(candidates: list[Candidate]) -> Pairing:
    if not candidates:
        return Pairing("none")
    ordered = tuple(sorted(candidates, key=lambda c: -c.score))
    return Pairing("ambiguous", score=ordered[0].score, candidates=ordered)
