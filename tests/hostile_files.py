"""A corpus of hostile and broken files, built by code (no committed binaries).

Each builder writes one file into a directory and returns its path. The XLSX files are written
part by part with :mod:`zipfile`, so that a test controls exactly what a reader meets: a cell at
XFD1048576, a row numbered 4294967295, a zip whose parts expand a thousandfold, an XML entity
bomb, a shared-string index pointing nowhere. ``EXPECTED_REFUSAL`` names the files that must be
refused before any reading (the extent and size checks of ``opora.formats.xlsx_extent``) and a
word their message must contain.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="rels" ContentType="application/'
       'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
       'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
       '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
       'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
         'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
             'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Лист1" '
             'sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                  'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                  'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                  'worksheet" Target="worksheets/sheet1.xml"/>{extra}</Relationships>')
_SST_REL = ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/>')
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>Школа</t></is></c></row>'


def sheet_xml(rows: str, *, dimension: str = "A1", prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {_NS}>'
            f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>')


def write_xlsx(path: Path, sheet: str | bytes, *, shared_strings: str | None = None,
               extra: dict[str, bytes] | None = None,
               compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A minimal workbook of one sheet «Лист1» whose XML is ``sheet``."""
    with zipfile.ZipFile(path, "w", compression, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels",
                         _WORKBOOK_RELS.format(extra=_SST_REL if shared_strings else ""))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _value(ref: str, number: int = 1) -> str:
    return f'<c r="{ref}"><v>{number}</v></c>'


# --- dimension bombs and far cells ------------------------------------------------------------

def far_value(d: Path) -> Path:
    rows = _HEADER + f'<row r="1048576">{_value("XFD1048576")}</row>'
    return write_xlsx(d / "far_value.xlsx", sheet_xml(rows, dimension="A1:XFD1048576"))


def huge_row_number(d: Path) -> Path:
    rows = _HEADER + '<row r="4294967295"><c><v>1</v></c></row>'
    return write_xlsx(d / "huge_row_number.xlsx", sheet_xml(rows))


def column_beyond_excel(d: Path) -> Path:
    return write_xlsx(d / "column_beyond_excel.xlsx",
                      sheet_xml(f'<row r="1">{_value("A1")}{_value("XFE1")}</row>'))


def row_zero(d: Path) -> Path:
    return write_xlsx(d / "row_zero.xlsx", sheet_xml(f'<row r="0">{_value("A0")}</row>'))


def wide_and_tall(d: Path) -> Path:
    """5.2 M cells of grid (A1 … Z200000) from two values: over the 4 M cell limit."""
    rows = _HEADER + f'<row r="200000">{_value("Z200000")}</row>'
    return write_xlsx(d / "wide_and_tall.xlsx", sheet_xml(rows))


def million_rows_one_column(d: Path) -> Path:
    """A value in A1048576: a million-row grid of one column, within the limits (read)."""
    rows = _HEADER + f'<row r="1048576">{_value("A1048576")}</row>'
    return write_xlsx(d / "million_rows_one_column.xlsx", sheet_xml(rows))


def far_column_one_row(d: Path) -> Path:
    """A value in XFD1: one row of 16,384 cells (read)."""
    return write_xlsx(d / "far_column_one_row.xlsx",
                      sheet_xml(f'<row r="1">{_value("A1")}{_value("XFD1")}</row>'))


def rows_without_references(d: Path) -> Path:
    """Rows and cells with no ``r`` attribute, as some generators write them (read)."""
    rows = "".join(f"<row><c><v>{i}</v></c><c><v>{i + 1}</v></c></row>" for i in range(50))
    return write_xlsx(d / "rows_without_references.xlsx", sheet_xml(rows))


def prefixed_namespace(d: Path) -> Path:
    """SpreadsheetML with an ``x:`` prefix and a far cell: the extent check must see it."""
    xml = ('<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.'
           'openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1">'
           '<x:c r="A1"><x:v>1</x:v></x:c></x:row><x:row r="1048576"><x:c r="XFD1048576">'
           '<x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    return write_xlsx(d / "prefixed_namespace.xlsx", xml)


# --- zip bombs ----------------------------------------------------------------------------------

def expands_past_limit(d: Path) -> Path:
    """A 270 MB part of zeros (about 0.3 MB compressed) beside a normal sheet."""
    return write_xlsx(d / "expands_past_limit.xlsx", sheet_xml(_HEADER),
                      extra={"xl/media/image1.bin": bytes(270 * 1024 * 1024)})


def expands_a_thousandfold(d: Path) -> Path:
    """20 MB of whitespace inside the sheet's XML: compresses ~1000×."""
    rows = _HEADER + " " * (20 * 1024 * 1024)
    return write_xlsx(d / "expands_a_thousandfold.xlsx", sheet_xml(rows))


# --- XML attacks ---------------------------------------------------------------------------------

def external_entity(d: Path) -> Path:
    prolog = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    return write_xlsx(d / "external_entity.xlsx", sheet_xml(rows, prolog=prolog))


def entity_expansion(d: Path) -> Path:
    """«Billion laughs» in the shared strings."""
    entities = '<!ENTITY a0 "ха-ха">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    sst = (f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst {_NS} count="1" '
           'uniqueCount="1"><si><t>&a9;</t></si></sst>')
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return write_xlsx(d / "entity_expansion.xlsx", sheet_xml(rows), shared_strings=sst)


def bad_shared_string(d: Path) -> Path:
    sst = f'<?xml version="1.0"?><sst {_NS} count="1" uniqueCount="1"><si><t>x</t></si></sst>'
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>99999</v></c>'
            '<c r="C1" t="s"><v>-5</v></c></row>')
    return write_xlsx(d / "bad_shared_string.xlsx", sheet_xml(rows), shared_strings=sst)


def nul_in_xml(d: Path) -> Path:
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>a\x00b</t></is></c></row>'
    return write_xlsx(d / "nul_in_xml.xlsx", sheet_xml(rows).encode("utf-8"))


def broken_xml(d: Path) -> Path:
    return write_xlsx(d / "broken_xml.xlsx", '<?xml version="1.0"?><worksheet><sheetData><row')


def huge_cell(d: Path) -> Path:
    """One cell holding 5 MB of text (random letters, so it does not compress a thousandfold)."""
    text = os.urandom(5 * 1024 * 1024 // 2).hex()
    rows = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'
    return write_xlsx(d / "huge_cell.xlsx", sheet_xml(rows))


def full_width_row(d: Path) -> Path:
    """Every one of the 16,384 columns of row 1 filled."""
    from opora.formats.xlsx_extent import cell_name

    cells = "".join(_value(cell_name(1, col), col) for col in range(1, 16385))
    return write_xlsx(d / "full_width_row.xlsx", sheet_xml(f'<row r="1">{cells}</row>'))


def no_sheet_part(d: Path) -> Path:
    """The workbook names a sheet whose XML part is missing."""
    path = d / "no_sheet_part.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(extra=""))
    return path


# --- truncated, renamed, garbage -----------------------------------------------------------------

def truncated_real_form(d: Path, realdata: Path) -> Path:
    data = (realdata / "vpr_protocol_form.xlsx").read_bytes()
    path = d / "truncated_form.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def png_named_xlsx(d: Path) -> Path:
    path = d / "picture.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    return path


def csv_named_xlsx(d: Path) -> Path:
    path = d / "text.xlsx"
    path.write_text("school_key;year\nA;2024\n", encoding="utf-8")
    return path


def xlsx_named_csv(d: Path, realdata: Path) -> Path:
    path = d / "form.csv"
    path.write_bytes((realdata / "vpr_protocol_form.xlsx").read_bytes())
    return path


def nul_bytes_csv(d: Path) -> Path:
    path = d / "nul.csv"
    path.write_bytes(b"school_key;year\x00\x00\nA;2024\n")
    return path


def ragged_csv(d: Path) -> Path:
    """A normalised aggregates header, then rows with too many and too few cells."""
    path = d / "ragged.csv"
    path.write_text("school_key;procedure;year;grade;subject;participants\n"
                    "A;EGE;2024;11;rus;10;лишнее;ещё\nB;EGE\n", encoding="utf-8")
    return path


def garbage_parquet(d: Path) -> Path:
    path = d / "garbage.parquet"
    path.write_bytes(b"PAR1" + os.urandom(4000) + b"PAR1")
    return path


def truncated_parquet(d: Path) -> Path:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"school_key": ["A"] * 1000, "year": [2024] * 1000}), buffer)
    path = d / "truncated.parquet"
    path.write_bytes(buffer.getvalue()[:600])
    return path


def parquet_row_bomb(d: Path) -> Path:
    """60 M rows of one value in each of the aggregates' key columns: ~100 KB on disk."""
    rows = 60_000_000
    table = pa.table({
        "school_key": pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int8()), ["A"]),
        "procedure": pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int8()), ["EGE"]),
    })
    path = d / "row_bomb.parquet"
    pq.write_table(table, path)
    return path


BUILDERS: dict[str, Callable[..., Path]] = {
    f.__name__: f for f in (
        far_value, huge_row_number, column_beyond_excel, row_zero, wide_and_tall,
        million_rows_one_column, far_column_one_row, rows_without_references, prefixed_namespace,
        expands_past_limit, expands_a_thousandfold, external_entity, entity_expansion,
        bad_shared_string, nul_in_xml, broken_xml, huge_cell, full_width_row, no_sheet_part,
        truncated_real_form, png_named_xlsx, csv_named_xlsx, xlsx_named_csv, nul_bytes_csv,
        ragged_csv, garbage_parquet, truncated_parquet, parquet_row_bomb,
    )
}

# Files refused before any reader sees them, and a word of the message.
EXPECTED_REFUSAL = {
    "far_value": "слишком велика",
    "huge_row_number": "за пределами листа",
    "column_beyond_excel": "за пределами листа",
    "row_zero": "за пределами листа",
    "wide_and_tall": "слишком велика",
    "prefixed_namespace": "слишком велика",
    "expands_past_limit": "после распаковки",
    "expands_a_thousandfold": "увеличивается в",
    "parquet_row_bomb": "больше предела",
}


def build_corpus(directory: Path, realdata: Path) -> dict[str, Path]:
    """Every hostile file, by builder name."""
    directory.mkdir(parents=True, exist_ok=True)
    built = {}
    for name, builder in BUILDERS.items():
        needs_realdata = builder.__code__.co_argcount == 2
        built[name] = builder(directory, realdata) if needs_realdata else builder(directory)
    return built
