"""The territory and the school registry: Region → Municipality → School, plus name aliases.

``School.key`` is the ``school_key`` of the normalised tables (:mod:`opora.schemas`): the one
identifier every reader, the generator and the engine use. Names change between years and files
(«МОУ СОШ №5», «Средняя школа № 5 г. Н»), so a confirmed spelling is recorded once as a
:class:`SchoolAlias` and matched by it afterwards.

Years are plain integers everywhere (no SchoolYear table): ``active_from``/``active_to`` are the
start years of school years (2023 → 2023/24), as in the ``schools`` table of the contract.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from opora.catalog import SCHOOL_KINDS, normalize_label

KIND_CHOICES = [(code, label.capitalize()) for code, label in SCHOOL_KINDS.items()]


class Region(models.Model):
    """A subject of the Russian Federation (the regional operator's scope)."""

    name = models.CharField("наименование", max_length=200, unique=True)

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipal district or city district: the coordinator's scope."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities",
                               verbose_name="регион")
    name = models.CharField("наименование", max_length=200)

    class Meta:
        verbose_name = "муниципалитет"
        verbose_name_plural = "муниципалитеты"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_in_region",
                                    violation_error_message="Такой муниципалитет в регионе уже есть."),
        ]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A general-education organisation (ОО, МОУ) as the registry knows it."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="schools",
                                     verbose_name="муниципалитет")
    key = models.CharField("ключ в данных", max_length=200, unique=True,
                           help_text="school_key нормализованных таблиц; не меняется")
    number = models.PositiveIntegerField("номер", null=True, blank=True)
    short_name = models.CharField("краткое наименование", max_length=200)
    full_name = models.CharField("полное наименование", max_length=500, blank=True)
    kind = models.CharField("вид", max_length=16, choices=KIND_CHOICES, blank=True)
    microdistrict = models.CharField("микрорайон / населённый пункт", max_length=200, blank=True)
    address = models.CharField("адрес", max_length=500, blank=True)
    latitude = models.FloatField("широта", null=True, blank=True,
                                 validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField("долгота", null=True, blank=True,
                                  validators=[MinValueValidator(-180), MaxValueValidator(180)])
    fis_oko_login = models.CharField("логин ФИС ОКО", max_length=32, null=True, blank=True,
                                     help_text="например edu053001")
    active_from = models.PositiveSmallIntegerField("работает с учебного года", null=True, blank=True)
    active_to = models.PositiveSmallIntegerField("работала по учебный год", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "школа"
        verbose_name_plural = "школы"
        ordering = ["municipality__name", "number", "short_name"]
        constraints = [
            models.UniqueConstraint(fields=["fis_oko_login"], condition=Q(fis_oko_login__isnull=False),
                                    name="school_unique_fis_oko_login",
                                    violation_error_message="Этот логин ФИС ОКО уже у другой школы."),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="school_active_years_ordered",
                violation_error_message="Год окончания работы раньше года начала."),
        ]

    def __str__(self) -> str:
        return self.short_name


class SchoolAlias(models.Model):
    """A school's name as some source spells it, confirmed once by a coordinator.

    ``normalized`` and ``municipality_normalized`` are :func:`opora.catalog.normalize_label` of
    the two texts, so case and spaces never create a second alias.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="aliases",
                               verbose_name="школа")
    name = models.CharField("наименование в источнике", max_length=500)
    municipality_name = models.CharField("муниципалитет в источнике", max_length=200, blank=True)
    normalized = models.CharField(max_length=500, editable=False)
    municipality_normalized = models.CharField(max_length=200, editable=False, blank=True)
    source = models.CharField("источник", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "вариант наименования школы"
        verbose_name_plural = "варианты наименований школ"
        constraints = [
            models.UniqueConstraint(fields=["normalized", "municipality_normalized"],
                                    name="alias_unique_name_in_municipality",
                                    violation_error_message="Такое наименование уже сопоставлено школе."),
        ]

    def clean(self) -> None:
        self.normalized = normalize_label(self.name)
        self.municipality_normalized = normalize_label(self.municipality_name)

    def save(self, *args: object, **kwargs: object) -> None:
        self.clean()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def __str__(self) -> str:
        return self.name
