from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opora.web.accounts"
    label = "accounts"
    verbose_name = "Пользователи и роли"
