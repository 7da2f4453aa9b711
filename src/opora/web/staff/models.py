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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from opora.glossary import (
    DEFICIT_DOMAINS,
    DIAGNOSTIC_INSTRUMENTS,
    DIAGNOSTIC_LEVELS,
    POSITIONS,
    QUALIFICATION_CATEGORIES,
    ROUTE_STEP_KINDS,
    ROUTE_STEP_STATUSES,
    staff_name,
)
from opora.teaching import TEACHING_SUBJECT_NAMES, subject_name

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
    batch = models.ForeignKey("staff.StaffImport", on_delete=models.PROTECT, null=True,
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
    def experience_text(self) -> str:
        """«21 год», «3 года», «11 лет»; «—» when unknown."""
        years = self.experience_years
        if years is None:
            return "—"
        tens, units = years % 100, years % 10
        word = "лет" if 11 <= tens <= 14 or units == 0 or units >= 5 else \
            "год" if units == 1 else "года"
        return f"{years} {word}"

    @property
    def position_name(self) -> str:
        return self.get_position_display()

    @property
    def category_name(self) -> str:
        return self.get_category_display()


# --- Teacher development: diagnostics of professional deficits, ИОМ, courses (КПК) ------------

INSTRUMENT_CHOICES = [(t.code, t.name_ru) for t in DIAGNOSTIC_INSTRUMENTS]
DOMAIN_CHOICES = [(t.code, t.name_ru) for t in DEFICIT_DOMAINS]
LEVEL_CHOICES = [(t.code, t.name_ru) for t in DIAGNOSTIC_LEVELS]
STEP_KIND_CHOICES = [(t.code, t.name_ru) for t in ROUTE_STEP_KINDS]
STEP_STATUS_CHOICES = [(t.code, t.name_ru) for t in ROUTE_STEP_STATUSES]
FUTURE_DATE = "Дата в будущем: диагностику записывают после того, как она проведена."
ENDS_BEFORE_START = "Дата окончания раньше даты начала."


def _ends_after_start(prefix: str, start: str = "start", end: str = "end") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=f"{prefix}_ends_after_start", violation_error_message=ENDS_BEFORE_START)


class TeacherDiagnostic(models.Model):
    """One diagnostic of a teacher's professional deficits: a date, an instrument and its
    domains (:class:`DiagnosticScore`). Two of the same instrument make the competence dynamics
    (``opora.web.staff.dynamics``)."""

    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="diagnostics",
                                verbose_name="педагог")
    date = models.DateField("дата диагностики")
    instrument = models.CharField("инструмент", max_length=32, choices=INSTRUMENT_CHOICES)
    note = models.CharField("примечание", max_length=300, blank=True,
                            help_text="например, название диагностики или кто её проводил")
    batch = models.ForeignKey("staff.StaffImport", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")
    history = HistoricalRecords(excluded_fields=["batch"])

    class Meta:
        verbose_name = "диагностика профессиональных дефицитов"
        verbose_name_plural = "диагностики профессиональных дефицитов"
        ordering = ["teacher", "date", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["teacher", "date", "instrument"], name="diagnostic_unique_per_day",
            violation_error_message="Диагностика этого педагога этим инструментом в этот день "
                                    "уже записана.")]

    def __str__(self) -> str:
        return f"{self.teacher}: {self.get_instrument_display()} {self.date:%d.%m.%Y}"

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": FUTURE_DATE})


class DiagnosticScore(models.Model):
    """One domain of a diagnostic: a score out of a maximum, or a level."""

    diagnostic = models.ForeignKey(TeacherDiagnostic, on_delete=models.CASCADE,
                                   related_name="scores", verbose_name="диагностика")
    domain = models.CharField("область", max_length=32, choices=DOMAIN_CHOICES)
    score = models.FloatField("балл", null=True, blank=True)
    max_score = models.FloatField("максимальный балл", null=True, blank=True)
    level = models.CharField("уровень", max_length=16, choices=LEVEL_CHOICES, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "результат по области"
        verbose_name_plural = "результаты по областям"
        ordering = ["diagnostic", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "domain"], name="score_unique_domain",
                                    violation_error_message="Эта область в диагностике уже есть."),
            models.CheckConstraint(
                condition=Q(level="", score__isnull=False, max_score__gt=0, score__gte=0,
                            score__lte=F("max_score"))
                | ~Q(level="") & Q(score__isnull=True, max_score__isnull=True),
                name="score_within_max_or_level",
                violation_error_message="Укажите либо балл от 0 до максимального, либо уровень."),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.shown}"

    @property
    def shown(self) -> str:
        if self.level:
            return self.get_level_display()
        return f"{self.score:g} из {self.max_score:g}"

    def clean(self) -> None:
        if self.level:
            if self.score is not None or self.max_score is not None:
                raise ValidationError({"level": "Укажите либо балл с максимумом, либо уровень — "
                                                "не то и другое."})
            return
        if self.score is None or self.max_score is None:
            raise ValidationError({"score": "Укажите балл и максимальный балл (или уровень)."})
        if self.max_score <= 0:
            raise ValidationError({"max_score": "Максимальный балл должен быть больше нуля."})
        if self.score < 0:
            raise ValidationError({"score": "Балл не может быть отрицательным."})
        if self.score > self.max_score:
            raise ValidationError({"score": f"Балл {self.score:g} больше максимального "
                                            f"{self.max_score:g}."})


class DevelopmentRoute(models.Model):
    """An individual development route (ИОМ): the deficits it addresses and its steps."""

    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="routes",
                                verbose_name="педагог")
    title = models.CharField("название", max_length=300,
                             help_text="например «ИОМ на 2024/25 учебный год»")
    deficits = models.JSONField("дефициты (области)", default=list, blank=True)
    diagnostic = models.ForeignKey(TeacherDiagnostic, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="routes",
                                   verbose_name="по итогам диагностики")
    start = models.DateField("начало")
    end = models.DateField("окончание")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "индивидуальный образовательный маршрут"
        verbose_name_plural = "индивидуальные образовательные маршруты"
        ordering = ["teacher", "-start", "pk"]
        constraints = [_ends_after_start("route")]

    def __str__(self) -> str:
        return f"{self.teacher}: {self.title}"

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": ENDS_BEFORE_START})
        known = {t.code for t in DEFICIT_DOMAINS}
        if not isinstance(self.deficits, list) or not set(self.deficits) <= known:
            raise ValidationError({"deficits": "Дефициты — области из списка глоссария."})
        if self.diagnostic is not None and self.diagnostic.teacher_id != self.teacher_id:
            raise ValidationError({"diagnostic": "Это диагностика другого педагога."})

    @property
    def deficit_names(self) -> list[str]:
        return [staff_name(DEFICIT_DOMAINS, code) for code in self.deficits]


class RouteStep(models.Model):
    """A step of a route: a course, mentoring or an event, with dates and status."""

    route = models.ForeignKey(DevelopmentRoute, on_delete=models.CASCADE, related_name="steps",
                              verbose_name="маршрут")
    kind = models.CharField("вид", max_length=16, choices=STEP_KIND_CHOICES)
    title = models.CharField("содержание", max_length=300)
    start = models.DateField("начало", null=True, blank=True)
    end = models.DateField("окончание", null=True, blank=True)
    status = models.CharField("состояние", max_length=16, choices=STEP_STATUS_CHOICES,
                              default="planned")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "шаг маршрута"
        verbose_name_plural = "шаги маршрута"
        ordering = ["route", "start", "pk"]
        constraints = [_ends_after_start("route_step")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": ENDS_BEFORE_START})


class Course(models.Model):
    """An in-service course (КПК) a teacher took: hours, dates, completion, certificate."""

    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="courses",
                                verbose_name="педагог")
    title = models.CharField("название программы", max_length=400)
    provider = models.CharField("организация", max_length=300, blank=True,
                                help_text="кто проводит: ИРО, ЦНППМ, Академия Минпросвещения…")
    hours = models.PositiveSmallIntegerField("объём, часов")
    start = models.DateField("начало")
    end = models.DateField("окончание")
    completed = models.BooleanField("завершён", default=False)
    certificate_number = models.CharField("номер удостоверения", max_length=100, blank=True)
    batch = models.ForeignKey("staff.StaffImport", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="загрузка")
    history = HistoricalRecords(excluded_fields=["batch"])

    class Meta:
        verbose_name = "курс повышения квалификации"
        verbose_name_plural = "курсы повышения квалификации"
        ordering = ["teacher", "-start", "pk"]
        constraints = [
            _ends_after_start("course"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive",
                                   violation_error_message="Объём курса — больше 0 часов."),
            models.UniqueConstraint(fields=["teacher", "title", "start"], name="course_unique",
                                    violation_error_message="Этот курс этого педагога с этой "
                                                            "датой начала уже записан."),
        ]

    def __str__(self) -> str:
        return f"{self.teacher}: {self.title}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = ENDS_BEFORE_START
        if self.hours is not None and self.hours <= 0:
            errors["hours"] = "Объём курса — больше 0 часов."
        if self.certificate_number and not self.completed:
            errors["completed"] = "Удостоверение выдают по завершении курса: отметьте «завершён»."
        if errors:
            raise ValidationError(errors)


class StaffImport(models.Model):
    """One file of staff, diagnostics or courses loaded from a template (all or nothing).

    Kept whether it was loaded or refused, with the original file and its SHA-256: the same
    bytes loaded again for the same territory change nothing (their first loading is named)."""

    KINDS = [("staff", "педагоги"), ("diagnostics", "диагностики"), ("courses", "курсы КПК")]
    SUCCEEDED, FAILED = "succeeded", "failed"
    STATUSES = [(SUCCEEDED, "загружено"), (FAILED, "отклонено")]

    kind = models.CharField("что загружено", max_length=16, choices=KINDS)
    original_name = models.CharField("имя файла", max_length=300)
    file = models.FileField("исходный файл", upload_to="staff/%Y/%m/", blank=True)
    sha256 = models.CharField("контрольная сумма SHA-256", max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто загрузил")
    imported_at = models.DateTimeField("когда", auto_now_add=True)
    status = models.CharField("состояние", max_length=10, choices=STATUSES)
    counts = models.JSONField("записей", default=dict, blank=True)
    problems = models.JSONField("проблемы", default=list, blank=True)
    municipality = models.ForeignKey("schools.Municipality", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="для муниципалитета")
    school = models.ForeignKey("schools.School", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name="для школы")

    class Meta:
        verbose_name = "загрузка педагогов и их развития"
        verbose_name_plural = "загрузки педагогов и их развития"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"№{self.pk} {self.original_name}"
