"""The background tasks' database (``django-tasks-db``) under a Russian name, with a Russian admin.

The package names its app «Tasks Database Backend» and its columns in English (issue 13: the
administration pages said «TASKS DATABASE BACKEND / Task Results»). Its model's and fields'
names go through Django's translations (``src/opora/web/locale/ru``); the app's name and the
admin's columns are not translatable, so the app is installed under this config and its admin is
replaced by :class:`TaskResultAdmin` (read only, as the package's).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django_tasks_db.apps import TasksAppConfig

#: A task function's dotted path → what it does, as the admin lists it.
TASK_NAMES = {
    "opora.web.imports.tasks.process_upload": "обработка загруженных файлов",
    "opora.web.imports.tasks.rerun_entry": "повторная обработка файла",
    "opora.web.analysis.tasks.execute_analysis_run": "расчёт",
    "opora.web.card.tasks.warm_run_cards_task": "подготовка карточек школ после расчёта",
}


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = "Фоновые задачи"

    def ready(self) -> None:
        super().ready()
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
        admin.site.register(DBTaskResult, TaskResultAdmin)


class TaskResultAdmin(admin.ModelAdmin):
    """What ran in the background, when and how it ended; nothing can be changed here."""

    list_display = ("task_title", "status", "enqueued_at", "started_at", "finished_at")
    list_filter = ("status",)
    ordering = ("-enqueued_at",)
    fields = readonly_fields = ("task_title", "status", "enqueued_at", "started_at",
                                "finished_at", "error_text")

    @admin.display(description="задача")
    def task_title(self, result: Any) -> str:
        return TASK_NAMES.get(result.task_path, result.task_path.rsplit(".", 1)[-1])

    @admin.display(description="ошибка")
    def error_text(self, result: Any) -> str:
        return result.traceback or "—"

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
