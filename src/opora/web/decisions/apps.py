from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "opora.web.decisions"
    label = "decisions"
    verbose_name = "Рекомендации, решения и годовой цикл"
    default_auto_field = "django.db.models.BigAutoField"
