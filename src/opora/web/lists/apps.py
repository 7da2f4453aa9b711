from django.apps import AppConfig


class ListsConfig(AppConfig):
    name = "opora.web.lists"
    label = "lists"
    verbose_name = "Официальные списки и перепроверка"
