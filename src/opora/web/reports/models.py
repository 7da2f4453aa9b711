"""A coordinator's own version of a report template, and the documents published on the public
page (issue 17). Files are kept in the database (a template is ~40 KB, a PDF ~100 KB): saved with
their record in one transaction, backed up with it, nothing to clean on disk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from opora.glossary import REPORT_KINDS
from opora.web.schools.models import Municipality

KIND_NOTE, KIND_PROTOCOL, KIND_SCHOOL = "note", "protocol", "school"
KIND_INDICATORS, KIND_REVIEW = "indicators", "review"
_NAMES = {t.code: t.name_ru[:1].upper() + t.name_ru[1:] for t in REPORT_KINDS}
KIND_CHOICES = [(kind, _NAMES[kind]) for kind in (KIND_NOTE, KIND_PROTOCOL, KIND_SCHOOL,
                                                  KIND_INDICATORS, KIND_REVIEW)]


class ReportTemplate(models.Model):
    """A municipality's uploaded DOCX template of one kind; none: the default shipped one."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+",
                                     verbose_name="муниципалитет")
    kind = models.CharField("вид отчёта", max_length=16, choices=KIND_CHOICES)
    name = models.CharField("имя файла", max_length=200)
    content = models.BinaryField("файл DOCX")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, related_name="+", verbose_name="загрузил")
    uploaded_at = models.DateTimeField("загружен", default=timezone.now)

    class Meta:
        verbose_name = "шаблон отчёта"
        verbose_name_plural = "шаблоны отчётов"
        constraints = [models.UniqueConstraint(fields=["municipality", "kind"],
                                               name="reports_one_template_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"


class PublishedDocument(models.Model):
    """A report the coordinator chose to publish on the public page, as built at that moment
    (PDF and DOCX), shown from ``visible_from`` (the embargo date) until withdrawn."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="муниципалитет")
    kind = models.CharField("вид отчёта", max_length=16, choices=KIND_CHOICES)
    year = models.PositiveSmallIntegerField("год")
    title = models.CharField("название", max_length=300)
    pdf = models.BinaryField("PDF")
    docx = models.BinaryField("DOCX")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, related_name="+", verbose_name="опубликовал")
    published_at = models.DateTimeField("опубликован", default=timezone.now)
    visible_from = models.DateField("показывать с", default=timezone.localdate)
    withdrawn_at = models.DateTimeField("снят с публикации", null=True, blank=True)

    class Meta:
        verbose_name = "опубликованный документ"
        verbose_name_plural = "опубликованные документы"

    def __str__(self) -> str:
        return self.title

    @property
    def public(self) -> bool:
        return self.withdrawn_at is None and self.visible_from <= timezone.localdate()


QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
JOB_STATUSES = [(QUEUED, "в очереди"), (RUNNING, "строится"), (DONE, "готов"),
                (FAILED, "не построен")]


class ReportJob(models.Model):
    """A report built in the background (a PDF takes longer than a page may wait): who asked,
    what, where it stands, and the file once built. Seen only by the one who asked."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="+", verbose_name="заказал")
    created_at = models.DateTimeField("заказан", default=timezone.now)
    finished_at = models.DateTimeField("построен", null=True, blank=True)
    kind = models.CharField("вид отчёта", max_length=16, choices=KIND_CHOICES)
    fmt = models.CharField("формат", max_length=8)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True,
                                     blank=True, related_name="+", verbose_name="муниципалитет")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name="школа")
    year = models.PositiveSmallIntegerField("год", null=True, blank=True)
    review = models.PositiveIntegerField("экспертный лист", null=True, blank=True,
                                         help_text="номер листа (ReviewAssignment) для review")
    meeting = models.JSONField("данные заседания", default=dict, blank=True)
    publish_from = models.DateField("опубликовать с", null=True, blank=True,
                                    help_text="задано — справка публикуется, когда построена")
    status = models.CharField("состояние", max_length=16, choices=JOB_STATUSES, default=QUEUED)
    message = models.TextField("сообщение", blank=True)
    filename = models.CharField("имя файла", max_length=200, blank=True)
    content = models.BinaryField("файл", null=True, blank=True)

    class Meta:
        verbose_name = "построение отчёта"
        verbose_name_plural = "построения отчётов"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.fmt}): {self.get_status_display()}"
