"""The demo's school programmes (issue 15): the 500+ cycle halfway through, so every page has
something real and every demo login something to do.

- risk profiles of every demo school for last year and this year (the schools of the official
  list riskier; the profile changes between the years);
- one document campaign «Концептуальные документы <год>» for the schools of the official list and
  demo-school's school, its deadline ten days ahead: about half the schools have uploaded, some
  documents are on review, one was returned and uploaded again, one accepted;
- a roadmap for each of these schools (programme period this year to two years ahead): two
  problems linked to their high factors, goals, tasks, an indicator per task and 20 measures in
  every state (done with evidence, in progress, planned, overdue, cancelled); most approved, a
  few sent for review;
- a roadmap review campaign halfway: demo-curator assigned, some sheets filled (one with a
  disagreement of two points), one round returned for revision with comments.

Deterministic (one seed) and relative to today; written through the services the pages call, so
every record has its history. Idempotent: a municipality with risk profiles is left as it is.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from opora.glossary import risk_catalogue
from opora.web.analysis.official import official_list
from opora.web.programmes import models as programmes
from opora.web.programmes.models import ReviewItem, RiskProfile, Roadmap
from opora.web.programmes.services.documents import campaign_create, document_upload
from opora.web.programmes.services.profiles import FactorValue, profile_save
from opora.web.programmes.services.reviews import (
    decide,
    review_campaign_create,
    reviewer_assign,
    sheet_save,
)
from opora.web.programmes.services.roadmap_versions import roadmap_approve
from opora.web.programmes.services.roadmaps import (
    goal_save,
    indicator_save,
    measure_progress,
    measure_save,
    problem_save,
    roadmap_create,
    roadmap_submit,
    task_save,
)
from opora.web.schools.models import Municipality, School
from opora.web.staff.demo import demo_municipality
from opora.web.staff.models import Teacher

_SLOTS = ["development_concept", "midterm_programme", "antirisk_programme:low_motivation"]
_PDF = b"%PDF-1.4\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_PROBLEMS = {
    "low_motivation": ("Низкая учебная мотивация обучающихся 7–9 классов",
                       "Повысить учебную мотивацию обучающихся",
                       ("Вовлечь обучающихся во внеурочную деятельность",
                        "Доля обучающихся, занятых во внеурочной деятельности", "percent",
                        40.0, (50.0, 60.0, 70.0)),
                       ("Ввести индивидуальные образовательные маршруты",
                        "Число обучающихся с индивидуальным маршрутом", "persons", 5.0,
                        (15.0, 25.0, 35.0))),
    "low_teacher_competence": ("Дефициты предметных и методических компетенций учителей",
                               "Повысить профессиональные компетенции учителей",
                               ("Организовать адресное повышение квалификации",
                                "Доля учителей, прошедших адресное повышение квалификации",
                                "percent", 20.0, (45.0, 70.0, 90.0)),
                               ("Развить внутришкольное методическое сопровождение",
                                "Число открытых уроков с методическим разбором", "units", 4.0,
                                (10.0, 14.0, 18.0))),
    "academic_failure_risk": ("Высокая доля обучающихся с рисками учебной неуспешности",
                              "Снизить долю обучающихся с рисками учебной неуспешности",
                              ("Выявлять дефициты по итогам ВПР и текущего контроля",
                               "Доля обучающихся с неудовлетворительными результатами ВПР",
                               "percent", 24.0, (20.0, 16.0, 12.0)),
                              ("Организовать адресную помощь обучающимся группы риска",
                               "Число обучающихся, получающих адресную помощь", "persons", 10.0,
                               (30.0, 40.0, 45.0))),
}
_MEASURES = ("Провести педагогический совет по итогам анализа рискового профиля",
             "Утвердить план работы школьного методического объединения",
             "Провести входную диагностику обучающихся",
             "Организовать консультации для обучающихся группы риска",
             "Провести открытые уроки с методическим разбором",
             "Организовать посещение уроков администрацией с обратной связью",
             "Провести родительское собрание по итогам диагностики",
             "Организовать работу кружков и секций",
             "Провести мониторинг выполнения индивидуальных маршрутов",
             "Подвести итоги и скорректировать план")
_STATES = ("done", "done", "done", "done", "done", "done", "in_progress", "in_progress",
           "in_progress", "overdue", "overdue", "planned", "planned", "planned", "planned",
           "planned", "planned", "planned", "cancelled", "done")


def ensure_programmes_demo(*, today: dt.date | None = None, seed: int = 15) -> int:
    """The demo municipality's programmes unless it has risk profiles; roadmaps made."""
    municipality = demo_municipality()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=(
        "demo-coordinator", "demo-curator", "demo-methodist", "demo-school"))}
    if municipality is None or len(users) < 4 or RiskProfile.objects.filter(
            school__municipality=municipality).exists():
        return 0
    plan = _Demo(municipality, users, today or timezone.localdate(), seed)
    with transaction.atomic():
        return plan.make()


def wipe_programmes() -> None:
    """Every programme record (before the schools, teachers and users they hold on to)."""
    for model in (programmes.ReviewScore, programmes.ReviewAssignment, programmes.ReviewItem,
                  programmes.ReviewCampaign, programmes.RubricCriterion, programmes.Rubric,
                  programmes.MeasureEvidence, programmes.RoadmapComment, programmes.Measure,
                  programmes.RoadmapIndicator, programmes.RoadmapTask, programmes.RoadmapGoal,
                  programmes.RoadmapProblem, programmes.RoadmapVersion,
                  programmes.RoadmapImport, programmes.Roadmap, programmes.ReminderSent,
                  programmes.DocumentVersion, programmes.ProgramDocument,
                  programmes.CampaignSchool, programmes.DocumentCampaign,
                  programmes.RiskFactorLevel, programmes.RiskProfile,
                  programmes.RiskProfileImport):
        model.objects.all().delete()


class _Demo:
    def __init__(self, town: Municipality, users: dict[str, Any], today: dt.date,
                 seed: int) -> None:
        self.town, self.today, self.rng = town, today, random.Random(seed)
        self.coordinator, self.curator = users["demo-coordinator"], users["demo-curator"]
        self.methodist, self.head = users["demo-methodist"], users["demo-school"]
        self.schools = list(town.schools.order_by("number", "short_name", "pk"))
        approved = official_list(town)
        listed = {i.school_id for i in approved.inclusions.all()} if approved else set()
        own = self.head.role_assignments.filter(school__isnull=False).first()
        self.own = own.school if own else None
        self.system = [s for s in self.schools if s.pk in listed or s == self.own]
        self.second: dict[int, str] = {}

    def make(self) -> int:
        self._profiles()
        self._campaign()
        return self._roadmaps()

    # -- risk profiles ------------------------------------------------------------------------
    def _profiles(self) -> None:
        listed = {s.pk for s in self.system}
        for year in (self.today.year - 1, self.today.year):
            factors = risk_catalogue(year).factors
            for school in self.schools:
                risk = 0.55 if school.pk in listed else 0.25
                values = {}
                for factor in factors:
                    if self.rng.random() < 0.15:
                        continue  # not assessed
                    score = max(0.0, min(100.0, self.rng.gauss(100 * risk, 18)))
                    if year == self.today.year and school.pk in listed:
                        score = max(0.0, score - self.rng.uniform(0, 12))  # some improvement
                    level = "high" if score >= 65 else "medium" if score >= 35 else "low"
                    values[factor] = FactorValue(level, round(score))
                if school.pk in listed:
                    second = self.second.setdefault(school.pk, self.rng.choice(
                        ["low_teacher_competence", "academic_failure_risk"]))
                    if year == self.today.year:  # the roadmap answers this year's high risks
                        values = {f: v if v.level != "high" else FactorValue("medium", 60)
                                  for f, v in values.items()}
                    values["low_motivation"] = FactorValue("high", 70 + self.rng.randint(0, 20))
                    values[second] = FactorValue("high", 66 + self.rng.randint(0, 20))
                profile_save(by=self.coordinator, school=school, year=year, values=values)

    # -- documents ----------------------------------------------------------------------------
    def _pdf(self, name: str, n: int) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, _PDF + f"% {name} {n}\n".encode(),
                                  content_type="application/pdf")

    def _campaign(self) -> None:
        self.campaign = campaign_create(
            by=self.coordinator, municipality=self.town,
            title=f"Концептуальные документы {self.today.year}", year=self.today.year,
            slots=_SLOTS, schools=self.system, deadline=self.today + dt.timedelta(days=10),
            remind_days=14)
        for n, school in enumerate(self.system):
            if school == self.own or n % 2:
                continue  # half the schools have not uploaded yet (demo-school among them)
            for slot in _SLOTS[: 1 + n % 3]:
                document_upload(by=self.coordinator, campaign=self.campaign, school=school,
                                slot=slot, upload=self._pdf(f"{slot.split(':')[0]}.pdf", n),
                                comment="первая редакция")
        self.documents_review = review_campaign_create(
            by=self.coordinator, municipality=self.town,
            title=f"Экспертиза концептуальных документов {self.today.year}",
            deadline=self.today + dt.timedelta(days=25), document_campaign=self.campaign)
        items = list(self.documents_review.items.order_by("school__number", "pk"))
        for n, item in enumerate(items):
            reviewer_assign(by=self.coordinator, item=item,
                            reviewer=self.curator if n % 2 == 0 else self.methodist)
        for n, item in enumerate(items[:3]):
            assignment = item.assignments.get()
            self._sheet(assignment, [3, 2, 2, 3, 2] if n != 1 else [1, 1, 2, 1, 0])
            if n == 0:
                decide(by=self.coordinator, item=item, decision="accept", comment="")
            elif n == 1:
                decide(by=self.coordinator, item=item, decision="revise",
                       comment="Уточните показатели и сроки; свяжите цели с факторами риска.")
                document_upload(by=self.coordinator, campaign=self.campaign, school=item.school,
                                slot=item.document.slot if item.document else _SLOTS[0],
                                upload=self._pdf("доработанная-редакция.pdf", n),
                                comment="после экспертизы")

    def _sheet(self, assignment: Any, values: list[int]) -> None:
        criteria = list(assignment.item.campaign.rubric.criteria.all())
        sheet_save(by=assignment.reviewer, assignment=assignment,
                   scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
                   comments={criteria[1].pk: "Показатели не привязаны к годам программы."
                             if values[1] < 2 else "Показатели измеримы."},
                   overall="Программа в целом соответствует рисковому профилю школы."
                   if sum(values) > 8 else "Требуется доработка.", submit=True)

    # -- roadmaps -----------------------------------------------------------------------------
    def _roadmaps(self) -> int:
        review = review_campaign_create(
            by=self.coordinator, municipality=self.town,
            title=f"Экспертиза дорожных карт {self.today.year}",
            deadline=self.today + dt.timedelta(days=20))
        made = 0
        for n, school in enumerate(self.system):
            teachers = list(Teacher.objects.filter(school=school, active_to__isnull=True)
                            .order_by("name")[:6])
            if not teachers:
                continue
            roadmap = self._roadmap(school, teachers)
            made += 1
            if n % 4 == 3 or school == self.own:
                roadmap_submit(by=self.coordinator, roadmap=roadmap)  # on review
            else:
                roadmap_approve(by=self.coordinator, roadmap=roadmap,
                                basis="приказ Управления образования № 311")
                self._progress(roadmap, n)
        found = list(ReviewItem.objects.filter(campaign=review).select_related("school")
                     .order_by("school__number", "pk"))
        own = [i for i in found if i.school == self.own]
        rest = [i for i in found if i.school != self.own]
        items = rest[:1] + own + rest[1:]  # the second is returned: demo-school's, when it has one
        for n, item in enumerate(items):
            reviewer_assign(by=self.coordinator, item=item, reviewer=self.curator)
            if n == 0:
                second = reviewer_assign(by=self.coordinator, item=item, reviewer=self.methodist)
                self._sheet(item.assignments.get(reviewer=self.curator), [3, 2, 2, 3, 2])
                self._sheet(second, [1, 2, 2, 3, 2])  # two points apart on «а»
            elif n == 1:
                self._sheet(item.assignments.get(), [2, 1, 1, 2, 1])
                decide(by=self.coordinator, item=item, decision="revise",
                       comment="Добавьте мероприятия по фактору «низкая учебная мотивация» и "
                               "ответственных.")
        return made

    def _roadmap(self, school: School, teachers: list[Teacher]) -> Roadmap:
        year = self.today.year
        by = self.coordinator
        roadmap = roadmap_create(by=by, school=school, title=f"Дорожная карта {year}–{year + 2}",
                                 first_year=year, last_year=year + 2)
        factors = ["low_motivation", self.second.get(school.pk, "academic_failure_risk")]
        start = dt.date(year, 1, 20)
        span = (dt.date(year + 2, 12, 20) - start).days
        k = 0
        for factor in factors:
            title, goal_title, *tasks = _PROBLEMS[factor]
            problem = problem_save(by=by, roadmap=roadmap, title=title, risk_factors=[factor],
                                   flags=[])
            goal = goal_save(by=by, problem=problem, title=goal_title)
            for task_title, indicator, unit, baseline, targets in tasks:
                task = task_save(by=by, goal=goal, title=task_title)
                indicator_save(by=by, task=task, name=indicator, unit=unit,
                               direction="decrease" if targets[-1] < baseline else "increase",
                               baseline=baseline, baseline_year=year - 1,
                               targets=dict(zip((year, year + 1, year + 2), targets,
                                                strict=True)),
                               source="школьная статистика")
                for i in range(5):
                    state = _STATES[k % len(_STATES)]
                    if state in ("done", "overdue"):
                        deadline = self.today - dt.timedelta(days=10 + 17 * k)
                    elif state == "in_progress":
                        deadline = self.today + dt.timedelta(days=5 + 9 * k)
                    else:
                        deadline = start + dt.timedelta(days=span * (k + 1) // 21)
                        deadline = max(deadline, self.today + dt.timedelta(days=7 + k))
                    deadline = min(max(deadline, roadmap.period_start), roadmap.period_end)
                    measure_save(by=by, task=task, title=_MEASURES[(k + i) % len(_MEASURES)]
                                 if i else _MEASURES[k % len(_MEASURES)],
                                 deadline=deadline, responsible=teachers[k % len(teachers)])
                    k += 1
        return roadmap

    def _progress(self, roadmap: Roadmap, n: int) -> None:
        measures = list(programmes.Measure.objects.filter(task__goal__problem__roadmap=roadmap)
                        .order_by("task__goal__problem__position", "task__goal__position",
                                  "task__position", "position", "pk"))
        for k, measure in enumerate(measures):
            state = _STATES[k % len(_STATES)]
            if state == "done" and (n % 3 or k % 4):
                measure_progress(by=self.coordinator, measure=measure, status="done",
                                 comment="", note=f"Протокол № {k + 1} размещён на сайте школы",
                                 today=measure.deadline or self.today)
            elif state == "in_progress":
                measure_progress(by=self.coordinator, measure=measure, status="in_progress",
                                 comment="Работа идёт по плану.")
            elif state == "cancelled":
                measure_progress(by=self.coordinator, measure=measure, status="cancelled",
                                 comment="Заменено сетевым мероприятием с школой-партнёром.")
