"""A school's 500+ risk profile by year: the level of each factor of that year's catalogue and
the score behind it (DOMAIN.md, «The 500+ risk profile»; the catalogue versions:
:data:`opora.glossary.RISK_CATALOGUES`).

A profile is typed on its page or loaded from the questionnaire results table
(``opora template risk_profile``, :mod:`opora.web.programmes.profile_import`); either way every
change keeps its history. The score is the questionnaire's index of the factor, 0–100.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from opora.glossary import RISK_CATALOGUES, RISK_LEVELS, risk_catalogue, risk_factor_name

LEVEL_CHOICES = [(t.code, t.name_ru) for t in RISK_LEVELS]
CATALOGUE_CHOICES = [(c.code, c.name_ru) for c in RISK_CATALOGUES]
TYPED, IMPORTED = "typed", "imported"
SOURCE_CHOICES = [(TYPED, "введён вручную"), (IMPORTED, "загружен из файла")]
HIGH = "high"


class RiskProfileImport(models.Model):
    """One uploaded questionnaire-results table: all rows or none. A refused file keeps its
    problems (sheet, row, column, why); the same bytes loaded again change nothing."""

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
    file = models.FileField("файл", upload_to="programmes/imports/%Y/%m/", blank=True)
    status = models.CharField("результат", max_length=16, choices=STATUS_CHOICES)
    counts = models.JSONField("числа", default=dict, blank=True)
    problems = models.JSONField("проблемы", default=list, blank=True)

    class Meta:
        verbose_name = "загрузка рисковых профилей"
        verbose_name_plural = "загрузки рисковых профилей"
        ordering = ["-imported_at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["municipality", "sha256"], condition=Q(status="succeeded"),
            name="profile_import_once", violation_error_message="Этот файл уже загружен.")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class RiskProfile(models.Model):
    """The profile of one school in one year (the questionnaire's year)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="risk_profiles", verbose_name="школа")
    year = models.PositiveSmallIntegerField("год")
    catalogue = models.CharField("версия каталога факторов", max_length=32,
                                 choices=CATALOGUE_CHOICES)
    source = models.CharField("источник", max_length=16, choices=SOURCE_CHOICES, default=TYPED)
    imported = models.ForeignKey(RiskProfileImport, on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="profiles", verbose_name="загрузка")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто изменил")
    updated_at = models.DateTimeField("изменён", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "рисковый профиль"
        verbose_name_plural = "рисковые профили"
        ordering = ["school", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="profile_once_a_year",
                                    violation_error_message="Профиль школы за этот год уже "
                                                            "есть."),
            models.CheckConstraint(condition=Q(year__gte=2015, year__lte=2100),
                                   name="profile_year_plausible",
                                   violation_error_message="Год профиля — от 2015 до 2100."),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.year}"

    @property
    def catalogue_term(self) -> object:
        return risk_catalogue(self.year)


class RiskFactorLevel(models.Model):
    """The level of one factor in a profile, with its score (0–100) when the table gives one."""

    profile = models.ForeignKey(RiskProfile, on_delete=models.CASCADE, related_name="levels",
                                verbose_name="профиль")
    factor = models.CharField("фактор риска", max_length=48)
    level = models.CharField("уровень", max_length=8, choices=LEVEL_CHOICES)
    score = models.FloatField("балл (0–100)", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "уровень фактора риска"
        verbose_name_plural = "уровни факторов риска"
        ordering = ["profile", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "factor"], name="factor_once_a_profile",
                                    violation_error_message="Фактор уже есть в профиле."),
            models.CheckConstraint(condition=Q(score__isnull=True)
                                   | Q(score__gte=0, score__lte=100),
                                   name="factor_score_0_100",
                                   violation_error_message="Балл фактора — от 0 до 100."),
        ]

    def __str__(self) -> str:
        return f"{self.factor_name}: {self.get_level_display()}"

    @property
    def factor_name(self) -> str:
        return risk_factor_name(self.factor)
