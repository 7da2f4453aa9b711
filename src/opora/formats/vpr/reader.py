"""Reader of the ВПР results collection form a school fills in (``FORMAT = "vpr-form"``).

Sample: ``tests/data/realdata/vpr_protocol_form.xlsx``. What is read and what is checked is in
``docs/templates.md`` (section «Бланк ВПР»); the layout is found by :mod:`vpr_layout`, each row is
checked by :mod:`vpr_rows`, the school/subject/grade/year come from :mod:`vpr_metadata`.

Decisions that are not obvious:

- Every sheet with the form's header is read; other sheets with content are reported in
  ``result.skipped`` (``sheet_skipped``) and not read.
- Sheets of one work (same school, subject, grade, year) must have the same tasks; a sheet with a
  different set of tasks is rejected (``layout_conflict``) unless its name says which work it is
  («РУ 4 класс»). The same participant on two sheets of one work with identical data is taken once
  (a sheet that only repeats another goes to ``skipped`` as ``sheet_duplicate``); with different
  data every copy is rejected (``participant_conflict``): which one is right is unknown.
- ``mark`` stays empty: the boundaries of the scale are not in the form and are not invented; the
  engine derives marks from the ``scales`` table.
- When the school, subject, grade or year is still unknown, the rows are checked but not written
  (the normalised tables require them), they count as rejected, and ONE ``metadata_missing``
  problem tells the user how to give them (``--school`` … of ``opora read`` or the import page).
  The exit code is then 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow as pa

from opora.formats.base import Problem, ReadResult, UnreadableFile
from opora.formats.errors import ReadErrorCode
from opora.formats.hints import ReadHints
from opora.formats.vpr.layout import FormLayout, find_layout
from opora.formats.vpr.metadata import WorkMeta, meta_from_hints, meta_from_name
from opora.formats.vpr.rows import Participant, RowReader
from opora.formats.workbook import Sheet
from opora.schemas import RESULTS, TASKS

FORMAT = "vpr-form"


def recognises(sheets: list[Sheet]) -> bool:
    """A sheet has a header row with task columns «N (Mб)» or «Код» + «Вариант»."""
    return any(find_layout(sheet) is not None for sheet in sheets)


@dataclass
class _Work:
    """One work (school × subject × grade × year) and the participants read for it so far."""

    meta: WorkMeta
    layout: FormLayout
    sheet: str
    participants: dict[str, tuple[Participant, str]] = field(default_factory=dict)
    conflicted: set[str] = field(default_factory=set)


def read(path: Path, sheets: list[Sheet], hints: ReadHints) -> ReadResult:
    result = ReadResult()
    hint_meta, complaints = meta_from_hints(hints)
    if complaints:
        raise UnreadableFile(f"файл {path.name}: " + "; ".join(complaints))
    file_meta = meta_from_name(path.stem)
    works: dict[WorkMeta, _Work] = {}
    for sheet in sheets:
        layout = find_layout(sheet)
        if layout is None:
            _skip_sheet(path, sheet, result)
            continue
        _require_columns(path, sheet, layout)
        meta = hint_meta.or_else(meta_from_name(sheet.name, bare_grade=False)).or_else(file_meta)
        meta = replace(meta, procedure=meta.procedure or "VPR")
        participants = _read_sheet(path, sheet, layout, result)
        work = works.setdefault(meta, _Work(meta, layout, sheet.name))
        if work.layout.signature != layout.signature:
            _reject_layout(path, sheet, layout, work, len(participants), result)
            continue
        _add_participants(path, sheet, work, participants, result)
    _emit(path, works.values(), result, hints)
    return result


def _skip_sheet(path: Path, sheet: Sheet, result: ReadResult) -> None:
    if any(v is not None for row in sheet.rows for v in row):
        result.skipped.append(Problem(
            path.name,
            f"лист «{sheet.name}» пропущен: на нём нет строки заголовков бланка ВПР "
            "(«Код», «Вариант», задания вида «1 (1б)»)",
            ReadErrorCode.SHEET_SKIPPED, sheet.name))


def _require_columns(path: Path, sheet: Sheet, layout: FormLayout) -> None:
    where = f"файл {path.name}, лист «{sheet.name}», строка заголовков {layout.header_row + 1}"
    if layout.code_col is None:
        raise UnreadableFile(f"{where}: нет столбца «Код» — без кода участника строки не прочитать")
    if not layout.tasks:
        raise UnreadableFile(
            f"{where}: нет столбцов заданий с максимальным баллом в заголовке, например «1 (1б)»")


def _read_sheet(path: Path, sheet: Sheet, layout: FormLayout,
                result: ReadResult) -> list[Participant]:
    """Rows that pass every check; the others become problems. Duplicate codes reject all copies."""
    reader = RowReader(path.name, sheet, layout)
    participants = []
    for row in range(layout.header_row + 1, len(sheet.rows)):
        if reader.is_unused(row):
            continue
        participant, problems = reader.read(row)
        if participant is None:
            result.problems.extend(problems)
            result.rejected_rows += 1
        else:
            participants.append(participant)
    counts = Counter(p.code for p in participants)
    duplicated = {code for code, n in counts.items() if n > 1}
    for participant in participants:
        if participant.code in duplicated:
            rows = ", ".join(str(p.row) for p in participants if p.code == participant.code)
            result.problems.append(reader.problem(
                participant.row - 1, layout.code_col, ReadErrorCode.CODE_DUPLICATE,
                f"код участника {participant.code} повторяется на листе (строки {rows}): "
                "какая строка верна, неизвестно — исправьте код"))
            result.rejected_rows += 1
    return [p for p in participants if p.code not in duplicated]


def _reject_layout(path: Path, sheet: Sheet, layout: FormLayout, work: _Work, rows: int,
                   result: ReadResult) -> None:
    result.rejected_rows += rows
    result.problems.append(Problem(
        path.name,
        f"на листе «{sheet.name}» другой набор заданий ({len(layout.tasks)}), чем на листе "
        f"«{work.sheet}» ({len(work.layout.tasks)}), а предмет и класс у листов одинаковые или не "
        "указаны: назовите листы по предмету и классу («РУ 4 класс», «МА 4 класс») "
        "или загрузите их отдельными файлами",
        ReadErrorCode.LAYOUT_CONFLICT, sheet.name, layout.header_row + 1))


def _add_participants(path: Path, sheet: Sheet, work: _Work, participants: list[Participant],
                      result: ReadResult) -> None:
    repeated = []
    for participant in participants:
        code = participant.code
        earlier = work.participants.get(code)
        if code in work.conflicted:
            _conflict(path, sheet.name, participant, work.sheet, result)
        elif earlier is None:
            work.participants[code] = (participant, sheet.name)
        elif earlier[0].payload == participant.payload:
            repeated.append(code)
        else:
            del work.participants[code]
            work.conflicted.add(code)
            _conflict(path, earlier[1], earlier[0], sheet.name, result)
            _conflict(path, sheet.name, participant, earlier[1], result)
    _report_repeats(path, sheet, work, repeated, len(participants), result)


def _conflict(path: Path, sheet: str, participant: Participant, other: str,
              result: ReadResult) -> None:
    result.rejected_rows += 1
    result.problems.append(Problem(
        path.name,
        f"участник {participant.code} есть и на листе «{other}», но с другими данными: какие "
        "верны, неизвестно — оставьте участника на одном листе",
        ReadErrorCode.PARTICIPANT_CONFLICT, sheet, participant.row))


def _report_repeats(path: Path, sheet: Sheet, work: _Work, repeated: list[str], total: int,
                    result: ReadResult) -> None:
    if not repeated:
        return
    if len(repeated) == total:
        result.skipped.append(Problem(
            path.name,
            f"лист «{sheet.name}» повторяет лист «{work.sheet}»: те же {total} участников с теми же "
            "данными — они взяты один раз",
            ReadErrorCode.SHEET_DUPLICATE, sheet.name))
        return
    codes = ", ".join(repeated[:10]) + (" …" if len(repeated) > 10 else "")
    result.problems.append(Problem(
        path.name,
        f"на листе «{sheet.name}» повторены {len(repeated)} участников листа «{work.sheet}» с теми "
        f"же данными (коды {codes}) — они взяты один раз; проверьте, не внесён ли класс дважды",
        ReadErrorCode.PARTICIPANTS_REPEATED, sheet.name))


def _emit(path: Path, works: Iterable[_Work], result: ReadResult, hints: ReadHints) -> None:
    """Write the works whose identity is known; withhold the others with one problem."""
    missing: list[str] = []
    for work in works:
        if work.meta.missing():
            missing += [m for m in work.meta.missing() if m not in missing]
            result.rejected_rows += len(work.participants)
            continue
        result.add("results", _results_table(path, work))
        result.add("tasks", _tasks_table(work))
    if missing:
        result.problems.append(_metadata_problem(path, missing, hints))


def _results_table(path: Path, work: _Work) -> pa.Table:
    """Columns built directly (not row dicts): this is the per-file cost of a 500-form import."""
    meta, entries = work.meta, list(work.participants.values())
    n = len(entries)
    people = [p for p, _ in entries]
    columns: dict[str, list[object]] = {
        "school_key": [meta.school_key] * n, "procedure": [meta.procedure] * n,
        "year": [meta.year] * n, "grade": [meta.grade] * n, "subject": [meta.subject] * n,
        "participant_code": [p.code for p in people],
        "class_label": [p.class_label for p in people], "sex": [p.sex for p in people],
        "variant": [p.variant for p in people], "absent": [p.absent for p in people],
        "primary_score": [p.primary_score for p in people], "mark": [None] * n,
        "test_score": [None] * n, "term_mark": [p.term_mark for p in people],
        "task_scores": [None if p.task_scores is None else list(p.task_scores) for p in people],
        "source": [f"{path.name}:{sheet}:{p.row}" for p, sheet in entries],
    }
    return pa.Table.from_pydict(columns, schema=RESULTS.schema)


def _tasks_table(work: _Work) -> pa.Table:
    meta = work.meta
    rows = [
        {"procedure": meta.procedure, "year": meta.year, "grade": meta.grade,
         "subject": meta.subject, "task_no": number, "task_label": task.label,
         "max_score": task.max_score}
        for number, task in enumerate(work.layout.tasks, start=1)
    ]
    return pa.Table.from_pylist(rows, schema=TASKS.schema)


def _metadata_problem(path: Path, missing: list[str], hints: ReadHints) -> Problem:
    return Problem(
        path.name,
        f"в бланке ВПР нет сведений ({', '.join(missing)}), и по имени файла «{path.name}» их "
        "определить не удалось; строки проверены, но не сохранены. Укажите их "
        f"{hints.how_to_give(tuple(missing))}, либо назовите файл по образцу "
        "«edu053001_РУ_4_2024.xlsx» (логин ФИС ОКО, предмет, класс, год)",
        ReadErrorCode.METADATA_MISSING)
