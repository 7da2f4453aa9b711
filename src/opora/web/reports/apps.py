from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "opora.web.reports"
    label = "reports"
    verbose_name = "Отчёты и публичная страница"
    default_auto_field = "django.db.models.BigAutoField"
