"""A targeted recommendation: suggested by a rule with the numbers that triggered it, accepted by
the coordinator with a deadline and a responsible person, closed with follow-up evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from opora.web.decisions.terms import (
    ADDRESSEES,
    RECOMMENDATION_STATUSES,
    SCHOOL_ADDRESSEES,
    choices,
)


class Recommendation(models.Model):
    """One recommendation to one addressee (seed 004), about one school or the municipality.

    ``key`` (rule, school, subject, year) keeps suggestions idempotent: running the rules again
    updates an untouched suggestion's numbers and never duplicates one the coordinator has seen.
    """

    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name="школа")
    year = models.PositiveSmallIntegerField("год")
    addressee = models.CharField("кому", max_length=32, choices=choices(ADDRESSEES))
    rule = models.CharField("правило", max_length=32, blank=True,
                            help_text="пусто — рекомендация записана вручную")
    key = models.CharField("ключ предложения", max_length=200, blank=True)
    subject = models.CharField("предмет", max_length=32, blank=True)
    text = models.TextField("рекомендация")
    basis = models.TextField("основание (числа)", blank=True)
    numbers = models.JSONField("числа", default=dict, blank=True)
    status = models.CharField("состояние", max_length=16, default="suggested",
                              choices=choices(RECOMMENDATION_STATUSES))
    deadline = models.DateField("срок", null=True, blank=True)
    responsible = models.CharField("ответственный", max_length=200, blank=True)
    responsible_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="+",
                                         verbose_name="ответственный пользователь")
    suggested_at = models.DateTimeField("предложена", default=timezone.now)
    decided_at = models.DateTimeField("принята или отклонена", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто принял")
    closed_at = models.DateTimeField("отмечена", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name="кто отметил")
    outcome = models.TextField("что сделано или причина", blank=True)
    evidence_file = models.FileField("подтверждающий файл", upload_to="decisions/%Y/",
                                     blank=True)
    evidence_name = models.CharField("имя файла", max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "адресная рекомендация"
        verbose_name_plural = "адресные рекомендации"
        ordering = ["status", "deadline", "-suggested_at", "pk"]
        indexes = [models.Index(fields=["municipality", "status"]),
                   models.Index(fields=["school", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], condition=~Q(key=""),
                                    name="decisions_one_suggestion_per_key",
                                    violation_error_message="Такая рекомендация уже есть."),
            models.CheckConstraint(
                condition=Q(status__in=["suggested", "declined"]) | Q(deadline__isnull=False),
                name="decisions_accepted_has_deadline",
                violation_error_message="У принятой рекомендации должен быть срок."),
        ]

    def __str__(self) -> str:
        return f"Рекомендация № {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == "accepted"

    @property
    def overdue(self) -> bool:
        return self.is_open and self.deadline is not None and \
            self.deadline < timezone.localdate()

    @property
    def school_level(self) -> bool:
        """Addressed to the school itself (its students, parents, teachers, administration):
        its administrator sees it and marks it done."""
        return self.school_id is not None and self.addressee in SCHOOL_ADDRESSEES
