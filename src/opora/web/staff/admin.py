"""Admin of the staff records (audited: every change keeps who, when and what)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.web.staff.models import Teacher


@admin.register(Teacher)
class TeacherAdmin(SimpleHistoryAdmin):
    list_display = ("name", "school", "position", "category", "active_to")
    list_filter = ("position", "category", "school__municipality")
    search_fields = ("name", "school__short_name")
    autocomplete_fields = ("school",)
    readonly_fields = ("batch",)
