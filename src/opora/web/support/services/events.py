"""Recording support events: one validation for the form, the API and the event-log import.

:func:`event_problems` says in Russian, field by field, what is wrong with an event before
anything is written: a «проведено» event dated in the future, an end before a start, a
participant from a school not involved, a postponed or cancelled event without a reason,
«другое» without its name. :func:`event_create` and :func:`event_update` refuse such data whole
(nothing is saved) and check the Viewer: a curator records events for their assigned schools
only, a methodist and the coordinator for the municipality's schools.

A participant who is at another event at the same time is not an error but a warning
(:func:`double_bookings`): the form shows it and asks to confirm.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from opora.glossary import (
    EVENT_KIND_BY_CODE,
    EVENT_STATUS_BY_CODE,
    FLAG_BY_CODE,
    RISK_FACTORS,
    support_name,
)
from opora.web.accounts.scope import Action, Viewer
from opora.web.schools.models import School
from opora.web.staff.subjects import TEACHING_SUBJECT_NAMES
from opora.web.support.models import (
    EventParticipant,
    EventSchool,
    FollowUpTask,
    SupportEvent,
)
from opora.web.support.services import audit
from opora.web.support.words import counted

_RISKS = {r.code for r in RISK_FACTORS}
NOT_YOURS = ("школа {name} не закреплена за вами: записывать мероприятия можно только для своих "
             "школ")
MOVED = ("postponed", "cancelled")


@dataclass
class EventData:
    """An event as entered (the form, the API, a row of the event log), before validation."""

    kind: str
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str = "planned"
    organiser_kind: str = ""
    schools: list[School] = field(default_factory=list)
    participants: list[Any] = field(default_factory=list)  # staff.Teacher
    kind_name: str = ""
    online: bool = False
    place: str = ""
    status_reason: str = ""
    organiser: Any = None
    organiser_school: School | None = None
    subjects: list[str] = field(default_factory=list)
    risk_factors: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    outcome: str = ""
    agreements: str = ""

    def fields(self) -> dict[str, Any]:
        """The event's own columns (not its schools and participants)."""
        names = ("kind", "topic", "starts_at", "ends_at", "status", "organiser_kind",
                 "kind_name", "online", "place", "status_reason", "organiser",
                 "organiser_school", "subjects", "risk_factors", "flags", "outcome", "agreements")
        return {name: getattr(self, name) for name in names}


def _when(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def event_problems(data: EventData, *, now: dt.datetime | None = None) -> dict[str, list[str]]:
    """Field → Russian messages; empty when the event may be recorded."""
    now = now or timezone.now()
    found: dict[str, list[str]] = defaultdict(list)
    kind = EVENT_KIND_BY_CODE.get(data.kind)
    if kind is None:
        found["kind"].append("Выберите вид мероприятия из списка.")
    elif kind.named and not data.kind_name.strip():
        found["kind_name"].append("Для вида «Другое» укажите, что это за мероприятие.")
    if not data.topic.strip():
        found["topic"].append("Укажите тему.")
    if data.ends_at < data.starts_at:
        found["ends_at"].append(f"Окончание ({_when(data.ends_at)}) раньше начала "
                                f"({_when(data.starts_at)}).")
    status = EVENT_STATUS_BY_CODE.get(data.status)
    if status is None:
        found["status"].append("Выберите состояние из списка.")
    elif status.held and data.starts_at > now:
        found["status"].append(f"Мероприятие ещё не началось ({_when(data.starts_at)}) — оно не "
                               f"может быть «{status.name_ru.lower()}». Выберите "
                               "«Запланировано» или исправьте дату.")
    elif status.needs_reason and not data.status_reason.strip():
        found["status_reason"].append(f"Укажите причину: «{status.name_ru}».")
    if not data.online and not data.place.strip():
        found["place"].append("Укажите место проведения или отметьте «онлайн».")
    _organiser_problems(data, found)
    _school_problems(data, found)
    _list_problems(data, found)
    return dict(found)


def _organiser_problems(data: EventData, found: dict[str, list[str]]) -> None:
    if data.organiser_kind not in ("curator", "methodist", "coordinator", "leader_school"):
        found["organiser_kind"].append("Выберите, кто организует мероприятие.")
    elif data.organiser_kind == "leader_school" and data.organiser_school is None:
        found["organiser_school"].append("Укажите школу-лидера, которая проводит мероприятие.")


def _school_problems(data: EventData, found: dict[str, list[str]]) -> None:
    if not data.schools:
        found["schools"].append("Укажите хотя бы одну школу, для которой проводится "
                                "мероприятие.")
        return
    towns = {s.municipality_id for s in data.schools}
    if data.organiser_school is not None:
        towns.add(data.organiser_school.municipality_id)
    if len(towns) > 1:
        found["schools"].append("Школы мероприятия — из разных муниципалитетов: мероприятие "
                                "записывается в одном муниципалитете.")
    involved = {s.pk for s in data.schools}
    day = timezone.localtime(data.starts_at).date()
    for teacher in data.participants:
        if teacher.school_id not in involved:
            found["participants"].append(
                f"{teacher.name} — педагог школы {teacher.school.short_name}, которая не "
                "участвует в мероприятии: добавьте школу или уберите педагога.")
        elif teacher.active_to is not None and teacher.active_to < day:
            found["participants"].append(
                f"{teacher.name} не работает в школе с {teacher.active_to:%d.%m.%Y}.")


def _list_problems(data: EventData, found: dict[str, list[str]]) -> None:
    unknown = [s for s in data.subjects if s not in TEACHING_SUBJECT_NAMES]
    if unknown:
        found["subjects"].append(f"Неизвестные предметы: {', '.join(unknown)}.")
    if any(r not in _RISKS for r in data.risk_factors):
        found["risk_factors"].append("Выберите факторы риска из списка.")
    if any(f not in FLAG_BY_CODE for f in data.flags):
        found["flags"].append("Выберите отметки из списка.")


def require_schools(viewer: Viewer, schools: list[School]) -> None:
    """403 unless the viewer may record events for every school (a curator: assigned ones)."""
    for school in schools:
        if not viewer.may(Action.RECORD_EVENT, school):
            raise PermissionDenied(NOT_YOURS.format(name=school.short_name).capitalize() + ".")


def double_bookings(data: EventData, *, exclude: SupportEvent | None = None) -> list[str]:
    """Warnings: a participant is at another event (not postponed or cancelled) at this time."""
    ids = [t.pk for t in data.participants]
    if not ids or data.status in MOVED:
        return []
    rows = (EventParticipant.objects.filter(
        teacher_id__in=ids, event__starts_at__lt=data.ends_at, event__ends_at__gt=data.starts_at)
        .exclude(event__status__in=MOVED).select_related("teacher", "event")
        .order_by("event__starts_at", "teacher__name"))
    if exclude is not None:
        rows = rows.exclude(event=exclude)
    return [f"{p.teacher.name} в это время участвует в мероприятии «{p.event.topic}» "
            f"({_when(p.event.starts_at)}–{timezone.localtime(p.event.ends_at):%H:%M})"
            for p in rows[:20]]


def _refuse(data: EventData) -> None:
    problems = event_problems(data)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def event_create(*, by: Any, data: EventData, imported: Any = None) -> SupportEvent:
    """Record an event with its schools and participants, or refuse it whole."""
    require_schools(Viewer.of(by), data.schools)
    _refuse(data)
    event = SupportEvent(municipality_id=data.schools[0].municipality_id, created_by=by,
                         imported=imported, **data.fields())
    event.full_clean()
    audit(event, by)
    event.save()
    _set_schools(event, data, by)
    _set_participants(event, data, by)
    return event


@transaction.atomic
def event_update(*, by: Any, event: SupportEvent, data: EventData) -> SupportEvent:
    """Change an event; schools and participants taken away are removed (history keeps them)."""
    viewer = Viewer.of(by)
    viewer.require(Action.EDIT_EVENT, event, "Изменить мероприятие может тот, кто его записал, "
                                             "методист или координатор муниципалитета.")
    require_schools(viewer, [s for s in data.schools if s.pk not in event.school_ids])
    _refuse(data)
    for name, value in data.fields().items():
        setattr(event, name, value)
    event.full_clean()
    audit(event, by)
    event.save()
    _set_schools(event, data, by)
    _set_participants(event, data, by)
    return event


def _set_schools(event: SupportEvent, data: EventData, by: Any) -> None:
    wanted = {s.pk for s in data.schools}
    for link in EventSchool.objects.filter(event=event).exclude(school_id__in=wanted):
        audit(link, by)
        link.delete()
    have = set(EventSchool.objects.filter(event=event).values_list("school_id", flat=True))
    for school_id in sorted(wanted - have):
        link = EventSchool(event=event, school_id=school_id)
        audit(link, by)
        link.save()


def _set_participants(event: SupportEvent, data: EventData, by: Any) -> None:
    wanted = {t.pk: t for t in data.participants}
    for row in EventParticipant.objects.filter(event=event).exclude(teacher_id__in=wanted):
        audit(row, by)
        row.delete()
    have = set(EventParticipant.objects.filter(event=event).values_list("teacher_id", flat=True))
    for teacher_id in sorted(set(wanted) - have):
        row = EventParticipant(event=event, teacher_id=teacher_id,
                               school_id=wanted[teacher_id].school_id)
        audit(row, by)
        row.save()


@transaction.atomic
def attendance_confirm(*, by: Any, event: SupportEvent, school: School,
                       present: set[int]) -> int:
    """The school administrator marks which of their teachers took part (the others: absent).
    Only for an event that took place. Returns how many participants were marked."""
    Viewer.of(by).require(Action.CONFIRM_ATTENDANCE, school,
                          "Присутствие педагогов подтверждает руководитель их школы.")
    status = EVENT_STATUS_BY_CODE[event.status]
    if not status.held:
        raise ValidationError(f"Мероприятие «{status.name_ru.lower()}»: присутствие "
                              "подтверждается после того, как оно проведено.")
    now, marked = timezone.now(), 0
    for row in EventParticipant.objects.filter(event=event, school=school):
        row.attended = row.pk in present
        row.confirmed_by, row.confirmed_at = by, now
        audit(row, by)
        row.save()
        marked += 1
    return marked


@transaction.atomic
def task_add(*, by: Any, event: SupportEvent, text: str, due_on: dt.date,
             responsible: str = "") -> FollowUpTask:
    Viewer.of(by).require(Action.EDIT_EVENT, event)
    if not text.strip():
        raise ValidationError({"text": "Опишите, что нужно сделать."})
    if due_on < timezone.localtime(event.starts_at).date():
        raise ValidationError({"due_on": "Срок задачи раньше самого мероприятия."})
    task = FollowUpTask(event=event, text=text.strip(), due_on=due_on,
                        responsible=responsible.strip())
    task.full_clean()
    audit(task, by)
    task.save()
    return task


@transaction.atomic
def task_done(*, by: Any, task: FollowUpTask, done_on: dt.date | None = None) -> FollowUpTask:
    Viewer.of(by).require(Action.EDIT_EVENT, task.event)
    task.done_on = done_on or timezone.localdate()
    audit(task, by)
    task.save()
    return task


def participants_word(count: int) -> str:
    return counted(count, "педагог", "педагога", "педагогов")


def risk_names(codes: list[str]) -> list[str]:
    return [support_name(RISK_FACTORS, c) for c in codes]
