"""Typed indicator values (the few that come from outside Опора) and their imports.

A typed value is entered for one indicator of the catalogue marked «вводится вручную», one
school (or municipality) and one year, with the unit enforced: a share is given by its
numerator and denominator (a part not larger than its whole, so never above 100 %), a number of
people is a whole number not below zero, yes/no is 1 or 0. The import of a workbook is all or
nothing; a refused file keeps its problems (file, sheet, row, column, why). Every change is kept
by simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class TypedImport(models.Model):
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
    status = models.CharField("результат", max_length=16, choices=STATUS_CHOICES)
    counts = models.JSONField("числа", default=dict, blank=True)
    problems = models.JSONField("проблемы", default=list, blank=True)

    class Meta:
        verbose_name = "загрузка показателей"
        verbose_name_plural = "загрузки показателей"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class TypedValue(models.Model):
    """One typed value of an indicator for a school and a year."""

    indicator = models.CharField("показатель", max_length=64)
    catalogue_version = models.CharField("версия каталога", max_length=16)
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")
    year = models.PositiveSmallIntegerField("год")
    numerator = models.PositiveIntegerField("числитель (или значение)")
    denominator = models.PositiveIntegerField("знаменатель", null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто ввёл")
    entered_at = models.DateTimeField("введено", auto_now=True)
    imported = models.ForeignKey(TypedImport, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="values", verbose_name="загрузка")
    history = HistoricalRecords(excluded_fields=["entered_at"])

    class Meta:
        verbose_name = "введённое значение показателя"
        verbose_name_plural = "введённые значения показателей"
        ordering = ["school", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "school", "year"],
                                    name="typed_value_once",
                                    violation_error_message="Значение за этот год уже введено."),
            models.CheckConstraint(condition=Q(denominator__isnull=True)
                                   | Q(numerator__lte=F("denominator")),
                                   name="typed_part_not_above_whole",
                                   violation_error_message="Часть больше целого."),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.numerator}"
