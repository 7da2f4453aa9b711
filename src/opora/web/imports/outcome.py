"""What an import tells the user: done / rejected / already loaded, in Russian, with numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone

from opora.formats.base import Problem
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
               unmatched: list[dict[str, str]] | None = None) -> ImportOutcome:
        return cls("failed", batch, problems=problems, missing_schools=missing or [],
                   unmatched_schools=unmatched or [])

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
            lines += [f"— {p.place()}: {p.message}" for p in self.problems]
            return "\n".join(lines)
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
        lines += self.notes
        if self.warnings:
            lines.append(f"Замечания (строки приняты): {len(self.warnings)}")
            lines += [f"— {p.place()}: {p.message}" for p in self.warnings]
        return "\n".join(lines)


def duplicate_message(batch: ImportBatch) -> str:
    when = timezone.localtime(batch.imported_at).strftime("%d.%m.%Y %H:%M")
    who = batch.imported_by.get_username() if batch.imported_by else "из командной строки"
    return (f"Этот файл уже загружен {when} ({who}), загрузка №{batch.pk} "
            f"«{batch.original_name}»; ничего не изменено.")
