"""Admin of context passports (audited: every change keeps who, when and what)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.web.context.models import ContextPassport


@admin.register(ContextPassport)
class ContextPassportAdmin(SimpleHistoryAdmin):
    list_display = ("school", "year", "students", "share_low_income", "share_ovz",)
    list_filter = ("year", "school__municipality",)
    search_fields = ("school__short_name",)
    autocomplete_fields = ("school",)
    readonly_fields = ("batch",)
