"""Admin of the official lists and re-check results: read only, they come from imports."""

from django.contrib import admin
from django.http import HttpRequest

from opora.web.lists.models import OfficialListEntry, RecheckResult


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OfficialListEntry)
class OfficialListEntryAdmin(_ReadOnly):
    list_display = ("year", "list_kind", "school", "school_name", "fis_oko_login", "source")
    list_filter = ("list_kind", "year")
    search_fields = ("school_name", "fis_oko_login", "school__short_name")


@admin.register(RecheckResult)
class RecheckResultAdmin(_ReadOnly):
    list_display = ("year", "procedure", "subject", "grade", "school", "works_rechecked",
                    "works_changed", "mean_change")
    list_filter = ("year", "procedure")
