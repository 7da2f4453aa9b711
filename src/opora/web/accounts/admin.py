"""Admin of role assignments (audited)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.web.accounts.models import RoleAssignment


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "region", "municipality", "school",)
    list_filter = ("role",)
    search_fields = ("user__username", "school__short_name", "municipality__name",)
    autocomplete_fields = ("school",)
