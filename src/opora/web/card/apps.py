from django.apps import AppConfig


class CardConfig(AppConfig):
    """The school card and the school list: the top floor that reads every other app."""

    name = "opora.web.card"
    label = "card"
    verbose_name = "Карточка школы"

    def ready(self) -> None:
        from opora.web.card import tasks

        tasks.connect()
