"""Look inside an XLSX before reading it: how big it really is, and which cells hold formulas.

A spreadsheet reader (python-calamine) builds a dense grid from A1 to the farthest filled cell,
and a failed allocation in its Rust code aborts the whole process — it cannot be caught. A 1.5 KB
file with one value at XFD1048576 (or a row numbered 4294967295) asks for hundreds of gigabytes,
and a small zip can expand to gigabytes of XML. So before calamine sees a workbook, this module
reads the archive's directory and streams every sheet's XML once, counting what would be
allocated, and refuses with a Russian message what cannot be read within the limits:

- the sum of the parts' declared (expanded) sizes, and its ratio to the file's size (zip bomb);
- the real extent of each sheet — the farthest cell holding something, not the declared
  ``<dimension>``, which Excel often sets to the whole sheet when columns were formatted and which
  calamine ignores (checked: a styled empty cell at XFD1048576 costs nothing);
- Excel's own limits (1,048,576 rows, 16,384 columns): a cell beyond them is a damaged file.

The same pass records the cells holding a formula (``<f>``), which the readers need to skip the
``=SUM(...)`` subtotal rows of published tables.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from opora.formats.base import UnreadableFile

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384

# Measured on this machine (tests/formats/test_hostile_files.py reports the peak): a dense sheet
# of 4 M numeric cells reads in ~0.55 GB; the grid calamine builds costs ~32 bytes a cell in Rust,
# the Python rows ~8 bytes a cell plus the values. 4 M cells hold a national ЕГЭ table by school
# (40,000 schools × 100 columns); a larger table is better loaded as CSV or Parquet.
MAX_CELLS = 4_000_000
MAX_EXPANDED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 100  # expanded / compressed: real workbooks are 5–30; only past 8 MB expanded
_RATIO_FROM = 8 * 1024 * 1024
_CHUNK = 1 << 20


@dataclass
class SheetExtent:
    """What the scan of one sheet found: its farthest filled cell and its formula cells."""

    name: str
    rows: int = 0     # 1-based number of the farthest row holding a cell with content
    columns: int = 0  # 1-based number of the farthest such column
    formulas: set[tuple[int, int]] = field(default_factory=set)  # 0-based (row, col)

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def inspect_xlsx(path: Path) -> list[SheetExtent]:
    """Every sheet's extent and formula cells, in workbook order; refuse what is too big.

    Raises :class:`UnreadableFile` with the file, the sheet and the far cell named.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            _check_expanded_size(path, archive)
            sheets = [_scan_sheet(path, archive, name, member)
                      for name, member in _sheet_members(archive)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise UnreadableFile(
            f"файл {path.name} не удаётся открыть как таблицу Excel: архив повреждён "
            f"({type(exc).__name__})") from exc
    total = sum(sheet.cells for sheet in sheets)
    if total > MAX_CELLS:
        widest = max(sheets, key=lambda s: s.cells)
        raise UnreadableFile(
            f"файл {path.name}: таблица слишком велика для чтения из Excel — "
            f"{_number(total)} ячеек (лист «{widest.name}»: {_number(widest.rows)} строк × "
            f"{_number(widest.columns)} столбцов, до ячейки {cell_name(widest.rows, widest.columns)}) "
            f"при пределе {_number(MAX_CELLS)}; если это не ошибка, сохраните данные в CSV")
    return sheets


def cell_name(row: int, column: int) -> str:
    """A 1-based (row, column) as Excel names it: (3, 28) → «AB3»."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _check_expanded_size(path: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    expanded = sum(info.file_size for info in infos)
    compressed = max(1, path.stat().st_size)
    if expanded > MAX_EXPANDED_BYTES:
        raise UnreadableFile(
            f"файл {path.name}: после распаковки книга заняла бы {_megabytes(expanded)} МБ "
            f"(предел {_megabytes(MAX_EXPANDED_BYTES)} МБ) — файл повреждён или это «zip-бомба»; "
            "если данных действительно так много, сохраните их в CSV")
    if expanded > _RATIO_FROM and expanded / compressed > MAX_RATIO:
        raise UnreadableFile(
            f"файл {path.name}: при распаковке книга увеличивается в {expanded // compressed} раз "
            f"({_megabytes(compressed)} → {_megabytes(expanded)} МБ), у настоящих таблиц Excel "
            f"это не больше {MAX_RATIO} — файл повреждён или это «zip-бомба»")


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def _sheet_members(archive: zipfile.ZipFile) -> Iterator[tuple[str, str | None]]:
    """(sheet name, archive member of its XML or None) in workbook order."""
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for match in re.finditer(rb"<(?:\w+:)?Relationship\b([^>]*)>", rels):
        attrs = dict(_ATTR.findall(match.group(1)))
        targets[attrs.get(b"Id", b"")] = attrs.get(b"Target", b"").decode("utf-8", "replace")
    for match in _SHEET.finditer(workbook):
        attrs = dict(_ATTR.findall(match.group(1)))
        name = attrs.get(b"name", b"").decode("utf-8", "replace")
        rid = next((v for k, v in attrs.items() if k.endswith(b":id")), b"")
        target = targets.get(rid, "")
        if not target:
            yield name, None
            continue
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        yield name, member


# The tags that matter, with or without a namespace prefix: a row, a cell, a formula.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|f)\b([^>]*)>")
_REF = re.compile(rb'\br="([A-Za-z]*)(\d*)"')


def _scan_sheet(path: Path, archive: zipfile.ZipFile, name: str,
                member: str | None) -> SheetExtent:
    """Stream one sheet's XML: the farthest cell with content, and the formula cells.

    A cell counts when its element has content (``<c …>…</c>``); a self-closing ``<c …/>`` is
    formatting only. Rows and cells without an ``r`` attribute follow the previous one, as in
    ECMA-376 §18.3.1.4 and §18.3.1.73.
    """
    extent = SheetExtent(name)
    if member is None or member not in archive.NameToInfo:
        return extent
    row, col, in_cell = 0, 0, False
    for tag, attrs in _tags(archive, member):
        if tag == b"row":
            ref = _REF.search(attrs)
            row = int(ref.group(2)) if ref and ref.group(2) else row + 1
            col, in_cell = 0, False
        elif tag == b"c":
            ref = _REF.search(attrs)
            if ref and ref.group(1):
                col = _column_number(ref.group(1).decode())
                if ref.group(2):
                    row = int(ref.group(2))
            else:
                col += 1
            in_cell = not attrs.rstrip().endswith(b"/")
            if in_cell:
                _check_cell(path, name, row, col)
                extent.rows = max(extent.rows, row)
                extent.columns = max(extent.columns, col)
        elif in_cell:  # <f> inside the current cell
            extent.formulas.add((row - 1, col - 1))
    return extent


def _tags(archive: zipfile.ZipFile, member: str) -> Iterator[tuple[bytes, bytes]]:
    """(tag, attributes) of every row, cell and formula tag, reading 1 MB of XML at a time.

    A chunk is cut before its last unfinished tag, which is carried over to the next one; text
    between tags (a long string in a cell) is not carried.
    """
    rest = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            data = rest + chunk
            start = data.rfind(b"<")
            if start > data.rfind(b">"):
                data, rest = data[:start], data[start:]
                if len(rest) > _CHUNK:  # one «tag» longer than a megabyte: not a worksheet
                    raise ValueError("tag too long")
            else:
                rest = b""
            for match in _TAG.finditer(data):
                yield match.group(1), match.group(2)


def _check_cell(path: Path, sheet: str, row: int, col: int) -> None:
    if row < 1 or row > EXCEL_MAX_ROWS or col < 1 or col > EXCEL_MAX_COLUMNS:
        raise UnreadableFile(
            f"файл {path.name}, лист «{sheet}»: ячейка в строке {_number(row)}, столбце "
            f"{_number(col)} лежит за пределами листа Excel ({_number(EXCEL_MAX_ROWS)} строк, "
            f"{_number(EXCEL_MAX_COLUMNS)} столбцов) — файл повреждён")


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + (ord(char) - 64)
    return number


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")
