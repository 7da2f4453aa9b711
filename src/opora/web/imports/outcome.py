"""What an import tells the user: done / rejected / already loaded, in Russian, with numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from opora.formats.base import Problem
from opora.formats.grouping import ProblemGroup, group_problems
from opora.glossary import DATA_TABLES
from opora.web.imports.models import ImportBatch

if TYPE_CHECKING:
    from opora.web.imports.loading import WriteReport

#: table code → its Russian name (the glossary's «Таблицы загруженных данных»)
TABLE_NAMES_RU = {t.code: t.name_ru for t in DATA_TABLES}


@dataclass
class ImportOutcome:
    status: str  # "succeeded", "failed" or "duplicate"
    batch: ImportBatch
    problems: list[Problem] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)
    created_schools: list[str] = field(default_factory=list)
    missing_schools: list[str] = field(default_factory=list)
    unmatched_schools: list[dict[str, str]] = field(default_factory=list)  # IncomingSchool fields
    skipped_rows: int = 0
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0  # rows the reader rejected: why it failed, or left out by choice
    skippable: bool = False  # failed only for rejected rows, and other rows could be loaded

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    @classmethod
    def succeeded(cls, batch: ImportBatch, report: WriteReport, *, created: list[str],
                  skipped: int, notes: list[str], warnings: list[Problem] | None = None
                  ) -> ImportOutcome:
        return cls("succeeded", batch, written=report.written, replaced=report.replaced,
                   created_schools=created, skipped_rows=skipped, notes=notes,
                   warnings=warnings or [])

    @classmethod
    def failed(cls, batch: ImportBatch, problems: list[Problem],
               missing: list[str] | None = None,
               unmatched: list[dict[str, str]] | None = None, rejected_rows: int = 0,
               skippable: bool = False) -> ImportOutcome:
        return cls("failed", batch, problems=problems, missing_schools=missing or [],
                   unmatched_schools=unmatched or [], rejected_rows=rejected_rows,
                   skippable=skippable)

    @classmethod
    def duplicate(cls, earlier: ImportBatch) -> ImportOutcome:
        return cls("duplicate", earlier)

    def summary(self) -> str:
        """The outcome in Russian, several lines, as the command line and the page show it."""
        if self.status == "duplicate":
            return duplicate_message(self.batch)
        if self.status == "failed":
            lines = [f"Загрузка №{self.batch.pk} «{self.batch.original_name}» отклонена: "
                     f"ничего не сохранено. Проблем: {len(self.problems)}."]
            if self.skippable:
                lines.append(f"Отклонено строк: {self.rejected_rows}; остальные строки файла "
                             "можно загрузить без них — «Загрузить без отклонённых строк».")
            return "\n".join(lines + grouped_lines(self.problems))
        counts = ", ".join(f"{TABLE_NAMES_RU.get(n, n)} — {c}" for n, c in self.written.items())
        lines = [f"Загрузка №{self.batch.pk} «{self.batch.original_name}» выполнена. "
                 f"Записано: {counts or 'ничего'}. Сопоставлено школ: {self.batch.schools_matched}."]
        if self.replaced:
            lines.append("Заменены прежние данные тех же школ и работ: " + ", ".join(
                f"{TABLE_NAMES_RU.get(n, n)} — {c}" for n, c in self.replaced.items()))
        if self.created_schools:
            lines.append("Созданы новые школы: " + ", ".join(self.created_schools))
        if self.skipped_rows:
            lines.append(f"Пропущено строк школ других муниципалитетов: {self.skipped_rows}")
        if self.rejected_rows:
            lines.append(f"Загружено без отклонённых строк (так выбрано): не загружено строк — "
                         f"{self.rejected_rows}; причины — в списке замечаний")
        lines += self.notes
        if self.warnings:
            kept = "" if self.rejected_rows else " (строки приняты)"
            lines.append(f"Замечания{kept}: {len(self.warnings)}")
            lines += grouped_lines(self.warnings)
        return "\n".join(lines)


GROUPS_IN_SUMMARY = 30


def grouped_lines(problems: list[Problem]) -> list[str]:
    """One line per kind of problem and column (:mod:`opora.formats.grouping`), at most
    :data:`GROUPS_IN_SUMMARY`; the full list is the batch's (XLSX, the paged list)."""
    groups = group_problems(problems)
    lines = [f"— {_file_once(g)}" for g in groups[:GROUPS_IN_SUMMARY]]
    if len(groups) > GROUPS_IN_SUMMARY:
        lines.append(f"… и ещё {len(groups) - GROUPS_IN_SUMMARY} видов — в полном списке")
    return lines


def _file_once(group: ProblemGroup) -> str:
    """A group's line; a file-level message («файл X: …») keeps its file named once."""
    if group.place() or not group.file:
        return group.line()
    return Problem(group.file, group.example, group.code).text()


def duplicate_message(batch: ImportBatch) -> str:
    when = timezone.localtime(batch.imported_at).strftime("%d.%m.%Y %H:%M")
    who = batch.imported_by.get_username() if batch.imported_by else "из командной строки"
    return (f"Этот файл уже загружен {when} ({who}), загрузка №{batch.pk} "
            f"«{batch.original_name}»; ничего не изменено.")
