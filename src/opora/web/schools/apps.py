from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "opora.web.schools"
    label = "schools"
    verbose_name = "Реестр школ"
