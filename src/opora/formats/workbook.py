"""Open any spreadsheet-like file as plain sheets of cell values, knowing which cells are formulas.

Real files are XLSX (sometimes XLS or ODS) filled in by hand, or CSV saved from Excel in
Windows-1251 with «;» as the separator. Readers work on :class:`Sheet` objects and never touch
the file format. Values come from python-calamine (fast; formula cells give their cached value);
which cells hold formulas is read straight from the XLSX XML, because published tables carry
``=SUM(...)`` subtotal rows that must be recognised and never trusted.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from opora.formats.base import UnreadableFile
from opora.formats.xlsx_extent import inspect_xlsx

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


@dataclass
class Sheet:
    """A sheet as a list of rows; ``rows[i][j]`` is Excel row i+1, column j+1."""

    name: str
    rows: list[list[object]]
    formulas: set[tuple[int, int]] = field(default_factory=set)  # 0-based (row, col)

    def is_formula(self, row: int, col: int) -> bool:
        return (row, col) in self.formulas

    def cell(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


def load_sheets(path: Path) -> list[Sheet]:
    """Read every sheet of ``path``; raise :class:`UnreadableFile` with a Russian reason."""
    path = Path(path)
    if not path.exists():
        raise UnreadableFile(f"файл {path.name} не найден")
    if path.stat().st_size == 0:
        raise UnreadableFile(f"файл {path.name} пуст (0 байт)")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        sheets = [_load_csv(path)]
    elif suffix in SPREADSHEET_SUFFIXES:
        sheets = _load_spreadsheet(path)
    else:
        raise UnreadableFile(
            f"файл {path.name}: формат «{suffix or 'без расширения'}» не поддерживается — "
            "нужна таблица Excel (.xlsx, .xls, .ods) или CSV"
        )
    if not any(any(v not in (None, "") for v in row) for s in sheets for row in s.rows):
        raise UnreadableFile(f"файл {path.name} не содержит данных: все листы пусты")
    return sheets


def _load_spreadsheet(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    extents = inspect_xlsx(path) if path.suffix.lower() in {".xlsx", ".xlsm"} else []
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            data = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append(Sheet(name, [[_clean(v) for v in row] for row in data]))
    except Exception as exc:  # calamine raises several types for corrupt files
        raise UnreadableFile(
            f"файл {path.name} не удаётся открыть как таблицу Excel: он повреждён "
            "или это файл другого типа"
        ) from exc
    formulas = {extent.name: extent.formulas for extent in extents}
    for sheet in sheets:
        sheet.formulas = formulas.get(sheet.name, set())
    return sheets


def _clean(value: object) -> object:
    """Calamine gives '' for empty cells; the readers want None."""
    return None if value == "" else value


def _load_csv(path: Path) -> Sheet:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise UnreadableFile(f"файл {path.name} не является текстовым CSV (двоичные данные)")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover — cp1251 decodes any byte string
        raise UnreadableFile(f"файл {path.name}: неизвестная кодировка текста")
    delimiter = _csv_delimiter(text[:8192])
    try:  # newline="": a bare «\r» (old Mac line end, or inside a value) is a line end too
        rows = [
            [_csv_value(v) for v in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise UnreadableFile(f"файл {path.name}: текст CSV повреждён (незакрытая кавычка или "
                             "слишком длинное значение)") from exc
    return Sheet("", rows)


def _csv_delimiter(sample: str) -> str:
    """The separator that splits some early line (the header) into the most cells.

    ``csv.Sniffer`` picks «,» for a Russian Excel header such as ``Школа;Неполные семьи, %;…``
    (Excel does not quote a comma when the separator is «;»); counting per line does not, and a
    title line or decimal commas («12,5») above or below the header do not outweigh it.
    """
    lines = [line for line in sample.splitlines() if line.strip()][:10]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv_value(value: str) -> object:
    value = value.strip()
    return value if value else None
