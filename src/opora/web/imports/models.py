"""An import batch: one file (or one normalised data set) loaded into the database.

The batch is the audit of bulk-loaded data: the original file with its SHA-256, who loaded it and
when, what was read, which schools were matched, the problems and the hints used. Every loaded row
points at its batch.

Decision (all-or-nothing): the data rows of a batch are written in one transaction together with
the batch record. When anything is rejected, no data row is written; a batch record with status
``failed`` and its problems is still kept (outside that transaction), so the coordinator can see
later what went wrong. A ``succeeded`` batch's checksum is unique per kind and territory (the
municipality, and the school for a school administrator's upload, it was loaded for): importing
the same bytes again for the same territory changes nothing and says when and by whom they were
loaded. The territory is part of the rule because a region publishes one table for all its
municipalities: each coordinator loads the same file, and only their own schools' rows are kept
(issue 10: a global checksum also told one municipality who had loaded the file in another).

The original file is kept once: an upload through the page is stored with its
:class:`UploadEntry` (``uploads/…``), and its batches refer to that stored file; only a file
loaded from the command line is copied (``imports/YYYY/MM/``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce


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
    municipality = models.ForeignKey("schools.Municipality", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+",
                                     verbose_name="для муниципалитета")
    school = models.ForeignKey("schools.School", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name="для школы")
    replaced = models.JSONField(
        "заменено строк прежних загрузок", default=dict, blank=True,
        help_text="таблица → число строк, и из каких прежних загрузок они были")
    replaced_file = models.FileField(
        "заменённые строки (архив)", upload_to="imports/replaced/", blank=True, max_length=300,
        help_text="строки, которые эта загрузка заменила, как они были (JSON в gzip): их можно "
                  "восстановить или показать проверяющему")

    class Meta:
        verbose_name = "загрузка данных"
        verbose_name_plural = "загрузки данных"
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                F("kind"), F("sha256"), Coalesce("municipality", Value(0)),
                Coalesce("school", Value(0)),
                condition=Q(status="succeeded") & ~Q(sha256=""),
                name="batch_unique_succeeded_checksum_per_territory",
                violation_error_message="Этот файл уже загружен."),
        ]

    def __str__(self) -> str:
        return f"№{self.pk} {self.original_name}"


def _upload_path(entry: UploadEntry, filename: str) -> str:
    """Each file in a folder of its own, under its original name: a ВПР form's school, subject
    and grade are read from the file name (``edu053001_РУ_4.xlsx``, :mod:`opora.formats.hints`)."""
    return f"uploads/{entry.job_id}/{entry.position}/{filename}"


class UploadJob(models.Model):
    """One upload through the «Загрузка данных» page: several files, processed in the background.

    ``municipality`` is the coordinator's territory the files are loaded for; ``school`` is set
    when a school administrator uploads their own school's files. The job's state is the state
    of its entries (:class:`UploadEntry`).
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name="кто загрузил")
    created_at = models.DateTimeField("когда", auto_now_add=True)
    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="школа")
    hints = models.JSONField("подсказки", default=dict, blank=True)

    class Meta:
        verbose_name = "загрузка через сайт"
        verbose_name_plural = "загрузки через сайт"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Загрузка №{self.pk}"


class UploadEntry(models.Model):
    """One file of an :class:`UploadJob`: its progress and what its import said."""

    QUEUED, RUNNING, DONE, FAILED, DUPLICATE = "queued", "running", "done", "failed", "duplicate"
    CONFIRM = "confirm"  # would replace earlier data: nothing written until the uploader agrees
    STATUSES = [(QUEUED, "в очереди"), (RUNNING, "обрабатывается"), (DONE, "загружен"),
                (FAILED, "отклонён"), (DUPLICATE, "уже был загружен"),
                (CONFIRM, "ждёт подтверждения замены")]
    FINISHED = (DONE, FAILED, DUPLICATE, CONFIRM)

    job = models.ForeignKey(UploadJob, on_delete=models.CASCADE, related_name="entries",
                            verbose_name="загрузка")
    position = models.PositiveSmallIntegerField("номер файла в загрузке")
    original_name = models.CharField("имя файла", max_length=300)
    file = models.FileField("файл", upload_to=_upload_path, max_length=500)
    status = models.CharField("состояние", max_length=10, choices=STATUSES, default=QUEUED)
    message = models.TextField("итог", blank=True)
    counts = models.JSONField("прочитано строк по таблицам", default=dict, blank=True)
    schools_matched = models.PositiveIntegerField("сопоставлено школ", default=0)
    problems_count = models.PositiveIntegerField("проблем", default=0)
    unmatched = models.JSONField("школы, которых нет в реестре", default=list, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="запись о загрузке")
    updated_at = models.DateTimeField("изменено", auto_now=True)

    class Meta:
        verbose_name = "файл загрузки"
        verbose_name_plural = "файлы загрузки"
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="upload_entry_position_unique"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED
