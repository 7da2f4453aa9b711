"""Meetings of the working group with «слушали / выступили / решили» (seed 001's protocol), the
decisions with a responsible person, a deadline and documents, and the municipal plan of
measures in seed 002's form (Мероприятие / Сроки / Ответственный / Результат)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from opora.web.decisions.terms import (
    DECISION_STATUSES,
    MEASURE_STATUSES,
    MEETING_KINDS,
    OPEN_DECISION_STATUSES,
    choices,
)

_USER = settings.AUTH_USER_MODEL


class Meeting(models.Model):
    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    date = models.DateField("дата")
    kind = models.CharField("вид", max_length=32, choices=choices(MEETING_KINDS),
                            default="working_group")
    number = models.CharField("номер протокола", max_length=50, blank=True)
    agenda = models.TextField("повестка")
    attendees = models.TextField("присутствовали", blank=True)
    created_by = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="кто записал")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "заседание"
        verbose_name_plural = "заседания"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"


class MeetingItem(models.Model):
    """One question of the agenda: who was heard, who spoke, what was decided."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items",
                                verbose_name="заседание")
    position = models.PositiveSmallIntegerField("№ вопроса")
    heard = models.TextField("слушали")
    spoke = models.TextField("выступили", blank=True)
    decided = models.TextField("решили")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "вопрос заседания"
        verbose_name_plural = "вопросы заседаний"
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"Вопрос {self.position}"


class Decision(models.Model):
    """One decision of an item, to be carried out by a responsible person by a deadline."""

    item = models.ForeignKey(MeetingItem, on_delete=models.CASCADE, related_name="decisions",
                             verbose_name="вопрос")
    text = models.TextField("решение")
    responsible = models.CharField("ответственный", max_length=200)
    responsible_user = models.ForeignKey(_USER, on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="+",
                                         verbose_name="ответственный пользователь")
    deadline = models.DateField("срок")
    status = models.CharField("состояние", max_length=16, choices=choices(DECISION_STATUSES),
                              default="planned")
    documents = models.CharField("документы", max_length=300, blank=True,
                                 help_text="номера и даты приказов, письма")
    note = models.TextField("отметка об исполнении", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "управленческое решение"
        verbose_name_plural = "управленческие решения"
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"Решение № {self.pk}"

    @property
    def overdue(self) -> bool:
        return self.status in OPEN_DECISION_STATUSES and self.deadline < timezone.localdate()


class PlanMeasure(models.Model):
    """A row of the municipal plan of measures for a year (seed 002)."""

    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    year = models.PositiveSmallIntegerField("учебный год (год начала)")
    section = models.CharField("раздел", max_length=200, blank=True,
                               help_text="например, «Диагностико-аналитическое обеспечение»")
    position = models.PositiveSmallIntegerField("№ п/п", default=1)
    measure = models.TextField("мероприятие")
    timing = models.CharField("сроки", max_length=100, help_text="как в плане: «октябрь–апрель»")
    due_on = models.DateField("крайний срок", null=True, blank=True)
    responsible = models.CharField("ответственный", max_length=300)
    result = models.TextField("результат")
    status = models.CharField("состояние", max_length=16, choices=choices(MEASURE_STATUSES),
                              default="planned")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "мероприятие муниципального плана"
        verbose_name_plural = "муниципальный план мероприятий"
        ordering = ["municipality", "year", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.measure[:60]}"

    @property
    def overdue(self) -> bool:
        return self.status == "planned" and self.due_on is not None and \
            self.due_on < timezone.localdate()
