"""Give each school of a published ЕГЭ/ОГЭ file one key across the file's sheets (years).

The key is :func:`~opora.formats.school_matching.school_match_key` of the school's newest name.
Sheets are taken newest year first; a school of an older sheet whose key differs (renamed, a
typo, another legal form) is matched with :func:`~opora.formats.school_matching.match_schools`
against the schools already keyed. A unique fuzzy candidate is taken *and reported*
(``school_matched_fuzzy``), several candidates are reported (``ambiguous_school``) and the school
keeps its own key — never a guess. Two rows of one sheet with one key are one school written
twice: the second is rejected (``duplicate_school``).
"""

from __future__ import annotations

from opora.formats.base import Problem, ReadResult
from opora.formats.ege.rows import SchoolRow, SheetData
from opora.formats.errors import ReadErrorCode
from opora.formats.school_matching import Match, match_schools, school_match_key


class _Registry:
    def __init__(self) -> None:
        self.schools: dict[str, tuple[str, str, int]] = {}  # key → (name, municipality, year)
        self.aliases: dict[str, str] = {}  # a school's own match key → its file key

    def rows(self, exclude: set[str]) -> list[tuple[str, str, str]]:
        return [(k, n, m) for k, (n, m, _) in self.schools.items() if k not in exclude]


def assign_keys(data: list[SheetData], file: str, result: ReadResult) -> None:
    """Set ``SchoolRow.key`` on every school of every sheet (see the module docstring)."""
    registry = _Registry()
    for sheet in sorted(data, key=lambda d: -d.year):
        own = _drop_duplicates(sheet, file, result)
        used: set[str] = set()
        pending = []
        for school in sheet.schools:
            key = registry.aliases.get(own[id(school)])
            if key is not None and key not in used:
                school.key = key
                used.add(key)
            else:
                pending.append(school)
        if pending and registry.schools:
            report = match_schools([(s.name, s.municipality) for s in pending],
                                   registry.rows(used))
            _apply(sheet, pending, report.matches, used, file, result)
        for school in sheet.schools:
            if not school.key:  # its own key, unless another school of this sheet took it
                clash = own[id(school)] in used
                school.key = f"{own[id(school)]}~{sheet.year}" if clash else own[id(school)]
                used.add(school.key)
            registry.aliases.setdefault(own[id(school)], school.key)
            registry.schools.setdefault(school.key, (school.name, school.municipality, sheet.year))


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


def _apply(sheet: SheetData, pending: list[SchoolRow], matches: list[Match], used: set[str],
           file: str, result: ReadResult) -> None:
    taken: dict[str, int] = {}
    for match in matches:
        if match.status == "fuzzy" and match.school_key:
            taken[match.school_key] = taken.get(match.school_key, 0) + 1
    for school, match in zip(pending, matches, strict=True):
        where = f"«{school.name}» ({school.municipality}, {sheet.year})"
        if match.status == "fuzzy" and match.school_key and taken[match.school_key] == 1:
            school.key = match.school_key
            used.add(match.school_key)
            message = (f"{where} сопоставлена со школой «{match.candidates[0].name}» другого "
                       f"года (сходство {match.score:.2f}); проверьте")
            code = ReadErrorCode.SCHOOL_MATCHED_FUZZY
        elif match.status in ("fuzzy", "ambiguous"):
            names = "; ".join(f"«{c.name}»" for c in match.candidates) or "—"
            message = (f"{where}: неоднозначное сопоставление со школами других лет ({names}); "
                       "школа записана отдельно — сопоставьте вручную")
            code = ReadErrorCode.AMBIGUOUS_SCHOOL
        else:
            continue
        result.problems.append(Problem(file, message, code, sheet.sheet, school.row + 1))
