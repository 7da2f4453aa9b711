"""Admin of role assignments (audited), sign-in waits (to lift one) and pending password changes."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from opora.web.accounts import throttle
from opora.web.accounts.models import PasswordChangeRequired, RoleAssignment, SignInFailures


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "region", "municipality", "school",)
    list_filter = ("role",)
    search_fields = ("user__username", "school__short_name", "municipality__name",)
    autocomplete_fields = ("school",)


@admin.register(SignInFailures)
class SignInFailuresAdmin(admin.ModelAdmin):
    """Failed sign-ins per account or address (hashed); deleting a row lifts its wait."""

    list_display = ("key", "failures", "last_failure", "wait_until")
    readonly_fields = ("key", "failures", "last_failure", "wait_until")
    ordering = ("-last_failure",)
    search_fields = ("key",)
    search_help_text = "Имя пользователя или адрес: найдётся строка с их хешем."

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[SignInFailures],
                           search_term: str) -> tuple[QuerySet[SignInFailures], bool]:
        if not search_term.strip():
            return queryset, False
        return queryset.filter(key__in=throttle.keys_for(search_term)), False


@admin.register(PasswordChangeRequired)
class PasswordChangeRequiredAdmin(admin.ModelAdmin):
    list_display = ("user", "since")
    search_fields = ("user__username",)
