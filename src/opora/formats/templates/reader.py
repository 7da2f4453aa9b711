"""Reading a filled-in Опора template (XLSX or CSV) into a normalised table.

The header row is found by the Russian titles of :mod:`template_spec` (case, non-breaking spaces
and the unit suffix do not matter; the normalised field name is accepted too). Every cell is read
by its column's kind; a cell that cannot be read or a repeated key rejects the row with its place
and a Russian reason; a side count larger than the participants, or a mean outside its scale, is
only left empty with a warning (:mod:`template_rules`, the participants are kept). Nothing is guessed: in particular shares
typed as fractions (0,25 for 25 %) are not multiplied by 100 — the file is rejected with a message.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from opora.catalog import normalize_label
from opora.formats.base import Problem, ReadResult, UnreadableFile, column_letter
from opora.formats.errors import ReadErrorCode
from opora.formats.templates.cells import PARSERS, parse_marker
from opora.formats.templates.rules import row_complaints
from opora.formats.templates.spec import Template, TemplateColumn
from opora.formats.workbook import Sheet

HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common; more is not a template
EXPLANATIONS_SHEET = "Пояснения"


@dataclass(frozen=True)
class Header:
    row: int  # 0-based
    columns: dict[str, int]  # field → 0-based column


def find_header(sheet: Sheet, template: Template) -> Header | None:
    """The first row naming one of the template's distinctive columns and at least one more."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        labels = {normalize_label(v): c for c, v in reversed(list(enumerate(row))) if v is not None}
        found = {
            col.field: labels[key]
            for col in template.columns for key in (col.key, col.field) if key in labels
        }
        if len(found) >= 2 and any(field in found for field in template.distinctive):
            return Header(index, found)
    return None


def recognises(sheets: list[Sheet], templates: tuple[Template, ...]) -> bool:
    return any(find_header(s, t) is not None for s in sheets for t in templates)


def read_template(path: Path, sheets: list[Sheet], templates: tuple[Template, ...]) -> ReadResult:
    """Read every sheet that carries one of ``templates``; report the other non-empty sheets."""
    result = ReadResult()
    found_any = False
    for sheet in sheets:
        match = next(((t, h) for t in templates if (h := find_header(sheet, t)) is not None), None)
        if match is None:
            _skip(path, sheet, result)
            continue
        found_any = True
        _SheetReader(path, sheet, *match).read_into(result)
    if not found_any:
        raise UnreadableFile(f"файл {path.name}: не найдена строка заголовков шаблона Опоры")
    return result


def _skip(path: Path, sheet: Sheet, result: ReadResult) -> None:
    empty = not any(v is not None for row in sheet.rows for v in row)
    if empty or sheet.name == EXPLANATIONS_SHEET:
        return
    result.skipped.append(Problem(
        path.name, f"лист «{sheet.name}» пропущен: на нём нет заголовков шаблона Опоры",
        ReadErrorCode.SHEET_SKIPPED, sheet.name))


class _SheetReader:
    def __init__(self, path: Path, sheet: Sheet, template: Template, header: Header) -> None:
        self.path, self.sheet, self.template, self.header = path, sheet, template, header
        self._require_columns()

    def _require_columns(self) -> None:
        where = f"файл {self.path.name}" + (f", лист «{self.sheet.name}»" if self.sheet.name
                                             else "")
        labels = [normalize_label(v) for v in self.sheet.rows[self.header.row] if v is not None]
        repeated = [c.title for c in self.template.columns
                    if sum(label in (c.key, c.field) for label in labels) > 1]
        if repeated:
            raise UnreadableFile(
                f"{where}, строка {self.header.row + 1}: столбец "
                + ", ".join(f"«{t}»" for t in repeated)
                + " встречается дважды — неизвестно, какой из них читать; оставьте один")
        absent = [c.title for c in self.template.columns
                  if c.required and c.field not in self.header.columns]
        if absent:
            raise UnreadableFile(
                f"{where}, строка {self.header.row + 1}: нет обязательных столбцов шаблона "
                f"«{self.template.title}»: " + ", ".join(f"«{t}»" for t in absent))

    def problem(self, row: int, field: str | None, code: ReadErrorCode,
                message: str) -> Problem:
        col = self.header.columns.get(field) if field else None
        letter = column_letter(col) if col is not None else ""
        if field:
            message = f"«{self.template.column(field).title}»: {message}"
        return Problem(self.path.name, message, code, self.sheet.name, row + 1, letter)

    def read_into(self, result: ReadResult) -> None:
        records: list[tuple[int, dict[str, object]]] = []
        for row in range(self.header.row + 1, len(self.sheet.rows)):
            if all(v is None for v in self.sheet.rows[row]):
                continue
            record, problems = self._read_row(row)
            result.problems.extend(self._dropped)  # values left empty: the row is kept
            if problems:
                result.problems.extend(problems)
                result.rejected_rows += 1
            else:
                records.append((row, record))
        records = self._without_duplicates(records, result)
        records = self._without_fraction_shares(records, result)
        table = pa.Table.from_pylist([r for _, r in records], schema=self.template.table.schema)
        result.add(self.template.table.name, table)

    def _read_row(self, row: int) -> tuple[dict[str, object], list[Problem]]:
        record: dict[str, object] = {}
        problems: list[Problem] = []
        for column in self.template.columns:
            col = self.header.columns.get(column.field)
            value = self.sheet.cell(row, col) if col is not None else None
            self._read_cell(row, column, value, record, problems)
        self._dropped: list[Problem] = []
        if not problems:
            for complaint in row_complaints(self.template.name, record):
                problem = self.problem(row, complaint.field, complaint.code, complaint.message)
                if complaint.drop:
                    self._dropped.append(problem)
                    record.update(dict.fromkeys(complaint.drop))
                else:
                    problems.append(problem)
        if not (self.template.name == "markers" and record.get("source")):
            place = f"{self.sheet.name}:" if self.sheet.name else ""
            record["source"] = f"{self.path.name}:{place}{row + 1}"
        return record, problems

    def _read_cell(self, row: int, column: TemplateColumn, value: object,
                   record: dict[str, object], problems: list[Problem]) -> None:
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            record[column.field] = False if column.kind == "yes_no" else None
            if column.required:
                problems.append(self.problem(row, column.field, ReadErrorCode.REQUIRED_MISSING,
                                             "обязательное поле не заполнено"))
            return
        if column.kind == "marker":
            parsed, reason = parse_marker(value)
            if parsed is not None:
                record["marker"], record["grade"], record["subject"] = parsed
        else:
            record[column.field], reason = PARSERS[column.kind](value)
        if reason is not None:
            problems.append(self.problem(row, column.field, ReadErrorCode.BAD_VALUE, reason))

    def _without_duplicates(self, records: list[tuple[int, dict[str, object]]],
                            result: ReadResult) -> list[tuple[int, dict[str, object]]]:
        """Rows sharing a key are all rejected: which of them is right is unknown."""
        key = self.template.table.key
        rows_by_key: dict[tuple[object, ...], list[int]] = defaultdict(list)
        for row, record in records:
            rows_by_key[tuple(record.get(k) for k in key)].append(row)
        repeated = {k: rows for k, rows in rows_by_key.items() if len(rows) > 1}
        for rows in repeated.values():
            lines = ", ".join(str(r + 1) for r in rows)
            for row in rows:
                result.problems.append(self.problem(
                    row, None, ReadErrorCode.DUPLICATE_KEY,
                    f"повтор: строки {lines} описывают одно и то же "
                    f"({', '.join(self._key_titles())}); какая верна, неизвестно — оставьте одну"))
                result.rejected_rows += 1
        return [(row, r) for row, r in records
                if tuple(r.get(k) for k in key) not in repeated]

    def _key_titles(self) -> list[str]:
        titles = {c.field: c.title for c in self.template.columns}
        titles.update({"grade": "класс", "subject": "предмет"})
        return [titles.get(k, k) for k in self.template.table.key]

    def _without_fraction_shares(self, records: list[tuple[int, dict[str, object]]],
                                 result: ReadResult) -> list[tuple[int, dict[str, object]]]:
        """All shares ≤ 1 (and not all zero) means fractions were typed: reject, never rescale."""
        fields = [c.field for c in self.template.columns if c.kind == "share"]
        values = [r[f] for _, r in records for f in fields if r.get(f) is not None]
        numbers = [v for v in values if isinstance(v, float)]
        if not numbers or max(numbers) > 1 or max(numbers) == 0:
            return records
        result.rejected_rows += len(records)
        result.problems.append(Problem(
            self.path.name,
            "все доли в файле не больше 1 — похоже, они записаны долями единицы (0,25), а шаблон "
            "ждёт проценты (25); умножьте доли на 100 и загрузите файл снова",
            ReadErrorCode.SHARES_AS_FRACTIONS, self.sheet.name))
        return []
