"""``opora manage create_token USERNAME [--name N] [--days D]``: a personal API token.

Prints the key on the last line (for scripts: ``KEY=$(opora manage create_token u | tail -1)``);
it is stored hashed and cannot be shown again.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from opora.web.api.tokens import MAX_DAYS, token_create


class Command(BaseCommand):
    help = "Создать личный ключ API пользователя (ключ печатается последней строкой)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="командная строка", help="для чего ключ")
        parser.add_argument("--days", type=int, default=90,
                            help=f"срок действия, дней (1–{MAX_DAYS}, по умолчанию 90)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"пользователь «{options['username']}» не найден")
        if not user.is_active:
            raise CommandError(f"пользователь «{options['username']}» заблокирован")
        try:
            token, raw = token_create(user=user, name=options["name"], days=options["days"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Ключ «{token.name}» для {user.get_username()} действует до "
                          f"{token.expires_at:%d.%m.%Y}. Сохраните его: показать снова нельзя.")
        self.stdout.write(raw)
