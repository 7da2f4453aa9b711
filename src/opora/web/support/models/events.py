"""Support events: what was done for which schools, with whom, what came of it.

An event belongs to a municipality and involves one or more of its schools (:class:`EventSchool`);
its participants are teachers of those schools, whose attendance their school administrator
confirms (:class:`EventParticipant`). The outcome, agreements, follow-up tasks with deadlines and
attachments (a protocol, photos) are the evidence the seeds' reports are written from. A wrong
event is not deleted but cancelled or corrected: every change is kept by simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from opora.glossary import EVENT_KIND_BY_CODE, EVENT_KINDS, EVENT_STATUSES, ORGANISER_KINDS
from opora.numbers import number

KIND_CHOICES = [(k.code, k.name_ru) for k in EVENT_KINDS]
STATUS_CHOICES = [(s.code, s.name_ru) for s in EVENT_STATUSES]
ORGANISER_CHOICES = [(o.code, o.name_ru) for o in ORGANISER_KINDS]
NEEDS_REASON = [s.code for s in EVENT_STATUSES if s.needs_reason]


class SupportEvent(models.Model):
    """One support event (мониторинговый визит, семинар, консультация …)."""

    municipality = models.ForeignKey("schools.Municipality", on_delete=models.PROTECT,
                                     related_name="+", verbose_name="муниципалитет")
    kind = models.CharField("вид", max_length=32, choices=KIND_CHOICES)
    kind_name = models.CharField("название вида", max_length=200, blank=True,
                                 help_text="для вида «Другое»")
    topic = models.CharField("тема", max_length=300)
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание")
    online = models.BooleanField("онлайн", default=False)
    place = models.CharField("место", max_length=300, blank=True)
    status = models.CharField("состояние", max_length=16, choices=STATUS_CHOICES,
                              default="planned")
    status_reason = models.CharField("причина", max_length=500, blank=True,
                                     help_text="почему перенесено или отменено")
    organiser_kind = models.CharField("организатор", max_length=16, choices=ORGANISER_CHOICES)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name="кто проводит")
    organiser_school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+",
                                         verbose_name="школа-лидер")
    subjects = models.JSONField("предметы", default=list, blank=True)
    risk_factors = models.JSONField("факторы риска", default=list, blank=True)
    flags = models.JSONField("отметки школ", default=list, blank=True,
                             help_text="на какие отметки (ШНОР, необъективность …) направлено")
    outcome = models.TextField("итоги", blank=True)
    agreements = models.TextField("договорённости", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="кто записал")
    created_at = models.DateTimeField("записано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    imported = models.ForeignKey("support.EventImport", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="events", verbose_name="загрузка")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")),
                                   name="event_ends_after_start",
                                   violation_error_message="Окончание раньше начала."),
            models.CheckConstraint(condition=~Q(status__in=NEEDS_REASON) | ~Q(status_reason=""),
                                   name="event_reason_when_moved",
                                   violation_error_message="Укажите причину переноса или "
                                                           "отмены."),
            models.CheckConstraint(condition=~Q(kind="other") | ~Q(kind_name=""),
                                   name="event_other_is_named",
                                   violation_error_message="Для вида «Другое» укажите "
                                                           "название."),
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"], name="event_town_start"),
                   models.Index(fields=["starts_at"], name="event_start")]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.topic}"

    @property
    def kind_label(self) -> str:
        """The kind's name; «другое» by its own name."""
        if self.kind == "other" and self.kind_name:
            return self.kind_name
        found = EVENT_KIND_BY_CODE.get(self.kind)
        return found.name_ru if found else self.kind

    @property
    def school_ids(self) -> set[int]:
        """The schools involved (from the prefetched ``event_schools`` when there are)."""
        return {link.school_id for link in self.event_schools.all()}


class EventSchool(models.Model):
    event = models.ForeignKey(SupportEvent, on_delete=models.CASCADE,
                              related_name="event_schools", verbose_name="мероприятие")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "школа мероприятия"
        verbose_name_plural = "школы мероприятий"
        constraints = [models.UniqueConstraint(fields=["event", "school"],
                                               name="event_school_once")]
        indexes = [models.Index(fields=["school", "event"], name="event_school_by_school")]

    def __str__(self) -> str:
        return str(self.school)


class EventParticipant(models.Model):
    """A teacher at an event. ``attended``: empty — not yet confirmed; true / false — the school
    administrator (or the coordinator) said whether they took part."""

    event = models.ForeignKey(SupportEvent, on_delete=models.CASCADE, related_name="participants",
                              verbose_name="мероприятие")
    teacher = models.ForeignKey("staff.Teacher", on_delete=models.PROTECT, related_name="+",
                                verbose_name="педагог")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+",
                               verbose_name="школа")  # the teacher's, for scope and coverage
    attended = models.BooleanField("присутствовал(а)", null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name="кто подтвердил")
    confirmed_at = models.DateTimeField("подтверждено", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "участник мероприятия"
        verbose_name_plural = "участники мероприятий"
        constraints = [models.UniqueConstraint(fields=["event", "teacher"],
                                               name="participant_once")]
        indexes = [models.Index(fields=["school", "event"], name="participant_by_school"),
                   models.Index(fields=["teacher", "event"], name="participant_by_teacher")]

    def __str__(self) -> str:
        return str(self.teacher)


class FollowUpTask(models.Model):
    """What was agreed to be done after the event, by whom, by when."""

    event = models.ForeignKey(SupportEvent, on_delete=models.CASCADE, related_name="tasks",
                              verbose_name="мероприятие")
    text = models.CharField("что сделать", max_length=500)
    responsible = models.CharField("ответственный", max_length=200, blank=True)
    due_on = models.DateField("срок")
    done_on = models.DateField("выполнено", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "задача по итогам"
        verbose_name_plural = "задачи по итогам"
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class EventAttachment(models.Model):
    """A file of the event: a protocol, a presentation, photos. Served only through the event's
    page to those who see the event (:mod:`opora.web.support.views.events`)."""

    event = models.ForeignKey(SupportEvent, on_delete=models.CASCADE,
                              related_name="attachments", verbose_name="мероприятие")
    file = models.FileField("файл", upload_to="support/%Y/%m/")
    original_name = models.CharField("имя файла", max_length=255)
    file_type = models.CharField("тип", max_length=8)
    size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name="кто загрузил")
    uploaded_at = models.DateTimeField("загружено", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "файл мероприятия"
        verbose_name_plural = "файлы мероприятий"
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def size_text(self) -> str:
        """«12,3 КБ», «1,5 МБ»."""
        if self.size >= 1024 * 1024:
            return f"{number(self.size / 1024 / 1024, 1)} МБ"
        return f"{number(self.size / 1024, 1)} КБ"
