"""``opora manage decisions_remind``: notify the people responsible of stages of the year,
decisions and recommendations due within two weeks or overdue (once per item; run it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opora.web.decisions.cycle import remind


class Command(BaseCommand):
    help = "Разослать напоминания о сроках этапов года, решений и рекомендаций."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind()
        self.stdout.write(f"Напоминаний отправлено: {sent}.")
