"""``opora manage send_programme_reminders``: e-mail reminders of campaign deadlines (daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from opora.web.programmes.reminders import email_configured, send_reminder_emails


class Command(BaseCommand):
    help = "Отправить руководителям школ напоминания о сроках загрузки документов"

    def handle(self, *args: Any, **options: Any) -> None:
        if not email_configured():
            self.stdout.write("Почта не настроена (EMAIL_HOST): напоминания видны только на "
                              "страницах Опоры.")
            return
        sent = send_reminder_emails(today=timezone.localdate())
        self.stdout.write(f"Отправлено напоминаний: {sent}.")
