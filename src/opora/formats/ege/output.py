"""Turn what was read from a published ЕГЭ/ОГЭ file into the normalised tables.

Municipality names are written the same way in every table: a municipality renamed between
years only in case or spacing («город Биробиджан» / «Город Биробиджан») gets the spelling of the
newest sheet, first letter capitalised. A municipality reference value keeps the subtotal row's
typed mean but recomputes the counts from the municipality's schools, because the subtotal's
counts are ``=SUM`` formulas (their cached values are not trusted); when a school result of that
municipality and subject was rejected, the counts would be short, so they are left empty.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from opora.formats.base import ReadResult
from opora.formats.ege.rows import SheetData
from opora.formats.school_matching import municipality_key, school_kind, school_number, short_name

_COUNTS = ("participants", "below_threshold", "high_scorers", "top_scorers",
           "mark_2", "mark_3", "mark_4", "mark_5")
_REFERENCE_COUNTS = ("participants", "below_threshold", "high_scorers", "top_scorers", "mark_2")


def _municipality_names(data: list[SheetData], renamed: dict[str, str]) -> dict[str, str]:
    """Every spelling's key → the newest spelling of its municipality, first letter capitalised.

    ``renamed`` maps a spelling's key to the newest spelling of the same municipality where its
    body was renamed between the years (:func:`~opora.formats.ege.school_keys.assign_keys`).
    """
    names: dict[str, str] = {}
    for sheet in sorted(data, key=lambda d: -d.year):
        spellings = [s.municipality for s in sheet.schools]
        spellings += [m.municipality for m in sheet.subtotal_means]
        for spelling in spellings:
            if spelling:
                newest = renamed.get(municipality_key(spelling), spelling)
                known = names.get(municipality_key(newest), newest[0].upper() + newest[1:])
                names.setdefault(municipality_key(newest), known)
                names.setdefault(municipality_key(spelling), known)
    return names


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _cell(sheet: SheetData, subject: str) -> dict[str, object]:
    return {"procedure": sheet.procedure, "year": sheet.year, "grade": sheet.grade,
            "subject": subject}


def _values(measures: dict[str, float], scale: str) -> dict[str, object]:
    row: dict[str, object] = {m: _int(measures.get(m)) for m in _COUNTS}
    row["mean_score"] = measures.get("mean_score")
    row["score_scale"] = scale
    return row


def emit(data: list[SheetData], file: str, result: ReadResult,
         renamed: dict[str, str] | None = None) -> None:
    """Add ``aggregates``, ``schools`` and ``reference`` to ``result``."""
    names = _municipality_names(data, renamed or {})

    def municipality(spelling: str) -> str | None:
        return names.get(municipality_key(spelling)) if spelling else None

    aggregates = [
        {"school_key": school.key, "school_name": school.name,
         "municipality": municipality(school.municipality), **_cell(sheet, subject),
         **_values(measures, sheet.scale_of(subject)), "source": f"{file}:{sheet.sheet}:{school.row + 1}"}
        for sheet in data for school in sheet.schools
        for subject, measures in school.subjects.items()
    ]
    result.add("aggregates", pa.Table.from_pylist(aggregates))
    result.add("schools", pa.Table.from_pylist(_schools(data, municipality)))
    result.add("reference", pa.Table.from_pylist(_reference(data, file, municipality)))


def _schools(data: list[SheetData], municipality: Callable[[str], str | None]) -> list[dict[str, object]]:
    rows: dict[str, dict[str, object]] = {}
    for sheet in sorted(data, key=lambda d: -d.year):  # the newest name describes the school
        for school in sheet.schools:
            if school.key in rows:
                continue
            rows[school.key] = {
                "school_key": school.key, "region": sheet.region,
                "municipality": municipality(school.municipality),
                "number": school_number(school.name), "short_name": short_name(school.name),
                "full_name": school.name, "kind": school_kind(school.name),
            }
    return list(rows.values())


def _reference(data: list[SheetData], file: str, municipality: Callable[[str], str | None]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for sheet in data:
        for subject, measures in sheet.total.items():
            assert sheet.total_row is not None
            rows.append({
                "level": "region", "region": sheet.region, "municipality": None,
                **_cell(sheet, subject), **_reference_values(measures, sheet.scale_of(subject)),
                "source": f"{file}:{sheet.sheet}:{sheet.total_row + 1} ("
                          f"{sheet.total_notes.get(subject, 'итог по региону')})",
            })
        for subtotal in sheet.subtotal_means:
            counts = _recomputed(sheet, subtotal.municipality, subtotal.subject)
            rows.append({
                "level": "municipality", "region": sheet.region,
                "municipality": municipality(subtotal.municipality),
                **_cell(sheet, subtotal.subject),
                **_reference_values({**counts, "mean_score": subtotal.mean},
                                   sheet.scale_of(subtotal.subject)),
                "source": (f"{file}:{sheet.sheet}:{subtotal.row + 1} (средний балл из строки "
                           "муниципалитета; численность пересчитана по школам)"),
            })
    return rows


def _reference_values(measures: dict[str, float], scale: str) -> dict[str, object]:
    row: dict[str, object] = {m: _int(measures.get(m)) for m in _REFERENCE_COUNTS}
    row["mean_score"] = measures.get("mean_score")
    row["score_scale"] = scale
    return row


def _recomputed(sheet: SheetData, spelling: str, subject: str) -> dict[str, float]:
    """Sums over the municipality's accepted schools; empty when one of them was rejected."""
    key = municipality_key(spelling)
    if any(municipality_key(m) == key and s == subject for m, s in sheet.rejected):
        return {}
    sums: dict[str, float] = {}
    for school in sheet.schools:
        measures = school.subjects.get(subject)
        if measures is None or municipality_key(school.municipality) != key:
            continue
        for measure in _REFERENCE_COUNTS:
            if measure in measures:
                sums[measure] = sums.get(measure, 0.0) + measures[measure]
    return sums
