"""Data for the school programmes' tests (issue 15), on the personas' territory::

    «Первый»: A (№ 1, its administrator «director»), B (№ 2, curator «curator»);
    «Второй»: C (№ 3, curator «curator»); «Третий»: D (№ 4).

Everything is written through the services the pages call, so a test never builds a row the
application could not have made. ``ProgrammesTestCase`` holds:

- risk profiles of A for 2025 and 2026 (2026: «Низкая учебная мотивация» high, score 81);
- a document campaign of «Первый» for A and B (a development concept), A's first version
  uploaded;
- A's roadmap 2026–2028: one problem (low motivation) → goal → task → indicator and two measures,
  one due 01.11.2026 still planned (overdue from 02.11.2026 on), one due 01.06.2027;
- a roadmap review campaign of «Первый» over A's submitted roadmap, the curator assigned.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from support_data import SupportTestCase

from opora.web.programmes.models import ReviewItem
from opora.web.programmes.services.documents import campaign_create, document_upload
from opora.web.programmes.services.profiles import FactorValue, profile_save
from opora.web.programmes.services.reviews import review_campaign_create, reviewer_assign
from opora.web.programmes.services.roadmaps import (
    goal_save,
    indicator_save,
    measure_save,
    problem_save,
    roadmap_create,
    roadmap_submit,
    task_save,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date(2026, 12, 2)


def pdf(name: str = "концепция.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def complete_roadmap(by: Any, school: Any, teacher: Any) -> tuple[Any, dict[str, Any]]:
    """A roadmap 2026–2028 that passes the completeness checks when low motivation is the
    school's only high factor; (roadmap, its items by name)."""
    roadmap = roadmap_create(by=by, school=school, title="Дорожная карта 2026–2028",
                             first_year=2026, last_year=2028)
    problem = problem_save(by=by, roadmap=roadmap, title="Низкая учебная мотивация",
                           risk_factors=["low_motivation"], flags=[])
    goal = goal_save(by=by, problem=problem, title="Повысить учебную мотивацию")
    task = task_save(by=by, goal=goal, title="Вовлечь обучающихся во внеурочную деятельность")
    indicator = indicator_save(by=by, task=task, name="Доля обучающихся в кружках",
                               unit="percent", direction="increase", baseline=40.0,
                               baseline_year=2025, targets={2026: 50.0, 2027: 60.0, 2028: 70.0},
                               source="отчёт школы")
    early = measure_save(by=by, task=task, title="Открыть два кружка",
                         deadline=dt.date(2026, 11, 1), responsible=teacher)
    late = measure_save(by=by, task=task, title="Провести конкурс проектов",
                        deadline=dt.date(2027, 6, 1), responsible=teacher)
    return roadmap, {"problem": problem, "goal": goal, "task": task, "indicator": indicator,
                     "early": early, "late": late}


class ProgrammesTestCase(SupportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        levels = {"low_motivation": FactorValue("high", 81.0),
                  "teacher_shortage": FactorValue("medium", 55.0),
                  "low_equipment": FactorValue("low", 20.0)}
        cls.profile_2025 = profile_save(by=cls.coordinator, school=cls.a, year=2025, values={
            "low_motivation": FactorValue("medium", 60.0),
            "teacher_shortage": FactorValue("medium", 50.0)})
        cls.profile = profile_save(by=cls.coordinator, school=cls.a, year=2026, values=levels)
        cls.campaign = campaign_create(
            by=cls.coordinator, municipality=cls.first, title="Концептуальные документы 2026",
            year=2026, slots=["development_concept"], schools=[cls.a, cls.b],
            deadline=dt.date(2026, 11, 15))
        cls.version = document_upload(by=cls.school_admin, campaign=cls.campaign, school=cls.a,
                                      slot="development_concept", upload=pdf())
        cls.document = cls.version.document
        cls.roadmap, cls.items = complete_roadmap(cls.school_admin, cls.a,
                                                  cls.teachers["A"][0])
        cls.review = review_campaign_create(by=cls.coordinator, municipality=cls.first,
                                            title="Экспертиза дорожных карт 2026",
                                            deadline=dt.date(2026, 12, 20))
        roadmap_submit(by=cls.school_admin, roadmap=cls.roadmap)
        cls.item = ReviewItem.objects.get(roadmap=cls.roadmap)
        cls.assignment = reviewer_assign(by=cls.coordinator, item=cls.item, reviewer=cls.curator)
