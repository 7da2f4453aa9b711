from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.web.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    list_display = ("name", "user", "prefix", "created_at", "expires_at", "last_used_at",
                    "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
    search_fields = ("name", "user__username", "prefix")
