"""Give each school of a published ЕГЭ/ОГЭ file one key across the file's sheets (years).

The key is :func:`~opora.formats.school_matching.school_match_key` of the school's newest name and
municipality. Sheets are taken newest year first. For each older sheet:

1. its municipalities are mapped to the newer ones by their territory
   (:func:`~opora.formats.territory.match_municipalities`: a body renamed from «Отдел образования
   … района» to «Комитет образования … округа» is the same municipality), and the renaming is
   reported (``municipality_renamed``);
2. a school whose folded name equals a newer school's in the mapped municipality is that school;
3. the rest are paired one to one within the municipality
   (:func:`~opora.formats.year_pairing.pair_schools`): a sure pair is taken and reported
   (``school_matched_fuzzy``), an unsure one is only *suggested* (``school_match_suggested``) and
   the school keeps its own key, a school whose candidates all went to closer pairs is reported
   (``ambiguous_school``) — never a guess;
4. one line per pair of years says how many schools were matched automatically, suggested, or
   left unmatched (``schools_matched_across_years``).

Two rows of one sheet with one key are one school written twice: the second is rejected
(``duplicate_school``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from opora.formats.base import Problem, ReadResult
from opora.formats.ege.rows import SchoolRow, SheetData
from opora.formats.errors import ReadErrorCode
from opora.formats.school_matching import municipality_key, school_match_key
from opora.formats.territory import match_municipalities
from opora.formats.year_pairing import Pairing, pair_schools


@dataclass
class _Registry:
    """The schools of the newer sheets, by file key, and the municipalities' newest spellings."""

    schools: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # key → name, muni, year
    aliases: dict[str, str] = field(default_factory=dict)  # a school's own match key → its file key
    municipalities: dict[str, str] = field(default_factory=dict)  # any muni key → newest spelling

    def rows(self, exclude: set[str]) -> list[tuple[str, str, str]]:
        return [(k, n, m) for k, (n, m, _) in self.schools.items() if k not in exclude]


def assign_keys(data: list[SheetData], file: str, result: ReadResult) -> dict[str, str]:
    """Set ``SchoolRow.key`` on every school of every sheet (see the module docstring); return
    the municipalities' newest spellings by :func:`municipality_key` of every spelling."""
    registry = _Registry()
    sheets = sorted(data, key=lambda d: -d.year)
    for position, sheet in enumerate(sheets):
        own = _drop_duplicates(sheet, file, result)
        _map_municipalities(sheet, registry, file, result)
        used: set[str] = set()
        tally: Counter[str] = Counter()
        pending = []
        for school in sheet.schools:
            key = registry.aliases.get(_mapped_key(school, registry))
            if key is not None and key not in used:
                school.key = key
                used.add(key)
                tally["exact"] += 1
            else:
                pending.append(school)
        if pending and registry.schools:
            pairings = pair_schools([(s.name, _newest(registry, s.municipality)) for s in pending],
                                    registry.rows(used))
            _apply(sheet, pending, pairings, used, tally, file, result)
        for school in sheet.schools:
            if not school.key:  # its own key, unless another school of this sheet took it
                mapped = _mapped_key(school, registry)
                school.key = f"{mapped}~{sheet.year}" if mapped in used else mapped
                used.add(school.key)
            registry.aliases.setdefault(own[id(school)], school.key)
            registry.aliases.setdefault(_mapped_key(school, registry), school.key)
            registry.schools.setdefault(school.key, (
                school.name, _newest(registry, school.municipality), sheet.year))
        if position:
            result.notes.append(_summary(sheet, sheets[:position], tally, file))
    return registry.municipalities


def _newest(registry: _Registry, municipality: str) -> str:
    """The newest spelling of a municipality (its own when it is new)."""
    return registry.municipalities.get(municipality_key(municipality), municipality)


def _mapped_key(school: SchoolRow, registry: _Registry) -> str:
    return school_match_key(school.name, _newest(registry, school.municipality))


def _map_municipalities(sheet: SheetData, registry: _Registry, file: str,
                        result: ReadResult) -> None:
    """Map the sheet's municipalities to the newer sheets' (by territory); report renamings."""
    names = list(dict.fromkeys(s.municipality for s in sheet.schools if s.municipality))
    newest = list(dict.fromkeys(registry.municipalities.values()))
    mapped = match_municipalities(names, newest)
    by_key = {municipality_key(n): n for n in newest}
    for name in names:
        key = municipality_key(name)
        if key in registry.municipalities:
            continue
        target = by_key.get(mapped.get(key, ""))
        registry.municipalities[key] = target or name
        if target is not None and municipality_key(target) != key:
            result.notes.append(Problem(
                file, f"муниципалитет «{name}» ({sheet.year}) — тот же, что «{target}» в более "
                "позднем году: совпадает территория в названии; школы сопоставлены внутри него",
                ReadErrorCode.MUNICIPALITY_RENAMED, sheet.sheet))


def _drop_duplicates(sheet: SheetData, file: str, result: ReadResult) -> dict[int, str]:
    own: dict[int, str] = {}
    first: dict[str, SchoolRow] = {}
    kept = []
    for school in sheet.schools:
        key = school_match_key(school.name, school.municipality)
        if key in first:
            result.problems.append(Problem(
                file, f"«{school.name}» ({school.municipality}) уже есть в строке "
                f"{first[key].row + 1}: одна школа записана дважды; строка не принята",
                ReadErrorCode.DUPLICATE_SCHOOL, sheet.sheet, school.row + 1))
            result.rejected_rows += 1
            continue
        first[key] = school
        own[id(school)] = key
        kept.append(school)
    sheet.schools = kept
    return own


def _apply(sheet: SheetData, pending: list[SchoolRow], pairings: list[Pairing], used: set[str],
           tally: Counter[str], file: str, result: ReadResult) -> None:
    for school, pairing in zip(pending, pairings, strict=True):
        where = f"«{school.name}» ({school.municipality}, {sheet.year})"
        tally[pairing.status] += 1
        if pairing.status == "auto" and pairing.school_key:
            school.key = pairing.school_key
            used.add(pairing.school_key)
            message = (f"{where} сопоставлена со школой «{pairing.candidates[0].name}» другого "
                       f"года (сходство {_score(pairing.score)}); проверьте")
            code = ReadErrorCode.SCHOOL_MATCHED_FUZZY
        elif pairing.status == "suggested":
            message = (f"{where}, вероятно, та же школа, что «{pairing.candidates[0].name}» "
                       f"другого года (сходство {_score(pairing.score)}), но уверенности нет: "
                       "записана отдельной школой. Если это одна школа, подтвердите на странице "
                       "загрузки («Сопоставить» со школой реестра)")
            code = ReadErrorCode.SCHOOL_MATCH_SUGGESTED
        elif pairing.status == "ambiguous":
            names = "; ".join(f"«{c.name}»" for c in pairing.candidates)
            message = (f"{where}: неоднозначное сопоставление со школами других лет ({names}); "
                       "школа записана отдельно — сопоставьте вручную")
            code = ReadErrorCode.AMBIGUOUS_SCHOOL
        else:
            continue
        result.problems.append(Problem(file, message, code, sheet.sheet, school.row + 1))


def _score(score: float) -> str:
    return f"{score:.2f}".replace(".", ",")


def _summary(sheet: SheetData, newer: list[SheetData], tally: Counter[str], file: str) -> Problem:
    years = ", ".join(str(d.year) for d in newer)
    total = len(sheet.schools)
    automatic = tally["exact"] + tally["auto"]
    return Problem(
        file, f"сопоставление школ {sheet.year} года со школами {years} года: школ {total}; "
        f"сопоставлено автоматически {automatic} (из них по сходству названий {tally['auto']}), "
        f"предложено для подтверждения {tally['suggested']}, неоднозначно {tally['ambiguous']}, "
        f"не найдено {tally['none']} (школы, которых нет в {years} году: новые, закрытые или "
        f"переименованные до неузнаваемости); школ в {newer[-1].year} году {len(newer[-1].schools)}",
        ReadErrorCode.SCHOOLS_MATCHED_ACROSS_YEARS, sheet.sheet)
