"""A school's roadmap, structured (seed 003, «Этап 2»): problems → goals → tasks → indicators
and measures.

A problem names the risk factors of the school's profile and/or the flags of the official list it
answers, with the flags' evidence as it was when linked. An indicator has a unit of the glossary
(``UNITS``), a direction, a baseline and a target per year, and its data source; a measure a
deadline, a responsible person of the school's staff, a status and its evidence (support events,
documents). Approving the roadmap keeps a :class:`RoadmapVersion` (a snapshot of the plan); what
changed after it is shown as a diff (:mod:`opora.web.programmes.roadmap_diff`). Every record
keeps its history.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from opora.glossary import INDICATOR_DIRECTIONS, MEASURE_STATUSES, ROADMAP_STATUSES, UNITS

ROADMAP_STATUS_CHOICES = [(t.code, t.name_ru) for t in ROADMAP_STATUSES]
UNIT_CHOICES = [(t.code, t.name_ru) for t in UNITS]
DIRECTION_CHOICES = [(t.code, t.name_ru) for t in INDICATOR_DIRECTIONS]
MEASURE_STATUS_CHOICES = [(t.code, t.name_ru) for t in MEASURE_STATUSES if t.code != "overdue"]
DRAFT, SUBMITTED, NEEDS_REVISION, APPROVED = "draft", "submitted", "needs_revision", "approved"
PLANNED, IN_PROGRESS, DONE, CANCELLED, OVERDUE = (
    "planned", "in_progress", "done", "cancelled", "overdue")
MAX_PERIOD_YEARS = 6


class Roadmap(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT,
                               related_name="roadmaps", verbose_name="школа")
    title = models.CharField("название", max_length=300)
    first_year = models.PositiveSmallIntegerField("первый год")
    last_year = models.PositiveSmallIntegerField("последний год")
    status = models.CharField("состояние", max_length=16, choices=ROADMAP_STATUS_CHOICES,
                              default=DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто создал")
    created_at = models.DateTimeField("создана", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "дорожная карта"
        verbose_name_plural = "дорожные карты"
        ordering = ["school", "-first_year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year"),
                            last_year__lte=F("first_year") + MAX_PERIOD_YEARS - 1),
                name="roadmap_period_plausible",
                violation_error_message="Период — от одного до шести лет, последний год не "
                                        "раньше первого."),
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.title}"

    @property
    def period_text(self) -> str:
        return str(self.first_year) if self.first_year == self.last_year else \
            f"{self.first_year}–{self.last_year}"

    @property
    def period_start(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def period_end(self) -> dt.date:
        return dt.date(self.last_year, 12, 31)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class RoadmapVersion(models.Model):
    """An approved state of the plan: what the decision accepted, kept as it was."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="versions",
                                verbose_name="дорожная карта")
    number = models.PositiveSmallIntegerField("версия")
    snapshot = models.JSONField("содержание")
    basis = models.CharField("основание", max_length=300, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто утвердил")
    approved_at = models.DateTimeField("утверждена", auto_now_add=True)

    class Meta:
        verbose_name = "утверждённая версия дорожной карты"
        verbose_name_plural = "утверждённые версии дорожных карт"
        ordering = ["roadmap", "-number"]
        constraints = [models.UniqueConstraint(fields=["roadmap", "number"],
                                               name="roadmap_version_once")]

    def __str__(self) -> str:
        return f"{self.roadmap}: версия {self.number}"


class RoadmapProblem(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="problems",
                                verbose_name="дорожная карта")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("проблема", max_length=500)
    risk_factors = models.JSONField("факторы риска", default=list, blank=True)
    flags = models.JSONField("отметки школы", default=list, blank=True)
    flag_evidence = models.TextField("обоснование отметок", blank=True,
                                     help_text="как в официальном списке, когда связали")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "проблема дорожной карты"
        verbose_name_plural = "проблемы дорожных карт"
        ordering = ["roadmap", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class RoadmapGoal(models.Model):
    problem = models.ForeignKey(RoadmapProblem, on_delete=models.CASCADE, related_name="goals",
                                verbose_name="проблема")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("цель", max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "цель дорожной карты"
        verbose_name_plural = "цели дорожных карт"
        ordering = ["problem", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class RoadmapTask(models.Model):
    goal = models.ForeignKey(RoadmapGoal, on_delete=models.CASCADE, related_name="tasks",
                             verbose_name="цель")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("задача", max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "задача дорожной карты"
        verbose_name_plural = "задачи дорожных карт"
        ordering = ["goal", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class RoadmapIndicator(models.Model):
    """A measurable indicator of a task: ``targets`` maps a year («2026») to the target value."""

    task = models.ForeignKey(RoadmapTask, on_delete=models.CASCADE, related_name="indicators",
                             verbose_name="задача")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    name = models.CharField("показатель", max_length=500)
    unit = models.CharField("единица измерения", max_length=16, choices=UNIT_CHOICES,
                            blank=True)
    direction = models.CharField("направление", max_length=16, choices=DIRECTION_CHOICES,
                                 default="increase")
    baseline = models.FloatField("базовое значение", null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("год базового значения", null=True,
                                                     blank=True)
    targets = models.JSONField("целевые значения по годам", default=dict, blank=True)
    source = models.CharField("источник данных", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "показатель дорожной карты"
        verbose_name_plural = "показатели дорожных карт"
        ordering = ["task", "position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def target_items(self) -> list[tuple[int, float]]:
        return sorted((int(year), float(value)) for year, value in (self.targets or {}).items())


class Measure(models.Model):
    task = models.ForeignKey(RoadmapTask, on_delete=models.CASCADE, related_name="measures",
                             verbose_name="задача")
    position = models.PositiveSmallIntegerField("порядок", default=0)
    title = models.CharField("мероприятие", max_length=500)
    deadline = models.DateField("срок", null=True, blank=True)
    responsible = models.ForeignKey("staff.Teacher", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name="ответственный")
    status = models.CharField("состояние", max_length=16, choices=MEASURE_STATUS_CHOICES,
                              default=PLANNED)
    done_on = models.DateField("выполнено", null=True, blank=True)
    comment = models.TextField("комментарий", blank=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "мероприятие дорожной карты"
        verbose_name_plural = "мероприятия дорожных карт"
        ordering = ["task", "position", "pk"]
        indexes = [models.Index(fields=["deadline", "status"], name="measure_deadline")]

    def __str__(self) -> str:
        return self.title

    def shown_status(self, today: dt.date) -> str:
        """The stored status, or «просрочено» for a measure not finished after its deadline."""
        if self.status in (DONE, CANCELLED):
            return self.status
        if self.deadline is not None and self.deadline < today:
            return OVERDUE
        return self.status

    def days_overdue(self, today: dt.date) -> int:
        if self.shown_status(today) != OVERDUE or self.deadline is None:
            return 0
        return (today - self.deadline).days


class MeasureEvidence(models.Model):
    """What shows a measure was carried out: a support event, a document of the school, or a note
    (a link to the school's site, an order's number)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence",
                                verbose_name="мероприятие")
    event = models.ForeignKey("support.SupportEvent", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name="мероприятие "
                                                                         "сопровождения")
    document = models.ForeignKey("programmes.ProgramDocument", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name="документ")
    note = models.CharField("подтверждение", max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+", verbose_name="кто добавил")
    added_at = models.DateTimeField("добавлено", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "подтверждение выполнения"
        verbose_name_plural = "подтверждения выполнения"
        ordering = ["measure", "added_at", "pk"]
        constraints = [models.CheckConstraint(
            condition=Q(event__isnull=False) | Q(document__isnull=False) | ~Q(note=""),
            name="evidence_says_something",
            violation_error_message="Укажите мероприятие, документ или текст подтверждения.")]

    def __str__(self) -> str:
        return self.note or str(self.event or self.document)


class RoadmapComment(models.Model):
    """A curator's (or the coordinator's) comment on a roadmap or one of its measures."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="comments",
                                verbose_name="дорожная карта")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="comments", verbose_name="мероприятие")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name="автор")
    text = models.TextField("комментарий")
    created_at = models.DateTimeField("написан", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "комментарий к дорожной карте"
        verbose_name_plural = "комментарии к дорожным картам"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class RoadmapImport(models.Model):
    """One XLSX roadmap loaded into a roadmap: all rows or none, its problems kept."""

    SUCCEEDED, FAILED = "succeeded", "failed"
    STATUS_CHOICES = [(SUCCEEDED, "загружена"), (FAILED, "отклонена")]

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="imports",
                                verbose_name="дорожная карта")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто загрузил")
    imported_at = models.DateTimeField("загружена", auto_now_add=True)
    original_name = models.CharField("имя файла", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    status = models.CharField("результат", max_length=16, choices=STATUS_CHOICES)
    counts = models.JSONField("числа", default=dict, blank=True)
    problems = models.JSONField("проблемы", default=list, blank=True)

    class Meta:
        verbose_name = "загрузка дорожной карты"
        verbose_name_plural = "загрузки дорожных карт"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
