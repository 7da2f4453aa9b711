from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opora.web.accounts"
    label = "accounts"
    verbose_name = "Пользователи и роли"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from opora.web.accounts.assignment_cache import forget_assignments
        from opora.web.accounts.models import RoleAssignment
        from opora.web.accounts.passwords import remember_at_sign_in

        user_logged_in.connect(remember_at_sign_in, dispatch_uid="opora-password-change-required")
        for signal in (post_save, post_delete):  # a changed role works on the next request
            signal.connect(forget_assignments, sender=RoleAssignment,
                           dispatch_uid=f"opora-forget-assignments-{signal is post_save}")
