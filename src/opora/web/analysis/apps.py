from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "opora.web.analysis"
    label = "analysis"
    verbose_name = "Анализ"
