"""Files already in the normalised layout: Parquet, or CSV whose header row is the column names.

This is how analysts and other systems exchange data with Опора (and how ``opora generate``
writes it), so it is also the path for big files: a million-row results CSV or Parquet is read
with Arrow's multi-threaded readers and checked with :mod:`opora.formats.table_checks`, in
seconds. The table is chosen by the columns: the file must carry every required column of one
normalised table (``results``, ``aggregates``, ``context``, …, see ``docs/formats.md``).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from opora.formats.base import Problem, ReadResult, UnreadableFile
from opora.formats.errors import ReadErrorCode
from opora.formats.table_checks import MAX_PROBLEMS_PER_CHECK, check_table
from opora.schemas import TABLES, Table

FORMAT = "normalised"
_FORMAT_TO_TABLE = {"results": ("results", "aggregates"), "context": ("context",),
                    "markers": ("markers",)}


def csv_header(path: Path) -> list[str]:
    """The first line of a CSV split on its separator (``;`` or ``,``), BOM and quotes removed."""
    return _csv_header_and_separator(path)[0]


def _csv_header_and_separator(path: Path) -> tuple[list[str], str]:
    """The header names and the separator that splits the header line into the most cells."""
    with path.open("rb") as handle:
        line = handle.readline(65536).decode("utf-8-sig", errors="replace").strip()
    separator = ";" if line.count(";") >= line.count(",") else ","
    return [name.strip().strip('"') for name in line.split(separator)], separator


def table_for_columns(columns: list[str], wanted: str = "auto") -> Table | None:
    """The normalised table whose required columns are all present (most columns matched wins)."""
    names = set(columns)
    candidates = _FORMAT_TO_TABLE.get(wanted, tuple(TABLES))
    fitting = [
        TABLES[n] for n in candidates
        if all(c.name in names for c in TABLES[n].columns if c.required)
    ]
    return max(fitting, key=lambda t: len(names & set(t.column_names)), default=None)


def is_normalised(path: Path, wanted: str = "auto") -> bool:
    suffix = path.suffix.lower()
    if suffix == ".parquet" or path.is_dir():
        return True
    if suffix == ".csv" and path.exists() and path.stat().st_size > 0:
        return table_for_columns(csv_header(path), wanted) is not None
    return False


def read(path: Path, wanted: str = "auto") -> ReadResult:
    """Read a normalised Parquet/CSV file, check every row, keep the good ones."""
    table = _load(path)
    spec = table_for_columns(table.column_names, wanted)
    if spec is None:
        raise UnreadableFile(
            f"файл {path.name}: столбцы не совпадают ни с одной нормализованной таблицей "
            "(см. docs/formats.md)"
        )
    first_row = 2 if path.suffix.lower() == ".csv" else 1
    table, problems, bad = _cast(table, spec, path.name, first_row)
    good, more, _ = check_table(table.filter(pa.array(~bad)), spec, file=path.name,
                                first_row=first_row)
    # check_table numbers rows of the filtered table; re-map them to the file's lines
    lines = np.flatnonzero(~bad) + first_row
    problems += [_at_line(p, lines, first_row) for p in more]
    rejected = int(bad.sum()) + (table.num_rows - int(bad.sum()) - good.num_rows)
    result = ReadResult(problems=problems, rejected_rows=rejected, format=FORMAT)
    result.add(spec.name, good)
    return result


def _at_line(problem: Problem, lines: np.ndarray, first_row: int) -> Problem:
    if problem.row is None:
        return problem
    return replace(problem, row=int(lines[problem.row - first_row]))


def _load(path: Path) -> pa.Table:
    try:
        if path.suffix.lower() == ".csv":
            with path.open("rb") as handle:
                if b"\x00" in handle.read(65536):
                    raise UnreadableFile(f"файл {path.name} не является текстовым CSV "
                                         "(двоичные данные)")
            header, separator = _csv_header_and_separator(path)
            return pacsv.read_csv(
                path,
                read_options=pacsv.ReadOptions(encoding="utf8"),
                parse_options=pacsv.ParseOptions(delimiter=separator),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in header},
                    strings_can_be_null=True,
                ),
            )
        _check_parquet_size(path)
        return pq.read_table(path)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
        raise UnreadableFile(f"файл {path.name} не удаётся прочитать: {_reason(path, exc)}") from exc


# As for a workbook (opora.formats.xlsx_extent): how much a file may expand to before it is read.
# 40 M values (~0.3–0.5 GB in Arrow) hold 2.5 M rows of student results; the engine reads bigger
# data sets as a directory (``opora analyze DIR``), not through this reader.
MAX_PARQUET_VALUES = 40_000_000


def _check_parquet_size(path: Path) -> None:
    """Refuse a Parquet file whose own metadata declares more values than the limit.

    Rows × columns, not the stored sizes: a few KB of run-length or dictionary encoding can
    declare a hundred million rows, and the stored (encoded) size says nothing of that.
    """
    metadata = pq.ParquetFile(path).metadata
    values = metadata.num_rows * max(1, metadata.num_columns)
    if values > MAX_PARQUET_VALUES:
        raise UnreadableFile(
            f"файл {path.name}: в нём {_grouped(metadata.num_rows)} строк × "
            f"{metadata.num_columns} столбцов — больше предела {_grouped(MAX_PARQUET_VALUES)} "
            "значений для одного файла; разбейте его на части или загрузите каталог набора "
            "данных командой «opora manage import КАТАЛОГ»")


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")


def _reason(path: Path, exc: Exception) -> str:
    """pyarrow's English error, said in Russian (the original goes to the log via the cause)."""
    text = str(exc)
    if path.suffix.lower() == ".parquet":
        return "это не файл Parquet или он повреждён (обрезан при копировании)"
    columns = re.search(r"Expected (\d+) columns, got (\d+)", text)
    if columns:
        return (f"в одной из строк {columns.group(2)} значений вместо {columns.group(1)} "
                "(по числу столбцов заголовка) — проверьте разделители и кавычки")
    if "UTF8" in text or "utf8" in text or "UTF-8" in text:
        return "текст не в кодировке UTF-8 — сохраните CSV в UTF-8"
    if "straddling" in text or "quote" in text.lower():
        return "незакрытая кавычка или перевод строки внутри значения"
    return "это не CSV-таблица в формате Опоры или файл повреждён"


_NUMBER = r"^\s*-?\d+([.,]\d+)?\s*$"


def _cast(
    table: pa.Table, spec: Table, file: str, first_row: int
) -> tuple[pa.Table, list[Problem], np.ndarray]:
    """Cast each column to its normalised type; values that are not numbers reject their row."""
    bad = np.zeros(table.num_rows, dtype=bool)
    problems: list[Problem] = []
    columns = {}
    for column in spec.columns:
        if column.name not in table.column_names:
            columns[column.name] = pa.nulls(table.num_rows, column.type)
            continue
        values = table.column(column.name)
        if pa.types.is_string(values.type) and _is_numeric(column.type):
            not_number = pc.invert(pc.fill_null(pc.match_substring_regex(values, _NUMBER), True))
            mask = not_number.to_numpy(zero_copy_only=False)
            for row in np.flatnonzero(mask)[:MAX_PROBLEMS_PER_CHECK]:
                problems.append(Problem(
                    file=file, row=int(row) + first_row, column=column.name,
                    code=ReadErrorCode.NOT_A_NUMBER,
                    message=f"«{values[int(row)].as_py()}» — не число ({column.unit})"))
            bad |= mask
            values = pc.if_else(not_number, pa.scalar(None, pa.string()),
                                pc.replace_substring(pc.utf8_trim_whitespace(values), ",", "."))
            if pa.types.is_integer(column.type):
                values = values.cast(pa.float64())
                fractional = pc.fill_null(pc.not_equal(values, pc.floor(values)), False)
                mask = fractional.to_numpy(zero_copy_only=False) & ~bad
                for row in np.flatnonzero(mask)[:MAX_PROBLEMS_PER_CHECK]:
                    problems.append(Problem(
                        file=file, row=int(row) + first_row, column=column.name,
                        code=ReadErrorCode.NOT_AN_INTEGER,
                        message=f"«{values[int(row)].as_py()}» — должно быть целое число"))
                bad |= mask
                values = pc.if_else(fractional, pa.scalar(None, pa.float64()), values)
        elif pa.types.is_string(values.type) and pa.types.is_list(column.type):
            # lists travel in CSV as «1|0|2» (task scores in task order)
            values = pc.split_pattern(values, "|")
        try:
            columns[column.name] = values.cast(column.type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise UnreadableFile(
                f"файл {file}, столбец «{column.name}»: значения не того вида, что нужен "
                f"этому столбцу ({column.unit}; см. docs/formats.md)"
            ) from exc
    return pa.table(columns, schema=spec.schema), problems, bad


def _is_numeric(type_: pa.DataType) -> bool:
    return pa.types.is_integer(type_) or pa.types.is_floating(type_)

