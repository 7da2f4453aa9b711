from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "opora.web.programmes"
    label = "programmes"
    verbose_name = "Программы школ и дорожные карты"
    default_auto_field = "django.db.models.BigAutoField"
