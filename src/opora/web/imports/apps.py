from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "opora.web.imports"
    label = "imports"
    verbose_name = "Загрузки данных"
