"""A municipality recognised by its territory, although the body that publishes it was renamed.

Published tables name a municipality by its education body, and bodies are renamed: in a real
two-year table 5 of 36 changed between the years — «Отдел образования администрации
Смидовичского муниципального района» became «Комитет образования Смидовичского муниципального
округа», «… муниципального района "Облученский район"» became «… Облученского муниципального
округа», three changed only the letter case. What stays is the place: the territory's name
inside the body's name. :func:`territory_of` folds a name to that place (its stem, so that the
genitive «Смидовичского» and the nominative «Смидовичский» agree) and a kind — a city («город»,
«городской округ») or a district («район», «муниципальный округ») — because «город Биробиджан»
and «Биробиджанский район» are two municipalities with one stem.

:func:`match_municipalities` pairs the municipalities of two years: the same folded name first;
then the same place and kind; then the same place alone, when it is unique on both sides (a
district turned into a «городской округ»). A place found twice on a side is never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from opora.formats.school_matching import fold_text, municipality_key

_BODY_WORDS = re.compile(
    r"^(?:отдел\w*|управлени\w*|комитет\w*|департамент\w*|министерств\w*|администраци\w*|"
    r"мэри\w*|образовани\w*|образовательн\w*|по|и|на|в|делам|молодеж\w*|спорт\w*|культур\w*|"
    r"учреждени\w*|казенн\w*|бюджетн\w*|муниципальн\w*|сельск\w*|поселени\w*|социальн\w*|"
    r"политик\w*|вопрос\w*|туризм\w*|семьи|детства|науки|общего|дошкольного|мку|му|мбу|мкоу|"
    r"уо|оо|ато|мо|образование)$")
_CITY_WORDS = re.compile(r"^(?:город\w*|г|го|гор)$")
_DISTRICT_WORDS = re.compile(r"^(?:район\w*|р-н|рн|округ\w*)$")
_ENDINGS = ("ского", "цкого", "ской", "цкой", "ский", "цкий", "ская", "цкая", "ское", "цкое",
            "ском", "ого", "его", "ому", "ему", "ий", "ый", "ой", "ая", "яя", "ое", "ее", "ом",
            "ем", "ым", "им", "а", "я", "ы", "и", "е", "у", "ю")
_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Territory:
    """A municipality's place: the stem of its name («смидович») and its kind (city, district)."""

    place: str
    kind: str  # "city", "district" or "" when the name does not say


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def territory_of(name: object) -> Territory:
    """«Комитет образования Смидовичского муниципального округа» → (смидович, district)."""
    text = fold_text(name).replace("ё", "е")
    words = _WORD.findall(re.sub(r"\bг\.\s*", "г ", text))
    kind = ""
    place = []
    for word in words:
        if _DISTRICT_WORDS.match(word):
            kind = "district"
        elif _CITY_WORDS.match(word):
            kind = kind or "city"
        elif not _BODY_WORDS.match(word):
            place.append(_stem(word))
    if "городск" in text and "округ" in text and "муниципальн" not in text:
        kind = "city"  # «городской округ "Город X"»
    return Territory(" ".join(place), kind)


def match_municipalities(older: Iterable[str], newer: Iterable[str]) -> dict[str, str]:
    """Map each older municipality (by :func:`municipality_key`) to a newer one's key, where the
    territory says it is the same (module docstring); unmatched ones are left out."""
    old = {municipality_key(n): territory_of(n) for n in older if n}
    new = {municipality_key(n): territory_of(n) for n in newer if n}
    found = {k: k for k in old if k in new}
    for by_kind in (True, False):
        def label(territory: Territory, kind: bool = by_kind) -> tuple[str, str]:
            return (territory.place, territory.kind if kind else "")

        left_old = {k: t for k, t in old.items() if k not in found and t.place}
        left_new = {k: t for k, t in new.items() if k not in found.values() and t.place}
        count_old = Counter(label(t) for t in old.values())
        count_new = Counter(label(t) for t in new.values())
        by_label = {label(t): k for k, t in left_new.items() if count_new[label(t)] == 1}
        for key, territory in left_old.items():
            target = by_label.get(label(territory))
            if target is not None and count_old[label(territory)] == 1:
                found[key] = target
    return found


def same_municipality(a: object, b: object) -> bool:
    """Whether two names name one municipality: the same folded name, or the same place and no
    contradicting kind («Комитет образования Смидовичского муниципального округа» and the
    registry's «Смидовичский район»; «город Биробиджан» is not «Биробиджанский район»)."""
    if municipality_key(a) == municipality_key(b):
        return True
    first, second = territory_of(a), territory_of(b)
    return bool(first.place) and first.place == second.place and (
        first.kind == second.kind or not first.kind or not second.kind)
