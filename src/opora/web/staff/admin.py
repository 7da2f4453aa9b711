"""Admin of the staff records (audited: every change keeps who, when and what)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.web.staff.models import Course, DevelopmentRoute, StaffImport, Teacher, TeacherDiagnostic


@admin.register(Teacher)
class TeacherAdmin(SimpleHistoryAdmin):
    list_display = ("name", "school", "position", "category", "active_to")
    list_filter = ("position", "category", "school__municipality")
    search_fields = ("name", "school__short_name")
    autocomplete_fields = ("school",)
    readonly_fields = ("batch",)


@admin.register(TeacherDiagnostic)
class TeacherDiagnosticAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "date", "instrument")
    list_filter = ("instrument", "teacher__school__municipality")
    search_fields = ("teacher__name",)
    raw_id_fields = ("teacher",)
    readonly_fields = ("batch",)


@admin.register(DevelopmentRoute)
class DevelopmentRouteAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "title", "start", "end")
    search_fields = ("teacher__name", "title")
    raw_id_fields = ("teacher", "diagnostic")


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ("teacher", "title", "hours", "start", "end", "completed")
    list_filter = ("completed",)
    search_fields = ("teacher__name", "title", "provider")
    raw_id_fields = ("teacher",)
    readonly_fields = ("batch",)


@admin.register(StaffImport)
class StaffImportAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind", "status", "imported_by", "imported_at")
    list_filter = ("kind", "status")
    readonly_fields = tuple(f.name for f in StaffImport._meta.fields)
