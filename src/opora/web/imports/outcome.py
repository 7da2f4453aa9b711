"""What an import tells the user: done / rejected / already loaded / would replace earlier data
(and waits for a «yes»), in Russian, with numbers.

Naming (issue 13: a page titled «Загрузка №1» listed «Загрузка №2 … отклонена» — the numbers of
batch records): an upload through the page is «загрузка №N» and its files «файл 1», «файл 2»;
a message about a file names the file («Файл «edu053001_РУ_4.xlsx» загружен»), and a message
about an earlier upload names it the same way («загрузка №3, файл 1 «…»»,
:func:`batch_label`). Only the command line's loads are named by their record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from opora.formats.base import Problem
from opora.formats.grouping import ProblemGroup, group_problems
from opora.glossary import DATA_TABLES
from opora.web.imports.models import ImportBatch, UploadEntry

if TYPE_CHECKING:
    from opora.web.imports.loading import WriteReport

#: table code → its Russian name (the glossary's «Таблицы загруженных данных»)
TABLE_NAMES_RU = {t.code: t.name_ru for t in DATA_TABLES}


@dataclass
class ImportOutcome:
    status: str  # "succeeded", "failed", "duplicate" or "confirm" (would replace earlier data)
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
    replaced_from: dict[int, dict[str, int]] = field(default_factory=dict)  # batch → table → rows

    @property
    def ok(self) -> bool:
        return self.status == "succeeded"

    @classmethod
    def succeeded(cls, batch: ImportBatch, report: WriteReport, *, created: list[str],
                  skipped: int, notes: list[str], warnings: list[Problem] | None = None
                  ) -> ImportOutcome:
        return cls("succeeded", batch, written=report.written, replaced=report.data_replaced(),
                   created_schools=created, skipped_rows=skipped, notes=notes,
                   warnings=warnings or [], replaced_from=report.replaced_from)

    @classmethod
    def to_confirm(cls, batch: ImportBatch, report: WriteReport, *, skipped: int
                   ) -> ImportOutcome:
        """Nothing written: the file would replace earlier data (``batch`` is not saved)."""
        return cls("confirm", batch, written=report.written, replaced=report.data_replaced(),
                   skipped_rows=skipped, replaced_from=report.replaced_from)

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
        if self.status == "confirm":
            return self._confirm_summary()
        if self.status == "failed":
            lines = [f"Файл «{self.batch.original_name}» отклонён: "
                     f"ничего не сохранено. Проблем: {len(self.problems)}."]
            if self.skippable:
                lines.append(f"Отклонено строк: {self.rejected_rows}; остальные строки файла "
                             "можно загрузить без них — «Загрузить без отклонённых строк».")
            return "\n".join(lines + grouped_lines(self.problems))
        counts = ", ".join(f"{TABLE_NAMES_RU.get(n, n)} — {c}" for n, c in self.written.items())
        lines = [f"Файл «{self.batch.original_name}» загружен. "
                 f"Записано: {counts or 'ничего'}. Сопоставлено школ: {self.batch.schools_matched}."]
        if self.replaced:
            lines.append("Заменены прежние данные тех же школ и работ: "
                         + _counted(self.replaced) + "; они сохранены в архиве этой загрузки. "
                         "Откуда они были:")
            lines += self._replaced_lines()
        if self.created_schools:
            lines.append("Созданы новые школы: " + ", ".join(self.created_schools))
        if self.skipped_rows:
            lines.append(f"Вне вашего муниципалитета: {self.skipped_rows} строк, не записаны")
        if self.rejected_rows:
            lines.append(f"Загружено без отклонённых строк (так выбрано): не загружено строк — "
                         f"{self.rejected_rows}; причины — в списке замечаний")
        lines += self.notes
        if self.warnings:
            kept = "" if self.rejected_rows else " (строки приняты)"
            lines.append(f"Замечания{kept}: {len(self.warnings)}")
            lines += grouped_lines(self.warnings)
        return "\n".join(lines)


    def _confirm_summary(self) -> str:
        lines = [f"Файл «{self.batch.original_name}» заменит данные, загруженные раньше, — "
                 f"пока ничего не записано. Будут заменены: {_counted(self.replaced)}. "
                 "Откуда они:",
                 *self._replaced_lines(),
                 f"Из файла будет записано: {_counted(_data(self.written)) or 'ничего'}.",
                 "Если это исправленный файл, подтвердите замену; прежние строки сохранятся в "
                 "архиве загрузки. Если нет — ничего не делайте: данные останутся прежними."]
        if self.skipped_rows:
            lines.append(f"Вне вашего муниципалитета: {self.skipped_rows} строк, не записаны")
        return "\n".join(lines)

    def _replaced_lines(self) -> list[str]:
        """Which earlier uploads the replaced rows came from (the structure rows left out)."""
        lines = []
        for batch_id, counts in sorted(self.replaced_from.items()):
            data = _data(counts)
            if data:
                lines.append(f"— {batch_label(batch_id)}: {_counted(data)}")
        return lines


def _data(counts: dict[str, int]) -> dict[str, int]:
    """Rows of loaded data, without a work's structure (its scale and task list)."""
    return {n: c for n, c in counts.items() if n not in ("tasks", "scales")}


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{TABLE_NAMES_RU.get(n, n)} — {c}" for n, c in counts.items())


def batch_label(batch: ImportBatch | int) -> str:
    """How people know an earlier load: «загрузка №3, файл 1 «edu053001_РУ_4.xlsx» (12.05.2025
    14:03, director)» for a page upload, «загрузка из командной строки «…» (…)» otherwise."""
    if isinstance(batch, int):
        found = ImportBatch.objects.select_related("imported_by").filter(pk=batch).first()
        if found is None:
            return "загрузки, сведений о которой нет"
        batch = found
    when = timezone.localtime(batch.imported_at).strftime("%d.%m.%Y %H:%M")
    who = batch.imported_by.get_username() if batch.imported_by else "система"
    entry = (UploadEntry.objects.filter(batch=batch).exclude(status=UploadEntry.DUPLICATE)
             .order_by("pk").values_list("job_id", "position").first())
    where = (f"загрузка №{entry[0]}, файл {entry[1]}" if entry is not None
             else "загрузка из командной строки")
    return f"{where} «{batch.original_name}» ({when}, {who})"


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
    return f"Этот файл уже загружен: {batch_label(batch)}; ничего не изменено."
