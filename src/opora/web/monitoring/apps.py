from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "opora.web.monitoring"
    label = "monitoring"
    verbose_name = "Мониторинг показателей"
    default_auto_field = "django.db.models.BigAutoField"

