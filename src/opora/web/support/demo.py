"""The demo's support work: a year of it for the demo municipality, so every page has something
real and every demo login something to do (issue 14).

Curators for the schools of the official list (demo-curator takes three of them, named curators
the others; one curatorship ended and handed over, kept in history), the official run's proposed
network pairs partly accepted (the rest wait for the coordinator's «Принять»), three communities,
a few mentorships, and ≈ 300 support events from a year ago to a month ahead: curators' visits,
consultations and coaching, methodists' landings, seminars, webinars, round tables, master
classes and open lessons at leader schools — mostly held, some remotely, some postponed or
cancelled with a reason, the coming ones planned; attendance confirmed for most, the last days'
left for demo-school to confirm; a school or two without help for more than 60 days.

Deterministic (one seed) and relative to today; written through the services the pages call, so
every record has its history. Idempotent: a municipality with events is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from opora.web.analysis.models import RunPair
from opora.web.analysis.official import official_list
from opora.web.schools.models import Municipality, School
from opora.web.staff.demo import demo_municipality
from opora.web.staff.models import Teacher
from opora.web.support import models as support
from opora.web.support.services.assignments import (
    community_create,
    community_join,
    curatorship_end,
    curatorship_start,
    mentorship_start,
    pair_accept,
)
from opora.web.support.services.events import EventData, event_create, task_add, task_done

_CURATORS = (("demo-curator-2", "Григорьева", "Марина Викторовна"),
             ("demo-curator-3", "Смирнова", "Светлана Анатольевна"),
             ("demo-curator-4", "Телятников", "Александр Юрьевич"),
             ("demo-curator-5", "Осипова", "Людмила Александровна"))
_VISIT_TOPICS = ("Посещение уроков математики: работа с дефицитами по итогам ВПР",
                 "Анализ результатов ВПР и корректировка рабочих программ",
                 "Объективность оценивания: посещение уроков, экспертиза контрольных работ",
                 "Мониторинг выполнения дорожной карты школы",
                 "Работа с обучающимися группы риска по русскому языку",
                 "Организация внутришкольной системы профессионального развития",
                 "Подготовка к ОГЭ по математике: индивидуальные планы")
_GROUP = (("seminar", "Формирующее оценивание на уроке"),
          ("seminar", "Функциональная грамотность: задания PISA-типа в 5–7 классах"),
          ("webinar", "Анализ результатов ВПР: от данных к управленческим решениям"),
          ("webinar", "Объективность проведения и проверки ВПР"),
          ("round_table", "Круглый стол заместителей по УВР: итоги четверти"),
          ("master_class", "Приёмы смыслового чтения на уроках истории"),
          ("open_lesson", "Открытый урок алгебры: дифференцированные задания"),
          ("foresight_session", "Как школе работать, чтобы достичь высокого качества"),
          ("world_cafe", "Мотивация обучающихся: что работает в наших школах"),
          ("internship_site", "Стажёрская площадка: индивидуальные образовательные маршруты"))
_OUTCOMES = ("Посещено 3 урока, проведён разбор с учителями; дефициты — в планировании "
             "дифференцированной работы.",
             "Обсуждены результаты ВПР по классам, выделены темы для повторения.",
             "Проведена экспертиза рабочих программ; замечания переданы заместителю по УВР.",
             "Участники отработали приёмы на практике, обменялись материалами.")
_AGREEMENTS = ("Заместителю по УВР — скорректировать план ВШК до конца месяца.",
               "Учителям — подготовить банк заданий по выявленным дефицитам.",
               "Провести повторный визит после контрольной работы.",
               "Школе — направить двух учителей на курсы по формирующему оцениванию.")
TARGET = 300  # events of the demo year (issue 14: «≈ 300 events»)
_REASONS = ("карантин по гриппу в школе", "болезнь ведущего", "совпало с ВПР по графику",
            "перенос по просьбе школы")


def ensure_support_demo(*, today: dt.date | None = None, seed: int = 14) -> int:
    """A year of support work for the demo municipality unless it has events; events made."""
    municipality = demo_municipality()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=(
        "demo-coordinator", "demo-methodist", "demo-curator", "demo-school"))}
    if municipality is None or len(users) < 4 or \
            support.SupportEvent.objects.filter(municipality=municipality).exists():
        return 0
    approved = official_list(municipality)
    if approved is None:
        return 0
    system = [i.school for i in approved.inclusions.select_related("school")
              .order_by("school__number", "school__pk")]
    if not system:
        return 0
    plan = _Demo(municipality, system, users, today or timezone.localdate(), seed)
    with transaction.atomic():
        plan.assign()
        return plan.events()


def wipe_support() -> None:
    """Every support record (before the schools and teachers they hold on to)."""
    for model in (support.SupportEvent, support.EventImport, support.CalendarFeed,
                  support.CommunityMember, support.Community, support.Mentorship,
                  support.NetworkPair, support.Curatorship):
        model.objects.all().delete()


def _sept1(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 9 else day.year - 1, 9, 1)


class _Demo:
    def __init__(self, municipality: Municipality, system: list[School], users: dict[str, Any],
                 today: dt.date, seed: int) -> None:
        self.town, self.system, self.today = municipality, system, today
        self.rng = random.Random(seed)
        self.coordinator, self.methodist = users["demo-coordinator"], users["demo-methodist"]
        self.curator, self.admin = users["demo-curator"], users["demo-school"]
        self.start = _sept1(today - dt.timedelta(days=365))
        self.own_school = next(a.school for a in self.admin.role_assignments.all())
        ids = {s.pk for s in system}
        self.leaders = list(municipality.schools.exclude(pk__in=ids).order_by("number", "pk"))
        self.teachers: dict[int, list[Teacher]] = defaultdict(list)
        for t in Teacher.objects.filter(school__municipality=municipality,
                                        active_to__isnull=True).select_related("school"):
            self.teachers[t.school_id].append(t)
        self.curator_of: dict[int, Any] = {}

    # --- assignments -------------------------------------------------------------------------

    def assign(self) -> None:
        model = get_user_model()
        others = []
        for username, last, first in _CURATORS:
            user = model.objects.filter(username=username).first()
            if user is None:
                user = model.objects.create_user(username, password=None, last_name=last,
                                                 first_name=first)
            others.append(user)
        own = [a.school for a in self.curator.role_assignments.select_related("school")
               if a.school is not None]  # demo-curator's schools (prepare_demo's users)
        rest = [s for s in self.system if s not in own]
        for index, school in enumerate([*own, *rest]):
            curator = self.curator if school in own else others[index // 3 % len(others)]
            self.curator_of[school.pk] = curator
            handover = index == len(own)  # handed over in winter: the first one stays in history
            started = self.start + dt.timedelta(days=120) if handover else self.start
            if handover:
                handed = curatorship_start(by=self.coordinator, curator=others[-1],
                                           school=school, started_on=self.start,
                                           basis="приказ УО № 212")
                curatorship_end(by=self.coordinator, curatorship=handed,
                                ended_on=started - dt.timedelta(days=1),
                                reason="куратор назначен в другую школу")
            curatorship_start(by=self.coordinator, curator=curator, school=school,
                              started_on=started, basis="приказ УО от 01.09 № 245")
        approved = official_list(self.town)
        proposals = list(RunPair.objects.filter(run_id=approved.run_id if approved else None)
                         .order_by("low_school__number", "pk"))
        for proposal in proposals[: max(1, (len(proposals) - 1) * 2 // 3)]:  # some left to accept
            pair_accept(by=self.coordinator, run_pair=proposal,
                        agreed_on=self.start + dt.timedelta(days=20),
                        basis="соглашение о сетевом взаимодействии")
        self._communities()
        self._mentors()

    def _subject_teachers(self, subject: str, schools: list[School], each: int) -> list[Teacher]:
        found = []
        for school in schools:
            found += [t for t in self.teachers[school.pk] if subject in t.subjects][:each]
        return found

    def _communities(self) -> None:
        begin = self.start + dt.timedelta(days=10)
        everyone = [*self.system, *self.leaders]
        for name, kind, subject in (("ГМО учителей математики", "gmo", "math"),
                                    ("Сообщество учителей русского языка и литературы",
                                     "subject_community", "rus")):
            members = self._subject_teachers(subject, everyone[:12], 1)
            if not members:
                continue
            group = community_create(by=self.methodist, municipality=self.town, name=name,
                                     kind=kind, subject=subject, started_on=begin,
                                     leader=members[-1])
            for teacher in members[:-1]:
                community_join(by=self.methodist, community=group, teacher=teacher,
                               joined_on=begin)
        deputies = [t for s in self.system for t in self.teachers[s.pk]
                    if t.position == "deputy_academic"][:12]
        if deputies:
            team = community_create(by=self.coordinator, municipality=self.town,
                                    name="Управленческие команды школ с низкими результатами",
                                    kind="management_team", started_on=begin, leader=deputies[0])
            for teacher in deputies[1:]:
                community_join(by=self.coordinator, community=team, teacher=teacher,
                               joined_on=begin)

    def _mentors(self) -> None:
        young = [t for s in self.system for t in self.teachers[s.pk]
                 if t.position == "teacher" and (t.experience_years or 0) <= 3][:6]
        for mentee in young:
            subject = mentee.subjects[0] if mentee.subjects else ""
            mentors = [t for s in [mentee.school, *self.leaders[:6]] for t in self.teachers[s.pk]
                       if t.pk != mentee.pk and subject in t.subjects
                       and (t.experience_years or 0) >= 10]
            if mentors:
                mentorship_start(by=self.coordinator, mentor=self.rng.choice(mentors),
                                 mentee=mentee, started_on=self.start + dt.timedelta(days=30),
                                 basis="приказ школы о наставничестве")

    # --- events ------------------------------------------------------------------------------

    def events(self) -> int:
        made = 0
        quiet = {s.pk for s in self.system[-2:]} if len(self.system) > 4 else set()
        last = self.today + dt.timedelta(days=30)
        schools = self.curator_of_schools()
        # ≈ TARGET events in all: ~50 gatherings, a landing per school, the rest visits
        visits = max(len(schools), TARGET - 50 - len(schools))
        every = max(14, (last - self.start).days * len(schools) // visits)
        for index, school in enumerate(schools):
            stop = self.today - dt.timedelta(days=75) if school.pk in quiet else last
            day = self.start + dt.timedelta(days=self.rng.randint(3, 30))
            while day <= stop:
                made += self._visit(school, day)
                day += dt.timedelta(days=self.rng.randint(every * 4 // 5, every * 6 // 5))
            landing = self.start + dt.timedelta(days=50 if index % 2 else 200)
            if landing <= stop:
                made += self._one("methodical_landing", "Методический десант: урок с позиции "
                                  "ученика", [school], landing, self.methodist, "methodist")
        day = self.start + dt.timedelta(days=7)
        while day <= last:
            made += self._group(day, quiet)
            day += dt.timedelta(days=self.rng.randint(6, 10))
        made += self._for_demo_school()
        return made

    def curator_of_schools(self) -> list[School]:
        """Every school with a curator, in the order they were assigned."""
        schools = {s.pk: s for s in self.system}
        for a in self.curator.role_assignments.select_related("school"):
            if a.school is not None:
                schools.setdefault(a.school_id, a.school)
        return [schools[pk] for pk in self.curator_of if pk in schools]

    def _status(self, start: dt.datetime) -> tuple[str, str]:
        if start > timezone.now():
            return "planned", ""
        roll = self.rng.random()
        if roll < 0.05:
            return "postponed", self.rng.choice(_REASONS)
        if roll < 0.09:
            return "cancelled", self.rng.choice(_REASONS)
        return ("held_remote" if roll < 0.16 else "held"), ""

    def _participants(self, school: School, subject: str, count: int) -> list[Teacher]:
        staff = self.teachers[school.pk]
        fitting = [t for t in staff if subject and subject in t.subjects] or \
            [t for t in staff if t.position in ("teacher", "deputy_academic")]
        return self.rng.sample(fitting, min(count, len(fitting)))

    def _visit(self, school: School, day: dt.date) -> int:
        kind = self.rng.choices(("monitoring_visit", "consultation", "coaching"), (6, 3, 1))[0]
        return self._one(kind, self.rng.choice(_VISIT_TOPICS), [school], day,
                         self.curator_of[school.pk], "curator", subject="math", tasks=True)

    def _group(self, day: dt.date, quiet: set[int]) -> int:
        kind, topic = self.rng.choice(_GROUP)
        pool = [s for s in self.system if s.pk not in quiet or day < self.today - dt.timedelta(
            days=75)]
        schools = self.rng.sample(pool, min(len(pool), self.rng.randint(2, 5)))
        if self.leaders and kind in ("master_class", "open_lesson", "internship_site"):
            host = self.rng.choice(self.leaders[:8])
            return self._one(kind, topic, [*schools, host], day, self.methodist,
                             "leader_school", host=host)
        if self.rng.random() < 0.3 and self.own_school not in schools:
            schools.append(self.own_school)
        by, organiser = (self.coordinator, "coordinator") if kind == "round_table" \
            else (self.methodist, "methodist")
        return self._one(kind, topic, schools, day, by, organiser)

    def _for_demo_school(self) -> int:
        """Two held seminars of the last days whose attendance demo-school has yet to confirm."""
        made = 0
        for back in (2, 6):
            day = self.today - dt.timedelta(days=back)
            made += self._one("seminar", "Школа молодого педагога: организация урока",
                              [self.own_school, self.system[0]], day, self.methodist,
                              "methodist", confirm=False, status=("held", ""))
        return made

    def _one(self, kind: str, topic: str, schools: list[School], day: dt.date, by: Any,
             organiser: str, *, subject: str = "", host: School | None = None,
             tasks: bool = False, confirm: bool = True,
             status: tuple[str, str] | None = None) -> int:
        hour = self.rng.choice((9, 10, 11, 13, 14, 15))
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
        code, reason = status or self._status(start)
        if kind == "webinar" and code == "held":
            code = "held_remote"
        online = code == "held_remote" or kind == "webinar"
        people = [t for s in schools for t in self._participants(
            s, subject, self.rng.randint(1, 4 if len(schools) < 3 else 2))]
        held = code in ("held", "held_remote")
        event = event_create(by=by, data=EventData(
            kind=kind, topic=topic, starts_at=start,
            ends_at=start + dt.timedelta(minutes=self.rng.choice((60, 90, 120))), status=code,
            status_reason=reason, online=online,
            place="" if online else f"{(host or schools[0]).short_name}, каб. "
                                    f"{self.rng.randint(1, 40)}",
            organiser_kind=organiser, organiser=by if organiser != "leader_school" else None,
            organiser_school=host, schools=schools, participants=people,
            subjects=[subject] if subject else [], flags=["low_results"] if held else [],
            outcome=self.rng.choice(_OUTCOMES) if held else "",
            agreements=self.rng.choice(_AGREEMENTS) if held else ""))
        if held and confirm and self.rng.random() < 0.88:
            self._confirm(event)
        if held and tasks:
            self._tasks(event, by, day)
        return 1

    def _confirm(self, event: support.SupportEvent) -> None:
        now = timezone.now()
        for row in event.participants.all():
            row.attended = self.rng.random() < 0.9
            row.confirmed_by = self.admin if row.school_id == self.own_school.pk \
                else self.coordinator
            row.confirmed_at = now
            row._history_user = row.confirmed_by  # type: ignore[attr-defined]
            row.save()

    def _tasks(self, event: support.SupportEvent, by: Any, day: dt.date) -> None:
        for text in self.rng.sample(_AGREEMENTS, self.rng.randint(1, 2)):
            due = day + dt.timedelta(days=self.rng.randint(14, 30))
            task = task_add(by=by, event=event, text=text, due_on=due,
                            responsible="заместитель директора по УВР")
            if due < self.today and self.rng.random() < 0.8:
                task_done(by=by, task=task, done_on=due - dt.timedelta(days=2))
