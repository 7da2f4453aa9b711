"""The demo's staff: every school has teachers, a part of them two diagnostics with dynamics,
courses and routes; every demo login sees people; preparing twice adds nothing; a reset
wipes them with the schools."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.test import TestCase, override_settings

from opora.web.demo import DEMO_PASSWORD, prepare_demo
from opora.web.staff.demo import ensure_staff_demo
from opora.web.staff.dynamics import POSITIVE, dynamics_by_teacher
from opora.web.staff.models import Course, DevelopmentRoute, Teacher, TeacherDiagnostic

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class StaffDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        prepare_demo(years=1)
        cls.teachers = Teacher.objects.count()

    def test_every_demo_school_has_staff_some_under_codes_and_preparing_again_adds_none(
            self) -> None:
        schools = Teacher.objects.values("school").annotate(n=Count("pk"))
        self.assertTrue(all(row["n"] >= 14 for row in schools))
        self.assertTrue(Teacher.objects.filter(name_is_code=True, name__startswith="П-").exists())
        self.assertTrue(Teacher.objects.filter(name_is_code=False).exists())
        self.assertEqual(ensure_staff_demo(), 0)
        self.assertEqual(Teacher.objects.count(), self.teachers)

    def test_diagnostics_are_not_in_the_future_and_show_every_kind_of_dynamics(self) -> None:
        self.assertFalse(TeacherDiagnostic.objects.filter(
            date__gt=datetime.date.today()).exists())
        working = Teacher.objects.filter(active_to__isnull=True).values_list("pk", flat=True)
        verdicts = {d.verdict for d in dynamics_by_teacher(working).values() if d}
        self.assertIn(POSITIVE, verdicts)
        self.assertGreaterEqual(len(verdicts), 2)
        self.assertTrue(Course.objects.filter(completed=True).exists())
        self.assertTrue(DevelopmentRoute.objects.filter(steps__isnull=False).exists())
        self.assertTrue(Teacher.history.exists())  # written with their history rows

    def test_every_demo_login_with_schools_sees_a_staff_list_with_people(self) -> None:
        for username in ("demo-school", "demo-curator", "demo-coordinator", "demo-methodist",
                         "demo-regional"):
            with self.subTest(user=username):
                self.assertTrue(self.client.login(username=username, password=DEMO_PASSWORD))
                listing = self.client.get("/schools/")
                school = listing.context["schools"][0]
                page = self.client.get(f"/schools/{school.pk}/staff/")
                self.assertEqual(page.status_code, 200)
                self.assertGreater(len(page.context["rows"]), 0)

    def test_a_reset_wipes_the_staff_with_the_schools_and_makes_it_again(self) -> None:
        prepare_demo(reset=True, migrate=False, years=1)
        self.assertEqual(Teacher.objects.count(), self.teachers)
