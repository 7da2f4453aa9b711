"""Admin of import batches: the audit of bulk-loaded data (read only)."""

from django.contrib import admin

from opora.web.imports.models import ImportBatch, UploadEntry, UploadJob


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("pk", "original_name", "format", "status", "imported_by", "imported_at",
                    "schools_matched",)
    list_filter = ("status", "kind", "format",)
    readonly_fields = tuple(f.name for f in ImportBatch._meta.fields)


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
    readonly_fields = ("created_by", "created_at", "municipality", "school", "hints")
    inlines = (UploadEntryInline,)

    def has_add_permission(self, request: object) -> bool:
        return False
