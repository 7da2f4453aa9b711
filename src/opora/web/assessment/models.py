"""Assessment data: procedures, subjects, scales, tasks, results, aggregates, reference values.

These rows are bulk-loaded from the normalised tables (:mod:`opora.schemas`) by
:mod:`opora.web.imports.loading`; users do not edit them, so they carry no simple-history (the
import batch is their audit: who loaded which file when). ``year`` is the calendar year of the
procedure (ВПР in spring 2024 → 2024), as in the contract.

Both student-level results and published school aggregates are first-class: many real sources
publish only aggregates, and the engine works on either.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

SCORE_SCALES = [("primary", "первичный балл"), ("test", "тестовый балл"), ("mark", "отметка"),
                ("percent", "процент")]
THRESHOLD_SCALES = [("primary", "первичный балл"), ("test", "тестовый балл")]
TASK_LEVELS = [("basic", "базовый"), ("advanced", "повышенный"), ("high", "высокий")]
GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(11)]
MARK_VALIDATORS = [MinValueValidator(2), MaxValueValidator(5)]


class Procedure(models.Model):
    """An assessment procedure (ВПР, ОГЭ, ЕГЭ, ГВЭ, НИКО, ДКР); rows mirror opora.catalog."""

    code = models.CharField("код", max_length=8, unique=True)
    name = models.CharField("наименование", max_length=100)

    class Meta:
        verbose_name = "оценочная процедура"
        verbose_name_plural = "оценочные процедуры"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """A school subject; ``marker`` is its abbreviation in federal markers («РУ», «МА»)."""

    code = models.CharField("код", max_length=32, unique=True)
    name = models.CharField("наименование", max_length=100)
    marker = models.CharField("сокращение в маркерах", max_length=8, blank=True)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class _Cell(models.Model):
    """procedure × year × grade × subject: the coordinates every assessment row shares."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, verbose_name="процедура",
                                  related_name="+")
    year = models.PositiveSmallIntegerField("год проведения")
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE_VALIDATORS)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, verbose_name="предмет",
                                related_name="+")

    class Meta:
        abstract = True


class AssessmentScale(_Cell):
    """The scale of one work: maximum primary score, mark boundaries and the minimum threshold."""

    max_primary_score = models.FloatField("максимальный первичный балл",
                                          validators=[MinValueValidator(0)])
    boundary_3 = models.FloatField("граница «3»", null=True, blank=True)
    boundary_4 = models.FloatField("граница «4»", null=True, blank=True)
    boundary_5 = models.FloatField("граница «5»", null=True, blank=True)
    min_threshold = models.FloatField("минимальный порог", null=True, blank=True)
    threshold_scale = models.CharField("шкала порога", max_length=8, choices=THRESHOLD_SCALES,
                                       blank=True)

    class Meta:
        verbose_name = "шкала работы"
        verbose_name_plural = "шкалы работ"
        constraints = [
            models.UniqueConstraint(fields=["procedure", "year", "grade", "subject"],
                                    name="scale_unique_cell"),
            models.CheckConstraint(
                condition=Q(boundary_3__isnull=True) | Q(boundary_3__lte=F("max_primary_score")),
                name="scale_boundary_within_max",
                violation_error_message="Граница отметки больше максимального балла."),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.year} {self.grade} кл. {self.subject_id}"


class Task(models.Model):
    """One task of a work, in the order of the form (``task_no`` from 1)."""

    scale = models.ForeignKey(AssessmentScale, on_delete=models.CASCADE, related_name="tasks",
                              verbose_name="шкала")
    task_no = models.PositiveSmallIntegerField("номер по порядку", validators=[MinValueValidator(1)])
    label = models.CharField("обозначение", max_length=32)
    max_score = models.FloatField("максимальный балл", validators=[MinValueValidator(0)])
    level = models.CharField("уровень сложности", max_length=10, choices=TASK_LEVELS, blank=True)

    class Meta:
        verbose_name = "задание"
        verbose_name_plural = "задания"
        ordering = ["scale", "task_no"]
        constraints = [models.UniqueConstraint(fields=["scale", "task_no"], name="task_unique_no")]

    def __str__(self) -> str:
        return self.label


class StudentResult(_Cell):
    """One participant's result (anonymised code) in one work."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="student_results", verbose_name="школа")
    scale = models.ForeignKey(AssessmentScale, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name="шкала")
    participant_code = models.CharField("код участника", max_length=64)
    class_label = models.CharField("класс", max_length=16, blank=True)
    sex = models.CharField("пол", max_length=1, choices=[("м", "м"), ("ж", "ж")], blank=True)
    variant = models.SmallIntegerField("вариант", null=True, blank=True)
    absent = models.BooleanField("отсутствовал", default=False)
    primary_score = models.FloatField("первичный балл", null=True, blank=True,
                                      validators=[MinValueValidator(0)])
    mark = models.PositiveSmallIntegerField("отметка", null=True, blank=True,
                                            validators=MARK_VALIDATORS)
    test_score = models.FloatField("тестовый балл", null=True, blank=True,
                                   validators=[MinValueValidator(0), MaxValueValidator(100)])
    term_mark = models.PositiveSmallIntegerField("отметка за четверть", null=True, blank=True,
                                                 validators=MARK_VALIDATORS)
    task_scores = models.JSONField("баллы по заданиям", null=True, blank=True)
    source = models.CharField("источник", max_length=300, blank=True)
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")

    class Meta:
        verbose_name = "результат участника"
        verbose_name_plural = "результаты участников"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "procedure", "year", "grade", "subject", "participant_code"],
                name="result_unique_participant"),
            models.CheckConstraint(condition=Q(mark__isnull=True) | Q(mark__gte=2, mark__lte=5),
                                   name="result_mark_2_to_5",
                                   violation_error_message="Отметка должна быть от 2 до 5."),
            models.CheckConstraint(condition=Q(test_score__isnull=True)
                                   | Q(test_score__gte=0, test_score__lte=100),
                                   name="result_test_score_0_100",
                                   violation_error_message="Тестовый балл должен быть от 0 до 100."),
        ]
        indexes = [models.Index(fields=["school", "year"], name="result_school_year")]


PART_LABELS = (("mark_2", "2"), ("mark_3", "3"), ("mark_4", "4"), ("mark_5", "5"),
               ("below_threshold", "не преодолели порог"), ("high_scorers", "80–99"),
               ("top_scorers", "100 баллов"))
_MARKS_SUM = sum((Coalesce(F(f"mark_{m}"), 0) for m in (3, 4, 5)), Coalesce(F("mark_2"), 0))


class SchoolAggregate(_Cell):
    """A school's published result in one cell: counts of participants and marks, the mean."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="aggregates", verbose_name="школа")
    school_name = models.CharField("наименование в источнике", max_length=500, blank=True)
    municipality_name = models.CharField("муниципалитет в источнике", max_length=200, blank=True)
    participants = models.PositiveIntegerField("приняли участие")
    mark_2 = models.PositiveIntegerField("«2»", null=True, blank=True)
    mark_3 = models.PositiveIntegerField("«3»", null=True, blank=True)
    mark_4 = models.PositiveIntegerField("«4»", null=True, blank=True)
    mark_5 = models.PositiveIntegerField("«5»", null=True, blank=True)
    below_threshold = models.PositiveIntegerField("не преодолели порог", null=True, blank=True)
    high_scorers = models.PositiveIntegerField("80–99 баллов", null=True, blank=True)
    top_scorers = models.PositiveIntegerField("100 баллов", null=True, blank=True)
    mean_score = models.FloatField("средний балл", null=True, blank=True)
    score_scale = models.CharField("шкала среднего", max_length=8, choices=SCORE_SCALES, blank=True)
    source = models.CharField("источник", max_length=300, blank=True)
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")

    class Meta:
        verbose_name = "результат школы (агрегат)"
        verbose_name_plural = "результаты школ (агрегаты)"
        constraints = [
            models.UniqueConstraint(fields=["school", "procedure", "year", "grade", "subject"],
                                    name="aggregate_unique_cell"),
            *[models.CheckConstraint(
                condition=Q(**{f"{part}__isnull": True}) | Q(**{f"{part}__lte": F("participants")}),
                name=f"aggregate_{part}_within_participants",
                violation_error_message=f"Часть больше целого: число «{label}» больше числа участников."
                ) for part, label in PART_LABELS],
            models.CheckConstraint(
                condition=Q(participants__gte=_MARKS_SUM), name="aggregate_marks_within_participants",
                violation_error_message="Часть больше целого: отметок «2»–«5» в сумме больше, "
                                        "чем участников."),
        ]



class ReferenceValue(_Cell):
    """A regional or municipal total: what a school's result is compared with.

    ``level`` is ``region`` (``municipality`` empty) or ``municipality``. Where the value came
    from (a total row of a published file, or «вычислено») is in ``source``: the evidence says it.
    """

    LEVELS = [("region", "регион"), ("municipality", "муниципалитет")]
    level = models.CharField("уровень", max_length=12, choices=LEVELS)
    region = models.ForeignKey("schools.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name="регион")
    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name="муниципалитет")
    participants = models.PositiveIntegerField("приняли участие", null=True, blank=True)
    below_threshold = models.PositiveIntegerField("не преодолели порог", null=True, blank=True)
    high_scorers = models.PositiveIntegerField("80–99 баллов", null=True, blank=True)
    top_scorers = models.PositiveIntegerField("100 баллов", null=True, blank=True)
    mark_2 = models.PositiveIntegerField("«2»", null=True, blank=True)
    mean_score = models.FloatField("средний балл", null=True, blank=True)
    score_scale = models.CharField("шкала среднего", max_length=8, choices=SCORE_SCALES, blank=True)
    source = models.CharField("источник", max_length=300, blank=True)
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")

    class Meta:
        verbose_name = "эталонное значение"
        verbose_name_plural = "эталонные значения"
        constraints = [
            models.CheckConstraint(
                condition=Q(level="region", municipality__isnull=True)
                | Q(level="municipality", municipality__isnull=False),
                name="reference_level_matches_scope",
                violation_error_message="Итог по региону не относится к муниципалитету, "
                                        "итог муниципалитета — относится."),
            models.UniqueConstraint(fields=["region", "procedure", "year", "grade", "subject"],
                                    condition=Q(level="region"), name="reference_unique_region"),
            models.UniqueConstraint(fields=["municipality", "procedure", "year", "grade", "subject"],
                                    condition=Q(level="municipality"),
                                    name="reference_unique_municipality"),
            models.CheckConstraint(
                condition=Q(participants__isnull=True) | Q(below_threshold__isnull=True)
                | Q(below_threshold__lte=F("participants")),
                name="reference_below_within_participants",
                violation_error_message="Часть больше целого: не преодолевших порог больше, "
                                        "чем участников."),
        ]


class ObjectivityMarker(models.Model):
    """A federal marker of possibly non-objective results («4 РУ»): an official fact with a source."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="objectivity_markers", verbose_name="школа")
    year = models.PositiveSmallIntegerField("год процедуры")
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE_VALIDATORS)
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+",
                                verbose_name="предмет")
    marker = models.CharField("маркер", max_length=16)
    school_name = models.CharField("наименование в списке", max_length=500, blank=True)
    source = models.CharField("источник списка", max_length=300, blank=True)
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")

    class Meta:
        verbose_name = "федеральный маркер необъективности"
        verbose_name_plural = "федеральные маркеры необъективности"
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "grade", "subject"],
                                    name="marker_unique_cell"),
        ]

    def __str__(self) -> str:
        return self.marker
