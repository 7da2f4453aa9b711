"""Admin of import batches: the audit of bulk-loaded data (read only).

The batch stores its counts, hints and problems as JSON with table codes as keys; the admin
shows them in words (issue 13: «aggregates: 4273, schools: 394» is not for people).
"""

from typing import Any

from django.contrib import admin

from opora.catalog import PROCEDURES, SUBJECTS
from opora.formats.registry import reader_title
from opora.web.imports.models import ImportBatch, UploadEntry, UploadJob
from opora.web.imports.outcome import TABLE_NAMES_RU

_HINT_NAMES = {"procedure": "процедура", "subject": "предмет", "grade": "класс", "year": "год",
               "school_key": "школа (код)"}
_SHOWN_AS_WORDS = ("format", "counts", "hints", "problems")


def _counts(counts: dict[str, Any]) -> str:
    return ", ".join(f"{TABLE_NAMES_RU.get(name, name)} — {n}" for name, n in counts.items()
                     if not isinstance(n, dict)) or "—"


def _hint(name: str, value: Any) -> str:
    if name == "procedure" and value in PROCEDURES:
        value = PROCEDURES[value].name_ru
    elif name == "subject" and value in SUBJECTS:
        value = SUBJECTS[value].name_ru
    return f"{_HINT_NAMES.get(name, name)}: {value}"


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("pk", "original_name", "format_title", "status", "imported_by", "imported_at",
                    "schools_matched",)
    list_filter = ("status", "kind",)
    readonly_fields = (*(f.name for f in ImportBatch._meta.fields
                         if f.name not in _SHOWN_AS_WORDS),
                       "format_title", "read_counts", "written_counts", "hints_text",
                       "problems_text")
    exclude = _SHOWN_AS_WORDS

    @admin.display(description="вид файла")
    def format_title(self, batch: ImportBatch) -> str:
        return reader_title(batch.format) if batch.format and batch.format != "tables" else (
            "набор нормализованных таблиц" if batch.format else "—")

    @admin.display(description="прочитано строк")
    def read_counts(self, batch: ImportBatch) -> str:
        return _counts(batch.counts or {})

    @admin.display(description="записано строк")
    def written_counts(self, batch: ImportBatch) -> str:
        return _counts((batch.counts or {}).get("written") or {})

    @admin.display(description="подсказки")
    def hints_text(self, batch: ImportBatch) -> str:
        return "; ".join(_hint(k, v) for k, v in (batch.hints or {}).items()
                         if v not in (None, "")) or "—"

    @admin.display(description="проблемы")
    def problems_text(self, batch: ImportBatch) -> str:
        rows = batch.problems or []
        return "\n".join(f"{p.get('file', '')} {p.get('sheet') or ''} "
                         f"{p.get('row') or ''}: {p.get('message', '')}".strip()
                         for p in rows[:50]) or "—"


class UploadEntryInline(admin.TabularInline):
    model = UploadEntry
    extra = 0
    can_delete = False
    fields = ("position", "original_name", "status", "schools_matched", "problems_count", "batch")
    readonly_fields = fields


@admin.register(UploadJob)
class UploadJobAdmin(admin.ModelAdmin):
    """Uploads through the import page (read only: the page is where they are made)."""

    list_display = ("pk", "created_at", "created_by", "municipality", "school")
    list_filter = ("municipality",)
    readonly_fields = ("created_by", "created_at", "municipality", "school", "hints_text")
    exclude = ("hints",)
    inlines = (UploadEntryInline,)

    @admin.display(description="подсказки")
    def hints_text(self, job: UploadJob) -> str:
        return "; ".join(_hint(k, v) for k, v in (job.hints or {}).items()
                         if v not in (None, "")) or "—"

    def has_add_permission(self, request: object) -> bool:
        return False
