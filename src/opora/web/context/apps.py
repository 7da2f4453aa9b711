from django.apps import AppConfig


class ContextConfig(AppConfig):
    name = "opora.web.context"
    label = "context"
    verbose_name = "Контекстные данные школ"
