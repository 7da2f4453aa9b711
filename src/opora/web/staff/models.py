"""A school's teachers and leaders, as much as the support work needs and no more.

Personal data is minimal by design (issue 14): a name — or a code such as «П-017» where the
school prefers not to give names (``name_is_code``) —, the position, the subjects taught, the
qualification category and the years of pedagogical experience. No birth dates, no contacts.
Who sees and edits a school's staff is the Viewer's (``Action.SEE_STAFF``, ``EDIT_STAFF``).

A teacher who leaves keeps the record with the date of leaving (``active_to``): events,
mentorships, diagnostics and courses of the past still name them. Every change is kept by
simple-history (who, when, what).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from opora.glossary import POSITIONS, QUALIFICATION_CATEGORIES
from opora.web.staff.subjects import TEACHING_SUBJECT_NAMES, subject_name

POSITION_CHOICES = [(t.code, t.name_ru) for t in POSITIONS]
CATEGORY_CHOICES = [(t.code, t.name_ru) for t in QUALIFICATION_CATEGORIES]
#: Longer than any working life: a larger number is a typing error (a year typed as experience).
MAX_EXPERIENCE_YEARS = 70


class TeacherQuerySet(models.QuerySet["Teacher"]):
    def working_on(self, day: object) -> TeacherQuerySet:
        """Teachers on the school's staff on ``day`` (a date): started by then, not yet left."""
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day),
                           Q(active_to__isnull=True) | Q(active_to__gte=day))


class Teacher(models.Model):
    """One person of a school's pedagogical or leading staff."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="teachers", verbose_name="школа")
    name = models.CharField("ФИО или код", max_length=200,
                            help_text="например «Иванова Мария Петровна» или код «П-017»")
    name_is_code = models.BooleanField("вместо имени — код", default=False)
    position = models.CharField("должность", max_length=32, choices=POSITION_CHOICES,
                                default="teacher")
    subjects = models.JSONField("предметы", default=list, blank=True,
                                help_text="коды предметов: каталог работ и предметы глоссария")
    category = models.CharField("квалификационная категория", max_length=32,
                                choices=CATEGORY_CHOICES, default="no_category")
    experience_years = models.PositiveSmallIntegerField(
        "педагогический стаж, лет", null=True, blank=True,
        validators=[MaxValueValidator(MAX_EXPERIENCE_YEARS,
                                      message="Стаж больше 70 лет — проверьте число.")])
    active_from = models.DateField("работает с", null=True, blank=True)
    active_to = models.DateField("работал(а) по", null=True, blank=True,
                                 help_text="дата ухода; запись остаётся в истории")
    batch = models.ForeignKey("imports.ImportBatch", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")
    history = HistoricalRecords(excluded_fields=["batch"])

    objects = TeacherQuerySet.as_manager()

    class Meta:
        verbose_name = "педагог"
        verbose_name_plural = "педагоги"
        ordering = ["school", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_from__isnull=True)
                | Q(active_to__gte=F("active_from")),
                name="teacher_leaves_after_starting",
                violation_error_message="Дата ухода раньше даты начала работы."),
            models.CheckConstraint(
                condition=Q(experience_years__isnull=True)
                | Q(experience_years__lte=MAX_EXPERIENCE_YEARS),
                name="teacher_experience_plausible",
                violation_error_message="Стаж больше 70 лет — проверьте число."),
            models.UniqueConstraint(
                fields=["school", "name"], condition=Q(active_to__isnull=True),
                name="teacher_unique_working_name_per_school",
                violation_error_message="В этой школе уже работает педагог с таким именем или "
                                        "кодом."),
        ]
        indexes = [models.Index(fields=["school", "active_to"], name="teacher_school_active")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Subjects are known codes, each once; a name is not blank."""
        self.name = " ".join((self.name or "").split())
        if not self.name:
            raise ValidationError({"name": "Укажите ФИО или код педагога."})
        if not isinstance(self.subjects, list) or not all(isinstance(s, str)
                                                          for s in self.subjects):
            raise ValidationError({"subjects": "Предметы — список кодов предметов."})
        unknown = [s for s in self.subjects if s not in TEACHING_SUBJECT_NAMES]
        if unknown:
            raise ValidationError({"subjects": f"Неизвестные предметы: {', '.join(unknown)}."})
        self.subjects = list(dict.fromkeys(self.subjects))

    @property
    def subject_names(self) -> list[str]:
        return [subject_name(code) for code in self.subjects]

    @property
    def position_name(self) -> str:
        return self.get_position_display()

    @property
    def category_name(self) -> str:
        return self.get_category_display()
