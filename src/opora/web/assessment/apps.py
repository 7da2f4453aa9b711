from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "opora.web.assessment"
    label = "assessment"
