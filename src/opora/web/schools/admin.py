"""Admin of the registry; edits are audited (simple-history shows who changed what)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.web.schools.models import Municipality, Region, School, SchoolAlias


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("name", "region",)
    list_filter = ("region",)
    search_fields = ("name",)


class SchoolAliasInline(admin.TabularInline):
    model = SchoolAlias
    extra = 0
    fields = ("name", "municipality_name", "source",)


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("short_name", "number", "kind", "municipality", "microdistrict", "fis_oko_login",)
    list_filter = ("municipality", "kind",)
    search_fields = ("short_name", "full_name", "key", "fis_oko_login",)
    inlines = (SchoolAliasInline,)


@admin.register(SchoolAlias)
class SchoolAliasAdmin(SimpleHistoryAdmin):
    list_display = ("name", "municipality_name", "school",)
    search_fields = ("name", "school__short_name",)
    autocomplete_fields = ("school",)
