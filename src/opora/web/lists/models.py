"""Official lists of schools from above and regional re-check results: facts with a source.

DOMAIN.md, «Lists from above»: the federal 500+ list, a region's or the ministry's ШНОР list arrive
as official lists — facts with a source and a year. They are stored here as published, one row
per school, year and kind of list (:class:`OfficialListEntry`), written by an import
(:class:`~opora.web.imports.loading.TableWriter`, table ``official_lists``). The engine's own
flags are computed elsewhere (``analysis``); reconciling the two — showing a school that is on
the ministry's list but not flagged by Опора, or the other way round — reads both and is the
analysis app's concern (issue 12). This app does not compare and decides nothing.

The federal objectivity markers are an official list too, but have their own table
(:class:`opora.web.assessment.models.ObjectivityMarker`), read by the engine's marker sign.

:class:`RecheckResult` holds the regional commission's re-check of a school's works
(перепроверка) — the numbers of a sign of non-objective results the source documents name. The
engine's sign on them is to come; until then the rows are stored and shown, not judged.
"""

from __future__ import annotations

from django.db import models

from opora.glossary import OFFICIAL_LIST_KINDS

LIST_KIND_CHOICES = [(k.code, k.name_ru) for k in OFFICIAL_LIST_KINDS]


class OfficialListEntry(models.Model):
    """A school on an official list of a year, as the list gives it (name, login, source)."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="official_list_entries", verbose_name="школа")
    year = models.PositiveSmallIntegerField("год списка")
    list_kind = models.CharField("вид списка", max_length=32, choices=LIST_KIND_CHOICES)
    school_name = models.CharField("наименование в списке", max_length=500, blank=True)
    fis_oko_login = models.CharField("логин ФИС ОКО в списке", max_length=32, blank=True)
    municipality_name = models.CharField("муниципалитет в списке", max_length=200, blank=True)
    source = models.CharField("источник", max_length=300, blank=True,
                              help_text="заголовок списка, файл, лист и строка")
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")

    class Meta:
        verbose_name = "школа в официальном списке (как опубликован)"
        verbose_name_plural = "официальные списки (как опубликованы)"
        ordering = ["-year", "list_kind", "school_id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "list_kind"],
                                    name="official_list_entry_unique"),
        ]
        indexes = [models.Index(fields=["year", "list_kind"])]

    def __str__(self) -> str:
        return f"{self.get_list_kind_display()} {self.year}: {self.school_name or self.school_id}"


class RecheckResult(models.Model):
    """A regional re-check of one school's works of one procedure, subject, grade and year."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="recheck_results", verbose_name="школа")
    procedure = models.ForeignKey("assessment.Procedure", on_delete=models.PROTECT,
                                  related_name="+", verbose_name="процедура")
    year = models.PositiveSmallIntegerField("год")
    grade = models.PositiveSmallIntegerField("класс")
    subject = models.ForeignKey("assessment.Subject", on_delete=models.PROTECT, related_name="+",
                                verbose_name="предмет")
    works_rechecked = models.PositiveIntegerField("работ перепроверено")
    works_changed = models.PositiveIntegerField("работ с изменённой отметкой", null=True,
                                                blank=True)
    mean_change = models.FloatField("среднее изменение балла", null=True, blank=True,
                                    help_text="балл перепроверки − балл школы, первичные баллы")
    school_name = models.CharField("наименование в файле", max_length=500, blank=True)
    source = models.CharField("источник", max_length=300, blank=True)
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")

    class Meta:
        verbose_name = "результат перепроверки"
        verbose_name_plural = "результаты перепроверки"
        constraints = [
            models.UniqueConstraint(fields=["school", "procedure", "year", "grade", "subject"],
                                    name="recheck_unique_cell"),
            models.CheckConstraint(
                condition=models.Q(works_changed__isnull=True)
                | models.Q(works_changed__lte=models.F("works_rechecked")),
                name="recheck_changed_not_above_rechecked"),
        ]

    def __str__(self) -> str:
        return f"перепроверка {self.year}: {self.works_changed}/{self.works_rechecked}"
