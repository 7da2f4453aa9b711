"""The annual cycle: stages with due dates per municipality, in-app notifications, and the
self-assessment of the nine parts of the municipal system."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from opora.web.decisions.terms import CYCLE_STAGES, SYSTEM_PARTS, choices

_USER = settings.AUTH_USER_MODEL


class CycleStage(models.Model):
    municipality = models.ForeignKey("schools.Municipality", on_delete=models.CASCADE,
                                     related_name="+", verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("учебный год (год начала)")
    stage = models.CharField("этап", max_length=32, choices=choices(CYCLE_STAGES))
    starts_on = models.DateField("начало")
    due_on = models.DateField("срок")
    responsible_user = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="+",
                                         verbose_name="ответственный")
    done_on = models.DateField("завершён", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "этап годового цикла"
        verbose_name_plural = "этапы годового цикла"
        ordering = ["municipality", "year", "due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "year", "stage"],
                                               name="decisions_one_stage_per_year")]

    def __str__(self) -> str:
        return self.get_stage_display()

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class Notification(models.Model):
    """A message to one user: shown under the bell until read; ``key`` keeps it from repeating."""

    user = models.ForeignKey(_USER, on_delete=models.CASCADE, related_name="+",
                             verbose_name="кому")
    key = models.CharField("ключ", max_length=200)
    text = models.CharField("текст", max_length=500)
    link = models.CharField("ссылка", max_length=300, blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="decisions_one_notification_per_key")]

    def __str__(self) -> str:
        return self.text


class SelfAssessment(models.Model):
    """The coordinator's own mark of one part of the system in a year: exists / used / analysed."""

    municipality = models.ForeignKey("schools.Municipality", on_delete=models.CASCADE,
                                     related_name="+", verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("учебный год (год начала)")
    part = models.CharField("часть системы", max_length=32, choices=choices(SYSTEM_PARTS))
    exists = models.BooleanField("есть", default=False)
    used = models.BooleanField("используется", default=False)
    analysed = models.BooleanField("анализируется", default=False)
    note = models.TextField("комментарий", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "самооценка части системы"
        verbose_name_plural = "самооценка муниципальной системы"
        constraints = [models.UniqueConstraint(fields=["municipality", "year", "part"],
                                               name="decisions_one_assessment_per_part")]

    def __str__(self) -> str:
        return self.get_part_display()
