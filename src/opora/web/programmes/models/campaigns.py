"""Document campaigns: the coordinator asks schools for their development documents by a
deadline; a school uploads files, every version kept; each document goes through review.

A campaign names its **slots**: a document kind of the glossary (``DOCUMENT_KINDS``), or an
anti-risk programme for one factor, written ``antirisk_programme:<factor code>``. The status of a
school's slot is stored once a document exists (загружен → на экспертизе → на доработке or
принят); «не загружен» and «просрочен» are the absence of a document before and after the
deadline (:func:`slot_status`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from opora.glossary import DOCUMENT_KINDS, DOCUMENT_STATUSES, risk_factor_name
from opora.numbers import number

ANTIRISK = "antirisk_programme"
UPLOADED, UNDER_REVIEW, NEEDS_REVISION, ACCEPTED = (
    "uploaded", "under_review", "needs_revision", "accepted")
NOT_UPLOADED, OVERDUE = "not_uploaded", "overdue"
STORED_STATUSES = (UPLOADED, UNDER_REVIEW, NEEDS_REVISION, ACCEPTED)
STATUS_CHOICES = [(t.code, t.name_ru) for t in DOCUMENT_STATUSES if t.code in STORED_STATUSES]
STATUS_NAMES = {t.code: t.name_ru for t in DOCUMENT_STATUSES}
KIND_NAMES = {k.code: k.name_ru for k in DOCUMENT_KINDS}


def slot_kind(slot: str) -> tuple[str, str]:
    """(document kind, risk factor code or «») of a campaign's slot."""
    kind, _, factor = slot.partition(":")
    return kind, factor


def slot_label(slot: str) -> str:
    """«Концепция развития»; «Антирисковая программа: Низкая учебная мотивация обучающихся»."""
    kind, factor = slot_kind(slot)
    name = KIND_NAMES.get(kind, kind)
    return f"{name}: {risk_factor_name(factor)}" if factor else name


def slot_status(document: ProgramDocument | None, deadline: dt.date, today: dt.date) -> str:
    """The status shown for a school's slot: the document's, or «не загружен» / «просрочен»."""
    if document is None or not document.has_version:
        return OVERDUE if today > deadline else NOT_UPLOADED
    return document.status


class DocumentCampaign(models.Model):
    """«Концептуальные документы 2026»: which documents, from which schools, by when."""

    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    title = models.CharField("название", max_length=200)
    year = models.PositiveSmallIntegerField("год", help_text="год программы: по его профилю "
                                                            "видны факторы риска школ")
    slots = models.JSONField("требуемые документы", default=list)
    deadline = models.DateField("срок загрузки")
    remind_days = models.PositiveSmallIntegerField("напомнить за, дней", default=7)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто открыл")
    created_at = models.DateTimeField("открыта", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "кампания по документам"
        verbose_name_plural = "кампании по документам"
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def slot_labels(self) -> list[tuple[str, str]]:
        return [(slot, slot_label(slot)) for slot in self.slots]


class CampaignSchool(models.Model):
    campaign = models.ForeignKey(DocumentCampaign, on_delete=models.CASCADE,
                                 related_name="campaign_schools", verbose_name="кампания")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "школа кампании"
        verbose_name_plural = "школы кампаний"
        constraints = [models.UniqueConstraint(fields=["campaign", "school"],
                                               name="campaign_school_once")]

    def __str__(self) -> str:
        return str(self.school)


class ProgramDocument(models.Model):
    """A school's document for one slot of a campaign; its files are :class:`DocumentVersion`."""

    campaign = models.ForeignKey(DocumentCampaign, on_delete=models.PROTECT,
                                 related_name="documents", verbose_name="кампания")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="programme_documents", verbose_name="школа")
    slot = models.CharField("вид документа", max_length=80)
    status = models.CharField("состояние", max_length=16, choices=STATUS_CHOICES,
                              default=UPLOADED)
    first_uploaded_at = models.DateTimeField("впервые загружен", null=True, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "документ школы"
        verbose_name_plural = "документы школ"
        ordering = ["campaign", "school", "slot"]
        constraints = [models.UniqueConstraint(fields=["campaign", "school", "slot"],
                                               name="document_once_a_slot")]
        indexes = [models.Index(fields=["school", "campaign"], name="document_by_school")]

    def __str__(self) -> str:
        return f"{self.school}: {self.label}"

    @property
    def label(self) -> str:
        return slot_label(self.slot)

    @property
    def has_version(self) -> bool:
        return self.first_uploaded_at is not None

    def days_late(self, deadline: dt.date) -> int:
        """Days after the deadline the first version came (0: on time or not yet)."""
        if self.first_uploaded_at is None:
            return 0
        from django.utils import timezone

        return max(0, (timezone.localdate(self.first_uploaded_at) - deadline).days)


class DocumentVersion(models.Model):
    """One uploaded file of a document; versions are never replaced or deleted. Served only
    through the document's page to those who see the school or review the document."""

    document = models.ForeignKey(ProgramDocument, on_delete=models.PROTECT,
                                 related_name="versions", verbose_name="документ")
    number = models.PositiveSmallIntegerField("версия")
    file = models.FileField("файл", upload_to="programmes/%Y/%m/")
    original_name = models.CharField("имя файла", max_length=255)
    file_type = models.CharField("тип", max_length=8)
    size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField("SHA-256", max_length=64)
    comment = models.CharField("комментарий", max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто загрузил")
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "версия документа"
        verbose_name_plural = "версии документов"
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"],
                                               name="document_version_once")]

    def __str__(self) -> str:
        return f"{self.original_name} (версия {self.number})"

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            return f"{number(self.size / 1024 / 1024, 1)} МБ"
        return f"{number(self.size / 1024, 1)} КБ"


class ReminderSent(models.Model):
    """An e-mail reminder sent to a school's administrator about a campaign (once each)."""

    campaign = models.ForeignKey(DocumentCampaign, on_delete=models.CASCADE, related_name="+",
                                 verbose_name="кампания")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+",
                               verbose_name="школа")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name="кому")
    sent_at = models.DateTimeField("отправлено", auto_now_add=True)

    class Meta:
        verbose_name = "напоминание о сроке"
        verbose_name_plural = "напоминания о сроке"
        constraints = [models.UniqueConstraint(fields=["campaign", "school", "user"],
                                               name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.campaign}: {self.school}"
