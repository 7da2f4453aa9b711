from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API under /api/v1/ (django-ninja) and the personal API tokens it accepts."""

    name = "opora.web.api"
    label = "api"
    verbose_name = "API"
