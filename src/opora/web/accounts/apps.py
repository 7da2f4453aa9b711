from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opora.web.accounts"
    label = "accounts"
    verbose_name = "Пользователи и роли"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from opora.web.accounts.passwords import remember_at_sign_in

        user_logged_in.connect(remember_at_sign_in, dispatch_uid="opora-password-change-required")
