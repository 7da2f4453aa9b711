"""An import batch: one file (or one normalised data set) loaded into the database.

The batch is the audit of bulk-loaded data: the original file with its SHA-256, who loaded it and
when, what was read, which schools were matched, the problems and the hints used. Every loaded row
points at its batch.

Decision (all-or-nothing): the data rows of a batch are written in one transaction together with
the batch record. When anything is rejected, no data row is written; a batch record with status
``failed`` and its problems is still kept (outside that transaction), so the coordinator can see
later what went wrong. A ``succeeded`` batch's checksum is unique per kind: importing the same
bytes again changes nothing and says when and by whom they were loaded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportBatch(models.Model):
    KIND_FILE = "file"
    KIND_DATASET = "dataset"
    KINDS = [(KIND_FILE, "файл"), (KIND_DATASET, "набор нормализованных таблиц")]
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    STATUSES = [(SUCCEEDED, "загружено"), (FAILED, "отклонено")]

    kind = models.CharField("вид загрузки", max_length=10, choices=KINDS, default=KIND_FILE)
    format = models.CharField("формат", max_length=32, blank=True)
    original_name = models.CharField("имя файла", max_length=300, blank=True)
    file = models.FileField("исходный файл", upload_to="imports/%Y/%m/", blank=True)
    sha256 = models.CharField("контрольная сумма SHA-256", max_length=64, blank=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто загрузил")
    imported_at = models.DateTimeField("когда", auto_now_add=True)
    status = models.CharField("состояние", max_length=10, choices=STATUSES)
    counts = models.JSONField("прочитано строк по таблицам", default=dict, blank=True)
    schools_matched = models.PositiveIntegerField("сопоставлено школ", default=0)
    problems = models.JSONField("проблемы", default=list, blank=True)
    hints = models.JSONField("подсказки", default=dict, blank=True)

    class Meta:
        verbose_name = "загрузка данных"
        verbose_name_plural = "загрузки данных"
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "sha256"], condition=Q(status="succeeded") & ~Q(sha256=""),
                name="batch_unique_succeeded_checksum",
                violation_error_message="Этот файл уже загружен."),
        ]

    def __str__(self) -> str:
        return f"№{self.pk} {self.original_name}"
