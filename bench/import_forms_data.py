"""Many distinct ВПР collection forms, fast: the sample's layout written straight as XLSX XML.

``bench/bench_read_vpr.py`` writes its 200 copies with openpyxl (≈ 10–20 ms a file); a region's
20 000 forms need something quicker, so the workbook here is written directly: the five parts a
workbook needs, the header of ``tests/data/realdata/vpr_protocol_form.xlsx``, one row per
participant (code, variant, a score per task, class, sex, term mark; «отсутствовал» for ~8 %),
and the total as a formula ``SUM(C:…)`` without a cached value — what openpyxl writes too. Texts
are inline strings. Every file differs (codes, scores, row count), so no two share a checksum.

The files are named like a school saves them: ``edu<login>_<РУ|МА>_<grade>_<year>.xlsx``; each
(school, subject, grade) appears once, so no form replaces another.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "tests" / "data" / "realdata" / "vpr_protocol_form.xlsx"
SUBJECTS = ("РУ", "МА")
GRADES = (4, 5, 6, 7, 8)
WORKS_PER_SCHOOL = len(SUBJECTS) * len(GRADES)
YEAR = 2025

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Протокол" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>')


def _letter(column: int) -> str:
    """Excel column letters of a 0-based column number."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sample_header() -> tuple[list[str], list[tuple[int, int]]]:
    """The sample form's header and (column, maximum) of each task «N (Mб)»."""
    from opora.formats.vpr.layout import task_of
    from opora.formats.workbook import load_sheets

    header = [str(v) for v in load_sheets(SAMPLE)[0].rows[0]]
    tasks = [(col, int(t.max_score)) for col, v in enumerate(header)
             if (t := task_of(v, col)) is not None]
    return header, tasks


def _cell(ref: str, value: object) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def form_row(width: int, tasks: list[tuple[int, int]], row: int,
             rng: random.Random) -> list[object]:
    """One participant's row of a form ``width`` columns wide: a code, the variant or
    «отсутствовал» (8 %), a score for each ``(column, maximum)`` task, the quarter mark, sex and
    the mark in the last four columns but one (the total's column is left ``None``)."""
    values: list[object] = [None] * width
    values[0] = 40000 + row - 1
    if rng.random() < 0.08:
        values[1] = "отсутствовал"
    else:
        values[1] = rng.randint(1, 2)
        for col, maximum in tasks:
            values[col] = rng.randint(0, maximum)
        values[-4:-1] = [rng.randint(1, 3), rng.choice("мж"), rng.randint(2, 5)]
    return values


def form_xml(header: list[str], tasks: list[tuple[int, int]], rng: random.Random) -> str:
    letters = [_letter(c) for c in range(len(header))]
    last_task = letters[tasks[-1][0]]
    rows = ['<row r="1">' + "".join(_cell(f"{letters[c]}1", v) for c, v in enumerate(header))
            + "</row>"]
    for row in range(2, 2 + rng.randint(20, 32)):
        values = form_row(len(header), tasks, row, rng)
        cells = [_cell(f"{letters[c]}{row}", v) for c, v in enumerate(values[:-1])
                 if v is not None]
        cells.append(f'<c r="{letters[-1]}{row}"><f>SUM(C{row}:{last_task}{row})</f></c>')
        rows.append(f'<row r="{row}">' + "".join(cells) + "</row>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<sheetData>" + "".join(rows) + "</sheetData></worksheet>")


def login(school: int) -> str:
    return f"edu{school:06d}"


def write_forms(directory: Path, count: int, *, first_school: int, seed: int = 18) -> list[Path]:
    """``count`` forms of schools ``first_school``, ``first_school + 1``, … (10 works each)."""
    header, tasks = sample_header()
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        school, work = divmod(number, WORKS_PER_SCHOOL)
        subject, grade = SUBJECTS[work % len(SUBJECTS)], GRADES[work // len(SUBJECTS)]
        path = directory / f"{login(first_school + school)}_{subject}_{grade}_{YEAR}.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
            archive.writestr("_rels/.rels", _RELS)
            archive.writestr("xl/workbook.xml", _WORKBOOK)
            archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
            archive.writestr("xl/worksheets/sheet1.xml", form_xml(header, tasks, rng))
        paths.append(path)
    return paths


def schools_needed(count: int) -> int:
    return -(-count // WORKS_PER_SCHOOL)
