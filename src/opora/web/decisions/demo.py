"""The demo's recommendations, meetings and plan (issue 16), after the support work: the rules
run over the demo municipality (their suggestions wait for the coordinator), a few accepted —
one done by demo-school with its evidence, one past its date —, two meetings of the working group
with «слушали / выступили / решили» and decisions, the plan of measures of the year in seed
002's form, the year's stages, and reminders (e-mail to the console in the demo).

Relative to today and written through the services, so every record has its history.
Idempotent: a municipality with a meeting is left as it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from opora.web.decisions import models as decisions
from opora.web.decisions.cycle import remind, school_year, stages_ensure
from opora.web.decisions.services import (
    decision_add,
    decision_set_status,
    item_add,
    measure_save,
    meeting_create,
    recommendation_accept,
    recommendation_close,
    recommendation_create,
    recommendations_suggest,
)
from opora.web.staff.demo import demo_municipality

#: The plan of measures, after seed 002 («План мероприятий («дорожная карта») по поддержке школ
#: с низкими результатами обучения»): section, measure, timing, (month, day) due, responsible,
#: result.
PLAN = (
    ("1. Нормативно-правовое обеспечение",
     "Актуализация муниципального плана мероприятий по поддержке ШНОР и ШНСУ", "Сентябрь",
     (9, 30), "Управление образования, методический центр", "Приказ об утверждении плана"),
    ("2. Диагностико-аналитическое обеспечение",
     "Комплексный мониторинг школ: самодиагностика, анкетирование педагогов", "Октябрь–апрель",
     (4, 30), "Методический центр, ОО", "Аналитическая справка по итогам мониторинга"),
    ("2. Диагностико-аналитическое обеспечение",
     "Разработка адресных рекомендаций по итогам мониторинга", "Май–июль", (7, 31),
     "Методический центр, стажировочные площадки ОО", "Адресные рекомендации семи адресатам"),
    ("3. Кадровое обеспечение",
     "Курсы повышения квалификации для педагогов ШНОР по предметам с низкими результатами",
     "В течение года", (6, 30), "Методический центр", "Не менее 30 % педагогов прошли КПК"),
    ("4. Сетевое взаимодействие",
     "Семинары школ-лидеров для сетевых пар", "Ноябрь, февраль", (2, 28),
     "Школы-лидеры, кураторы", "Проведено не менее двух семинаров"),
    ("5. Анализ эффективности",
     "Анализ эффективности принятых мер за год", "Август", (8, 31),
     "Управление образования", "Справка на совещание руководителей"),
)


def _due(year: int, month: int, day: int) -> dt.date:
    return dt.date(year if month >= 9 else year + 1, month, day)


def ensure_decisions_demo() -> None:
    municipality = demo_municipality()
    if municipality is None or decisions.Meeting.objects.filter(
            municipality=municipality).exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="demo-")}
    coordinator = users.get("demo-coordinator")
    if coordinator is None:
        return
    today = timezone.localdate()
    with transaction.atomic():
        recommendations_suggest(by=coordinator, municipality=municipality)
        _accept_some(coordinator, users.get("demo-school"), users.get("demo-methodist"), today)
        _meetings(coordinator, municipality, users.get("demo-methodist"), today)
        _plan(coordinator, municipality, school_year(today), today)
        stages_ensure(municipality, school_year(today))
    remind(today=today)


def _accept_some(coordinator: Any, director: Any, methodist: Any, today: dt.date) -> None:
    """A few suggestions accepted (one past its date, one to the methodical centre with the
    methodist responsible), and two recommendations to demo-school's own school written at the
    meeting — one done with evidence, one past its date — so that every login has something."""
    suggested = list(decisions.Recommendation.objects.filter(status="suggested")
                     .order_by("school__number", "rule", "pk"))
    picked = [r for r in suggested if r.school_level][:2] + \
        [r for r in suggested if r.addressee == "methodical_centre"][:1]
    deadlines = (today - dt.timedelta(days=5), today + dt.timedelta(days=45),
                 today + dt.timedelta(days=14))
    for record, deadline in zip(picked, deadlines, strict=False):
        recommendation_accept(by=coordinator, record=record, text=record.text, deadline=deadline,
                              responsible="методист по предмету" if
                              record.addressee == "methodical_centre" else
                              "заместитель директора по УВР",
                              responsible_user=methodist if
                              record.addressee == "methodical_centre" else None)
    school = _school_of(director)
    if school is None:
        return
    texts = (("teachers", f"Педагогам {school.short_name}: провести заседание ШМО по разбору "
              "заданий ВПР, выполненных хуже региона, и включить их в текущий контроль.",
              today - dt.timedelta(days=20)),
             ("school", f"Администрации {school.short_name}: организовать взаимопосещение уроков "
              "математики с педагогами школы-лидера сетевой пары.",
              today - dt.timedelta(days=3)))
    own = []
    for addressee, text, deadline in texts:
        record = recommendation_create(by=coordinator, municipality=school.municipality,
                                       addressee=addressee, text=text, school=school,
                                       year=school_year(today))
        own.append(recommendation_accept(by=coordinator, record=record, text=text,
                                         deadline=deadline,
                                         responsible="заместитель директора по УВР",
                                         responsible_user=director))
    recommendation_close(by=director, record=own[0], done=True,
                         outcome="Проведено заседание ШМО по разбору заданий, протокол № 4; "
                                 "задания включены в текущий контроль.")


def _school_of(director: Any) -> Any:
    if director is None:
        return None
    from opora.web.accounts.models import RoleAssignment

    found = RoleAssignment.objects.filter(user=director, school__isnull=False) \
        .select_related("school__municipality").first()
    return found.school if found is not None else None


def _meetings(coordinator: Any, municipality: Any, methodist: Any, today: dt.date) -> None:
    first = meeting_create(
        by=coordinator, municipality=municipality, date=today - dt.timedelta(days=75),
        kind="working_group", number="3",
        agenda="1. Итоги ГИА и ВПР школ списка. 2. Закрепление кураторов и сетевые пары.",
        attendees="Начальник управления образования, руководитель методического центра, "
                  "муниципальный координатор, кураторы, руководители школ списка")
    item = item_add(by=coordinator, meeting=first,
                    heard="Муниципального координатора об итогах ГИА и ВПР школ списка.",
                    spoke="Руководитель методического центра: предметы с низкими результатами — "
                          "математика и русский язык.",
                    decided="Принять к сведению; включить школы списка в план методического "
                            "сопровождения.")
    done = decision_add(by=coordinator, item=item, text="Утвердить план методического "
                        "сопровождения школ списка", responsible="Методический центр",
                        deadline=today - dt.timedelta(days=45), documents="приказ № 312",
                        responsible_user=methodist)
    decision_set_status(by=coordinator, decision=done, status="done",
                        note="План утверждён", documents="приказ № 312 от 15.09")
    item2 = item_add(by=coordinator, meeting=first, heard="О закреплении кураторов.",
                     decided="Закрепить кураторов за всеми школами списка.")
    decision_add(by=coordinator, item=item2, text="Подготовить приказ о закреплении кураторов",
                 responsible="Управление образования", deadline=today - dt.timedelta(days=10))
    second = meeting_create(
        by=coordinator, municipality=municipality, date=today - dt.timedelta(days=12),
        kind="directors_meeting", number="5",
        agenda="О промежуточных итогах мониторинга и адресных рекомендациях.",
        attendees="Руководители школ списка, кураторы, методисты")
    item3 = item_add(by=coordinator, meeting=second,
                     heard="Методиста об адресных рекомендациях по итогам мониторинга.",
                     decided="Школам списка рассмотреть рекомендации на педсоветах.")
    decision_add(by=coordinator, item=item3, text="Рассмотреть адресные рекомендации на "
                 "педагогических советах школ списка", responsible="Руководители школ",
                 deadline=today + dt.timedelta(days=30))


def _plan(coordinator: Any, municipality: Any, year: int, today: dt.date) -> None:
    for position, (section, measure, timing, (month, day), responsible, result) in enumerate(
            PLAN, start=1):
        due = _due(year, month, day)
        measure_save(by=coordinator, municipality=municipality, year=year, fields={
            "section": section, "position": position, "measure": measure, "timing": timing,
            "due_on": due, "responsible": responsible, "result": result,
            "status": "done" if due < today - dt.timedelta(days=30) else "planned"})


def wipe_decisions() -> None:
    for model in (decisions.Notification, decisions.Decision, decisions.MeetingItem,
                  decisions.Meeting, decisions.PlanMeasure, decisions.Recommendation,
                  decisions.CycleStage, decisions.SelfAssessment):
        model.objects.all().delete()
