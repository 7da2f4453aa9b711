"""The school's context passport (социальный паспорт школы) per school year.

Fields are exactly those of ``schemas.CONTEXT``, named and measured as the glossary says
(``opora.glossary.CONTEXT_COLUMNS``). ``year`` is the start year of the school year
(2023 → 2023/24). Shares are percent 0–100, never fractions (the seeds show what happens when
shares are typed as counts or fractions: DOMAIN.md, «Indicators the seeds name»); the database
refuses anything outside 0–100, and the form says so in Russian. Users edit passports, so every
change is kept by simple-history.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from opora.glossary import CONTEXT_COLUMN_BY_CODE, CONTEXT_COLUMNS

SHARE_FIELDS: tuple[str, ...] = tuple(c.code for c in CONTEXT_COLUMNS if c.kind == "share")
SHARE_MESSAGE = "Доля указывается в процентах от 0 до 100."


def verbose_name(code: str) -> str:
    """«неполные семьи, %»: the glossary's name of a passport column with its unit."""
    column = CONTEXT_COLUMN_BY_CODE[code]
    return f"{column.name_ru[:1].lower()}{column.name_ru[1:]}, {column.unit}"


def _share(code: str) -> models.FloatField:
    return models.FloatField(
        verbose_name(code), null=True, blank=True,
        validators=[MinValueValidator(0, message=SHARE_MESSAGE),
                    MaxValueValidator(100, message=SHARE_MESSAGE)],
    )


def _count(code: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(verbose_name(code), null=True, blank=True)


def _share_constraint(name: str) -> models.CheckConstraint:
    label = verbose_name(name)  # Django formats the message with «%»: escaped below
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0, f"{name}__lte": 100}),
        name=f"context_{name}_0_100",
        violation_error_message=f"«{label}»: {SHARE_MESSAGE}".replace("%", "%%"),
    )


class ContextPassport(models.Model):
    """Context data of one school in one school year (the ШНСУ index is built from these)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="context_passports", verbose_name="школа")
    year = models.PositiveSmallIntegerField("учебный год (год начала)")
    students = _count("students")
    share_parents_higher_ed = _share("share_parents_higher_ed")
    share_single_parent = _share("share_single_parent")
    share_low_income = _share("share_low_income")
    share_large_families = _share("share_large_families")
    share_unemployed_parents = _share("share_unemployed_parents")
    share_non_native_russian = _share("share_non_native_russian")
    share_ovz = _share("share_ovz")
    share_preventive_register = _share("share_preventive_register")
    teachers = _count("teachers")
    teacher_vacancies = _count("teacher_vacancies")
    share_teachers_retirement_age = _share("share_teachers_retirement_age")
    remoteness_km = models.FloatField(verbose_name("remoteness_km"), null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    source = models.CharField("источник", max_length=300, blank=True)
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")
    history = HistoricalRecords(excluded_fields=["batch"])

    class Meta:
        verbose_name = "контекстный паспорт школы"
        verbose_name_plural = "контекстные паспорта школ"
        ordering = ["school", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="context_unique_school_year",
                                    violation_error_message="Паспорт школы за этот год уже есть."),
            *[_share_constraint(name) for name in SHARE_FIELDS],
            # Families with both parents holding a degree and single-parent families are
            # disjoint groups, so together they cannot exceed all families (100 %).
            models.CheckConstraint(
                condition=Q(share_parents_higher_ed__isnull=True) | Q(share_single_parent__isnull=True)
                | Q(share_parents_higher_ed__lte=100 - F("share_single_parent")),
                name="context_disjoint_family_shares_within_100",
                violation_error_message="Часть больше целого: семей с двумя родителями с высшим "
                                        "образованием и неполных семей вместе больше 100 %%."),
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.year}/{(self.year + 1) % 100:02d}"
