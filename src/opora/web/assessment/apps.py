from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "opora.web.assessment"
    label = "assessment"
    verbose_name = "Результаты оценочных процедур"
