"""The event log's imports and the personal calendar feeds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class EventImport(models.Model):
    """One uploaded event log (XLSX or CSV from ``opora template events``): all or nothing. A
    refused file keeps its problems (sheet, row, column, why) for the problems table; the same
    bytes loaded again for the same municipality change nothing."""

    SUCCEEDED, FAILED = "succeeded", "failed"
    STATUS_CHOICES = [(SUCCEEDED, "загружен"), (FAILED, "отклонён")]

    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто загрузил")
    imported_at = models.DateTimeField("загружен", auto_now_add=True)
    original_name = models.CharField("имя файла", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    file = models.FileField("файл", upload_to="support/imports/%Y/%m/", blank=True)
    status = models.CharField("результат", max_length=16, choices=STATUS_CHOICES)
    counts = models.JSONField("числа", default=dict, blank=True)
    problems = models.JSONField("проблемы", default=list, blank=True)

    class Meta:
        verbose_name = "загрузка журнала мероприятий"
        verbose_name_plural = "загрузки журнала мероприятий"
        ordering = ["-imported_at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["municipality", "sha256"], condition=Q(status="succeeded"),
            name="event_import_once", violation_error_message="Этот файл уже загружен.")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class CalendarFeed(models.Model):
    """A person's iCalendar feed behind a secret address: only the token's SHA-256 is kept, the
    address is shown once. A new address revokes the old one; revoking leaves none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name="пользователь")
    token_hash = models.CharField("отпечаток", max_length=64, unique=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    revoked_at = models.DateTimeField("отозван", null=True, blank=True)
    last_used_at = models.DateTimeField("последний запрос", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = "календарь (подписка)"
        verbose_name_plural = "календари (подписки)"
        constraints = [models.UniqueConstraint(fields=["user"],
                                               condition=Q(revoked_at__isnull=True),
                                               name="feed_one_current_per_user")]

    def __str__(self) -> str:
        return f"календарь {self.user}"
