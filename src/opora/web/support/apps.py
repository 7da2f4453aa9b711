from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "opora.web.support"
    label = "support"
    verbose_name = "Сопровождение школ"
    default_auto_field = "django.db.models.BigAutoField"
