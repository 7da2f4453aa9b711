"""Admin of import batches: the audit of bulk-loaded data (read only)."""

from django.contrib import admin

from opora.web.imports.models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("pk", "original_name", "format", "status", "imported_by", "imported_at",
                    "schools_matched",)
    list_filter = ("status", "kind", "format",)
    readonly_fields = tuple(f.name for f in ImportBatch._meta.fields)
