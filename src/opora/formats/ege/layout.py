"""Find the table in a published per-school ЕГЭ/ОГЭ sheet: header rows, name columns, subjects.

Regions publish the same table with small changes from year to year (see
``docs/formats-sources.md``): an empty leading column, a column-numbering row under the header or
none, the total row at the top or at the bottom. So nothing here relies on positions: the
subject row is the row whose cells name subjects (``catalog.subject_from_label``), the measure
row is the row under it naming «приняло участие», «средний балл» and so on, and the name columns
are found by their headers «Муниципальное образование» and «Образовательная организация (школа)».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from opora.catalog import normalize_label, subject_from_label
from opora.formats.workbook import Sheet

HEADER_SEARCH_ROWS = 40  # the header of every published table seen sits in the first 10 rows
COUNT_MEASURES = (
    "participants", "below_threshold", "high_scorers", "top_scorers",
    "mark_2", "mark_3", "mark_4", "mark_5",
)
MEASURE_NAMES_RU = {
    "participants": "приняло участие", "below_threshold": "не преодолели минимальный порог",
    "high_scorers": "высокобалльники (80–99)", "top_scorers": "получили 100 баллов",
    "mean_score": "средний балл", "mark_2": "«2»", "mark_3": "«3»", "mark_4": "«4»",
    "mark_5": "«5»",
}
_MARK = re.compile(r"(?:\D*\s)?[«\"']?([2-5])[»\"']?")  # «2», получили "3", количество «4»
_SHARE = re.compile(r"%|доля|процент")
_HIGH = re.compile(r"высокобал|80\s*[-–—]\s*99")
_PROCEDURE = re.compile(r"(?<![а-яa-z])(егэ|огэ|гвэ)(?![а-яa-z])")
_PROCEDURE_CODES = {"егэ": "EGE", "огэ": "OGE", "гвэ": "GVE"}
_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*(?:год|г\.)")
_YEAR_SHEET_NAME = re.compile(r"\s*(20\d\d)\s*(?:г\.?|год)?\s*")
_REGION_TITLE = "субъект российской федерации"


@dataclass
class SubjectBlock:
    """The columns of one subject: ``columns`` maps a measure to its 0-based column."""

    subject: str | None  # a catalogue code; None for a header the catalogue does not know
    label: str
    column: int
    columns: dict[str, int] = field(default_factory=dict)
    mean_scale: str | None = None  # "mark" when the mean is a mean mark («средняя отметка»)


@dataclass
class Layout:
    """Where the table is; rows and columns are 0-based."""

    top_row: int  # first header row: everything above is the title
    subject_row: int
    measure_row: int
    data_start: int
    school_col: int
    municipality_col: int | None
    blocks: list[SubjectBlock]

    def column_header(self, sheet: Sheet, col: int) -> str:
        """«Русский язык — приняло участие» for the problem reports."""
        for block in self.blocks:
            for measure, column in block.columns.items():
                if column == col:
                    return f"{_one_line(block.label)} — {MEASURE_NAMES_RU[measure]}"
        return _one_line(sheet.cell(self.subject_row, col) or "")


def _one_line(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


def measure_of(value: object) -> str | None:
    """Which measure a cell of the measure row names, or None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"mark_{int(value)}" if value in (2, 3, 4, 5) else None
    if _SHARE.search(str(value).lower()):
        return None  # shares («% получивших «2»») are computed by Опора, never read as counts
    text = normalize_label(value)
    if not text:
        return None
    mark = _MARK.fullmatch(text)
    if mark:
        return f"mark_{mark.group(1)}"
    if "порог" in text:
        return "below_threshold"
    if "средн" in text:
        return "mean_score"
    if _HIGH.search(text):
        return "high_scorers"
    if "100" in text:
        return "top_scorers"
    if "участ" in text or "количество" in text or "кол-во" in text:
        return "participants"
    return None


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _subject_row_candidates(sheet: Sheet) -> list[int]:
    limit = min(len(sheet.rows), HEADER_SEARCH_ROWS)
    return [
        r for r in range(limit)
        if any(_is_text(v) and subject_from_label(v) for v in sheet.rows[r])
    ]


def _measure_row(sheet: Sheet, subject_row: int) -> int | None:
    for r in range(subject_row + 1, min(subject_row + 3, len(sheet.rows))):
        if any(_is_text(v) and measure_of(v) == "participants" for v in sheet.rows[r]):
            return r
    return None


def _name_columns(sheet: Sheet, subject_row: int) -> tuple[int | None, int | None, int]:
    """(municipality column, school column, first header row) from the name headers."""
    municipality = school = None
    top = subject_row
    for r in range(max(0, subject_row - 3), subject_row + 1):
        for c, value in enumerate(sheet.rows[r]):
            text = normalize_label(value) if _is_text(value) else ""
            if municipality is None and ("муниципал" in text or text in {"мо", "район", "ато"}):
                municipality, top = c, min(top, r)
            elif school is None and ("организац" in text or "школ" in text
                                     or text.startswith("наименование") or text == "оо"):
                school, top = c, min(top, r)
    return municipality, school, top


def find_layout(sheet: Sheet) -> Layout | None:
    """The results table of ``sheet``, or None when the sheet holds no such table."""
    for subject_row in _subject_row_candidates(sheet):
        measure_row = _measure_row(sheet, subject_row)
        if measure_row is None:
            continue
        municipality, school, top = _name_columns(sheet, subject_row)
        if school is None:
            continue
        names_end = max(school, municipality if municipality is not None else -1)
        blocks = _blocks(sheet, subject_row, measure_row, names_end)
        data_start = measure_row + 1
        if data_start < len(sheet.rows) and is_numbering_row(sheet.rows[data_start]):
            data_start += 1
        return Layout(top, subject_row, measure_row, data_start, school, municipality, blocks)
    return None


def is_numbering_row(row: list[object]) -> bool:
    """The «1, 2, 3, … 5, 6, 7, 8, 9, 5, 6 …» row under the header: small whole numbers only."""
    values = [v for v in row if v is not None]
    return len(values) >= 3 and all(
        isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer()
        and 0 < v <= len(row) for v in values
    )


def _blocks(sheet: Sheet, subject_row: int, measure_row: int, names_end: int) -> list[SubjectBlock]:
    header = sheet.rows[subject_row]
    starts = [c for c, v in enumerate(header) if c > names_end and _is_text(v)]
    width = max(len(sheet.rows[subject_row]), len(sheet.rows[measure_row]))
    blocks = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else width
        block = SubjectBlock(subject_from_label(header[start]), str(header[start]), start)
        for col in range(start, end):
            value = sheet.cell(measure_row, col)
            measure = measure_of(value)
            if measure and measure not in block.columns:
                block.columns[measure] = col
                if measure == "mean_score" and re.search(r"отметк|оценк", normalize_label(value)):
                    block.mean_scale = "mark"
        if block.columns:  # a header with no measures under it («Профиль») is not a subject
            blocks.append(block)
    return blocks


def applications_reason(sheet: Sheet) -> str | None:
    """Why a sheet is a list of exam *applications*, not results (None if it is not one).

    The «2024» sheet of the sample counts graduates who applied for next year's ЕГЭ: the same
    subjects in the header, but no «приняло участие» / «средний балл» under them.
    """
    candidates = _subject_row_candidates(sheet)
    if not candidates:
        return None
    rows = range(candidates[0] + 1)
    text = " ".join(normalize_label(v) for r in rows for v in sheet.rows[r] if _is_text(v))
    if "заявлен" not in text:
        return None
    return ("это сведения о поданных заявлениях на участие в экзамене, а не результаты "
            "экзамена; лист не читается как результаты")


def title_text(sheet: Sheet, layout: Layout) -> str:
    """All text above the header, folded (the title says the procedure and the year)."""
    return " ".join(
        normalize_label(v) for r in range(layout.top_row) for v in sheet.rows[r] if _is_text(v)
    )


def header_text(sheet: Sheet, layout: Layout) -> str:
    rows = range(layout.top_row, layout.measure_row + 1)
    return " ".join(normalize_label(v) for r in rows for v in sheet.rows[r] if _is_text(v))


def year_of(sheet: Sheet, layout: Layout) -> int | None:
    """From the sheet name («2023»), else from the title («… в 2023 году»)."""
    named = _YEAR_SHEET_NAME.fullmatch(sheet.name)
    if named:
        return int(named.group(1))
    found = _YEAR_IN_TITLE.search(title_text(sheet, layout))
    return int(found.group(1)) if found else None


def procedures_named(sheet: Sheet, layout: Layout) -> set[str]:
    """Procedure codes named in the title and header («ЕГЭ», «ОГЭ», «ГВЭ»)."""
    text = f"{title_text(sheet, layout)} {header_text(sheet, layout)}"
    return {_PROCEDURE_CODES[m] for m in _PROCEDURE.findall(text)}


_REGION_IN_TITLE = re.compile(
    r"(?P<adjectives>(?:[А-ЯЁ][\w-]*(?:ого|ой)\s+)(?:[а-яё-]+(?:ого|ой)\s+)?)"
    r"(?P<noun>края|области|автономного\s+округа)\b"
    r"|\bРеспублик[иа]\s+(?P<republic>[А-ЯЁ][\w-]*(?:\s+\([А-ЯЁ][\w-]*\))?)")
_NOMINATIVE_NOUNS = {"края": "край", "области": "область", "округа": "округ"}


def _nominative(word: str) -> str:
    """An adjective of a region's name from the genitive: Красноярского → Красноярский."""
    for genitive, nominative in (("ского", "ский"), ("цкого", "цкий"), ("ного", "ный"),
                                 ("его", "ий"), ("ого", "ый"), ("ской", "ская"),
                                 ("цкой", "цкая"), ("ной", "ная"), ("ой", "ая")):
        if word.endswith(genitive):
            return word[: -len(genitive)] + nominative
    return word


def region_in_title(text: str) -> str | None:
    """«… школ Красноярского края в 2023 году» → «Красноярский край»; «Республики Татарстан» →
    «Республика Татарстан»; None when the title names no region."""
    found = _REGION_IN_TITLE.search(text.replace("\u00a0", " "))
    if found is None:
        return None
    if found.group("republic"):
        return f"Республика {found.group('republic')}"
    words = [_nominative(w) for w in found.group("adjectives").split()]
    nouns = [_NOMINATIVE_NOUNS.get(w, _nominative(w)) for w in found.group("noun").split()]
    return " ".join([*words, *nouns])


def region_of(sheet: Sheet, layout: Layout) -> str | None:
    """From the «Субъект Российской Федерации ___ Еврейская автономная область ___» cell, else
    from the title rows above the header («… выпускников школ Красноярского края …»)."""
    titled = None
    for r in range(layout.top_row):
        for value in sheet.rows[r]:
            if titled is None and _is_text(value):
                titled = region_in_title(str(value))
    return _subject_cell_region(sheet, layout) or titled


def _subject_cell_region(sheet: Sheet, layout: Layout) -> str | None:
    for r in range(layout.top_row):
        row = sheet.rows[r]
        for c, value in enumerate(row):
            if not _is_text(value) or _REGION_TITLE not in normalize_label(value):
                continue
            text = re.sub(_REGION_TITLE, "", str(value).replace("\u00a0", " "), flags=re.I)
            name = _one_line(text.replace("_", " "))
            if not name:  # the name may sit in the next filled cell of the row
                name = next((_one_line(str(v).replace("_", " ")) for v in row[c + 1:]
                             if _is_text(v)), "")
            return name or None
    return None
