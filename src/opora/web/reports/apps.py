from django.apps import AppConfig, apps


class ReportsConfig(AppConfig):
    name = "opora.web.reports"
    label = "reports"
    verbose_name = "Отчёты и публичная страница"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The note's sections that the decisions and monitoring apps' records fill
        (``providers.py``)."""
        if apps.is_installed("opora.web.decisions"):
            from opora.web.reports import providers, sections

            sections.register("recommendations", providers.recommendations)
            sections.register("decisions", providers.decisions)
        if apps.is_installed("opora.web.monitoring"):
            from opora.web.reports import providers, sections

            sections.register("indicators", providers.indicators)
            sections.register("effectiveness", providers.effectiveness)
