"""The staff API: the same scope and numbers as the pages, minimal fields, nothing personal
beyond a name or a code. Which persona gets which status: test_permission_matrix.py."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from test_api import ApiTestCase

from opora.web.accounts.assignment_cache import forget_user
from opora.web.staff.models import (
    Course,
    DevelopmentRoute,
    RouteStep,
    Teacher,
    TeacherDiagnostic,
)
from opora.web.staff.services import DomainResult, diagnostic_save

TODAY = timezone.localdate()  # the users' (Moscow) calendar day, as the app reads it


class StaffApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ivanova = Teacher.objects.create(school=cls.a, name="Иванова Мария Петровна",
                                             subjects=["rus"], category="highest",
                                             experience_years=21)
        cls.left = Teacher.objects.create(school=cls.a, name="Ушедший",
                                          active_to=datetime.date(2023, 6, 30))
        cls.in_c = Teacher.objects.create(school=cls.c, name="П-003", name_is_code=True)
        for day, score in ((TODAY - datetime.timedelta(days=180), 10),
                           (TODAY - datetime.timedelta(days=10), 14)):
            diagnostic_save(diagnostic=TeacherDiagnostic(teacher=cls.ivanova), user=None,
                            results=[DomainResult("methodical", score, 20)], date=day,
                            instrument="regional", note="")
        Course.objects.create(teacher=cls.ivanova, title="КПК", hours=36,
                              start=datetime.date(2024, 2, 1), end=datetime.date(2024, 2, 20),
                              completed=True, certificate_number="УД-1")
        route = DevelopmentRoute.objects.create(
            teacher=cls.ivanova, title="ИОМ", deficits=["methodical"],
            start=datetime.date(2024, 9, 1), end=datetime.date(2025, 5, 31))
        RouteStep.objects.create(route=route, kind="mentoring", title="Наставник", status="done")

    def test_the_staff_list_is_scoped_and_minimal(self) -> None:
        status, body = self.api(self.school_admin, "/staff")
        self.assertEqual(status, 200)
        [found] = body["items"]
        self.assertEqual(set(found), {"id", "school_id", "name", "name_is_code", "position",
                                      "position_name", "subjects", "subject_names", "category",
                                      "category_name", "experience_years", "active_from",
                                      "active_to"})
        self.assertEqual((found["name"], found["subject_names"], found["category_name"]),
                         ("Иванова Мария Петровна", ["Русский язык"],
                          "Высшая квалификационная категория"))
        _, with_left = self.api(self.school_admin, "/staff", include_left="true")
        self.assertEqual(with_left["count"], 2)
        _, curator = self.api(self.curator, "/staff")
        self.assertEqual([t["name"] for t in curator["items"]], ["П-003"])
        _, nobody = self.api(self.nobody, "/staff")
        self.assertEqual(nobody["count"], 0)

    def test_diagnostics_routes_and_courses_come_with_their_teachers_school(self) -> None:
        _, diagnostics = self.api(self.methodist, "/diagnostics", teacher=self.ivanova.pk)
        self.assertEqual([d["result_pct"] for d in diagnostics["items"]], [50.0, 70.0])
        self.assertEqual(diagnostics["items"][0]["scores"][0]["domain_name"],
                         "Методические компетенции")
        _, routes = self.api(self.regional, "/routes")
        self.assertEqual(routes["items"][0]["steps"][0]["status_name"], "Выполнено")
        _, courses = self.api(self.coordinator, "/courses", school=self.a.pk)
        self.assertEqual(courses["items"][0]["certificate_number"], "УД-1")
        _, outside = self.api(self.curator, "/courses")
        self.assertEqual(outside["count"], 0)

    def test_the_school_shares_are_those_of_the_page(self) -> None:
        status, body = self.api(self.coordinator, f"/schools/{self.a.pk}/staff-dynamics")
        self.assertEqual(status, 200)
        # Иванова: 10/20 → 14/20 = +20 p. p. (growth); the one who left is not counted
        self.assertEqual((body["staff"], body["diagnosed"], body["compared"], body["positive"],
                          body["positive_pct"]), (1, 1, 1, 1, 100.0))
        self.assertEqual(body["threshold_pp"], 5.0)
        status, body = self.api(self.coordinator, f"/staff/{self.in_c.pk}")
        self.assertEqual((status, body["code"]), (404, "not_found"))

    def test_the_staff_list_page_costs_the_same_queries_for_ten_times_the_teachers(
            self) -> None:
        self.client.force_login(self.coordinator)

        def queries() -> int:
            forget_user(self.coordinator.pk)  # a first request's count: the roles read as well
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(f"/schools/{self.a.pk}/staff/").status_code, 200)
            return len(captured)

        few = queries()
        for number in range(20):
            teacher = Teacher.objects.create(school=self.a, name=f"П-{number:03d}")
            diagnostic_save(diagnostic=TeacherDiagnostic(teacher=teacher), user=None,
                            results=[DomainResult("digital", level="basic")],
                            date=TODAY, instrument="self", note="")
        self.assertEqual(queries(), few)
