"""The staff pages: the list with its shares, a teacher's page, the forms and what they refuse.

Personas (tests/web/personas.py): the director administers school A, the coordinator and the
methodist work in «Первый» (A and B), the curator is assigned to B and C.
"""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.staff.models import Course, DevelopmentRoute, Teacher, TeacherDiagnostic
from opora.web.staff.services import DomainResult, diagnostic_save, teacher_save

TODAY = timezone.localdate()  # the users' (Moscow) calendar day, as the app reads it
AUTUMN = TODAY - datetime.timedelta(days=200)
SPRING = TODAY - datetime.timedelta(days=20)


def _teacher(school: object, name: str, **fields: object) -> Teacher:
    return teacher_save(teacher=Teacher(school=school), user=None, name=name, **fields)


def _diagnostic(teacher: Teacher, day: datetime.date, *results: DomainResult,
                instrument: str = "regional") -> TeacherDiagnostic:
    return diagnostic_save(diagnostic=TeacherDiagnostic(teacher=teacher), user=None,
                           results=results, date=day, instrument=instrument, note="")


class StaffPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ivanova = _teacher(cls.a, "Иванова Мария Петровна", position="teacher",
                               subjects=["rus", "literature"], category="highest",
                               experience_years=21)
        cls.code = _teacher(cls.a, "П-017", name_is_code=True, position="teacher",
                            subjects=["math"], category="first")
        cls.left = _teacher(cls.a, "Сидоров Олег", active_from=datetime.date(2010, 9, 1),
                            active_to=datetime.date(2023, 6, 30))
        cls.in_b = _teacher(cls.b, "П-101", name_is_code=True)
        # Иванова: 12/20, 9/15, «базовый» (1 of 3) → 22/38 = 57,9 %; then 15/20, 11/15,
        # «повышенный» (2 of 3) → 28/38 = 73,7 %: +15,8 p. p. — growth (≥ 5)
        _diagnostic(cls.ivanova, AUTUMN, DomainResult("subject_domain", 12, 20),
                    DomainResult("methodical", 9, 15), DomainResult("digital", level="basic"))
        _diagnostic(cls.ivanova, SPRING, DomainResult("subject_domain", 15, 20),
                    DomainResult("methodical", 11, 15), DomainResult("digital", level="advanced"))
        # П-017: one diagnostic only — diagnosed, no dynamics
        _diagnostic(cls.code, SPRING, DomainResult("subject_domain", 10, 20))

    def test_the_school_card_links_to_its_staff(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/schools/{self.a.pk}/").content.decode()
        self.assertIn(f'href="/schools/{self.a.pk}/staff/">Педагоги школы</a>', page)

    def test_the_list_shows_working_teachers_and_the_shares_with_their_counts(self) -> None:
        self.client.force_login(self.school_admin)
        page = self.client.get(f"/schools/{self.a.pk}/staff/").content.decode()
        self.assertIn("Иванова Мария Петровна", page)
        self.assertIn("П-017", page)
        self.assertNotIn("Сидоров", page)
        self.assertIn("прошли диагностику: 2 из 2", page)
        self.assertIn("с ростом компетенций: 1 из 1 с парой диагностик", page)
        self.assertIn("Рост компетенций (+15,8 п. п.)", page)
        self.assertIn("нужна вторая диагностика", page)

    def test_the_list_with_those_who_left_keeps_their_end_date(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(f"/schools/{self.a.pk}/staff/?all=1").content.decode()
        self.assertIn("Сидоров Олег", page)
        self.assertIn("ушёл(ла) 30.06.2023", page)

    def test_the_teacher_page_shows_diagnostics_and_the_dynamics_computed_by_hand(self) -> None:
        self.client.force_login(self.methodist)
        page = self.client.get(f"/schools/{self.a.pk}/staff/{self.ivanova.pk}/").content.decode()
        self.assertIn("57,9 % максимума", page)
        self.assertIn("73,7 %", page)
        self.assertIn("изменение +15,8 п. п.", page)
        self.assertIn("Цифровые компетенции: Повышенный", page)
        self.assertIn("Записать диагностику", page)  # methodists record development
        self.assertNotIn("Завершить работу", page)  # but do not edit the staff

    def test_a_teacher_of_another_school_is_not_found_through_this_school(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(f"/schools/{self.a.pk}/staff/{self.in_b.pk}/")
        self.assertEqual(response.status_code, 404)

    def test_the_director_adds_a_teacher_and_the_history_keeps_the_author(self) -> None:
        self.client.force_login(self.school_admin)
        response = self.client.post(f"/schools/{self.a.pk}/staff/new/", {
            "name": "Петрова Анна", "position": "psychologist", "category": "no_category",
            "experience_years": "3", "active_from": "2024-09-01"})
        teacher = Teacher.objects.get(name="Петрова Анна")
        self.assertRedirects(response, f"/schools/{self.a.pk}/staff/{teacher.pk}/")
        self.assertEqual(teacher.history.get().history_user, self.school_admin)

    def test_a_form_with_a_bad_experience_saves_nothing_and_says_why(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(f"/schools/{self.a.pk}/staff/new/", {
            "name": "Новиков", "position": "teacher", "category": "first",
            "experience_years": "120"})
        self.assertContains(response, "Стаж больше 70 лет — проверьте число.")
        self.assertFalse(Teacher.objects.filter(name="Новиков").exists())

    def test_a_second_working_teacher_with_the_same_code_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post(f"/schools/{self.a.pk}/staff/new/", {
            "name": "П-017", "name_is_code": "on", "position": "teacher",
            "category": "first"})
        self.assertContains(response, "уже работает педагог с таким именем или кодом")
        self.assertEqual(Teacher.objects.filter(name="П-017").count(), 1)

    def test_ending_work_keeps_the_record_and_refuses_an_end_before_the_start(self) -> None:
        self.client.force_login(self.school_admin)
        teacher = _teacher(self.a, "Ушедшая", active_from=datetime.date(2020, 9, 1))
        url = f"/schools/{self.a.pk}/staff/{teacher.pk}/leave/"
        response = self.client.post(url, {"active_to": "2019-05-31"})
        self.assertContains(response, "Дата ухода раньше даты начала работы (01.09.2020).")
        teacher.refresh_from_db()
        self.assertIsNone(teacher.active_to)
        self.client.post(url, {"active_to": "2024-05-31"})
        teacher.refresh_from_db()
        self.assertEqual(teacher.active_to, datetime.date(2024, 5, 31))

    def test_a_diagnostic_with_a_score_above_its_maximum_saves_nothing(self) -> None:
        self.client.force_login(self.methodist)
        url = f"/schools/{self.a.pk}/staff/{self.code.pk}/diagnostics/new/"
        response = self.client.post(url, {
            "date": SPRING.isoformat(), "instrument": "self",
            "score_subject_domain": "25", "max_score_subject_domain": "20",
            "score_digital": "3", "max_score_digital": "5"})
        self.assertContains(response, "Балл 25 больше максимального 20.")
        self.assertEqual(self.code.diagnostics.count(), 1)

    def test_a_diagnostic_dated_in_the_future_is_refused_at_the_date(self) -> None:
        self.client.force_login(self.school_admin)
        url = f"/schools/{self.a.pk}/staff/{self.code.pk}/diagnostics/new/"
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # now, not at import
        response = self.client.post(url, {"date": tomorrow.isoformat(), "instrument": "self",
                                          "score_methodical": "3,5", "max_score_methodical": "5"})
        self.assertContains(response, "Дата в будущем")
        self.assertEqual(self.code.diagnostics.count(), 1)

    def test_after_moscow_midnight_the_new_day_is_today_though_utc_is_still_on_the_old_one(
            self) -> None:
        # 22:30 UTC on 2 December is 01:30 on 3 December in Moscow (UTC+3), the users' calendar
        url = f"/schools/{self.a.pk}/staff/{self.code.pk}/diagnostics/new/"
        self.client.force_login(self.school_admin)
        with time_machine.travel(datetime.datetime(2026, 12, 2, 22, 30, tzinfo=datetime.UTC),
                                 tick=False):
            held_today = self.client.post(url, {"date": "2026-12-03", "instrument": "self",
                                                "score_methodical": "4", "max_score_methodical": "5"})
            tomorrow = self.client.post(url, {"date": "2026-12-04", "instrument": "regional",
                                              "score_methodical": "4", "max_score_methodical": "5"})
        self.assertEqual(held_today.status_code, 302)
        self.assertContains(tomorrow, "Дата в будущем")
        self.assertEqual(list(self.code.diagnostics.filter(date__gte=datetime.date(2026, 12, 3))
                              .values_list("date", flat=True)), [datetime.date(2026, 12, 3)])

    def test_a_course_of_zero_hours_or_ending_before_it_starts_is_refused(self) -> None:
        self.client.force_login(self.coordinator)
        url = f"/schools/{self.a.pk}/staff/{self.code.pk}/courses/new/"
        response = self.client.post(url, {"title": "Функциональная грамотность", "hours": "0",
                                          "start": "2024-03-10", "end": "2024-03-01"})
        self.assertContains(response, "Объём курса — больше 0 часов.")
        self.assertContains(response, "Дата окончания раньше даты начала.")
        self.assertFalse(Course.objects.exists())

    def test_a_route_with_steps_is_saved_and_a_step_ending_before_it_starts_is_not(self) -> None:
        self.client.force_login(self.methodist)
        url = f"/schools/{self.a.pk}/staff/{self.code.pk}/routes/new/"
        form = {"title": "ИОМ на 2024/25 учебный год", "start": "2024-09-01",
                "end": "2025-05-31", "deficits": ["methodical", "digital"],
                "steps-TOTAL_FORMS": "2", "steps-INITIAL_FORMS": "0",
                "steps-0-kind": "course", "steps-0-title": "КПК «Цифровая дидактика»",
                "steps-0-start": "2024-10-01", "steps-0-end": "2024-09-01",
                "steps-0-status": "planned"}
        response = self.client.post(url, form)
        self.assertContains(response, "Дата окончания раньше даты начала.")
        self.assertFalse(DevelopmentRoute.objects.exists())
        form["steps-0-end"] = "2024-10-20"
        self.client.post(url, form)
        route = DevelopmentRoute.objects.get()
        self.assertEqual(route.deficits, ["methodical", "digital"])
        self.assertEqual([s.title for s in route.steps.all()], ["КПК «Цифровая дидактика»"])
        self.client.force_login(self.coordinator)
        history = self.client.get(f"/schools/{self.a.pk}/staff/{self.code.pk}/history/")
        self.assertContains(history, "Шаг маршрута (ИОМ)")
        self.assertContains(history, "Методические компетенции, Цифровые компетенции")

    def test_the_coordinator_reads_a_teachers_history_with_subjects_by_name(self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get(
            f"/schools/{self.a.pk}/staff/{self.ivanova.pk}/history/").content.decode()
        self.assertIn("Русский язык, Литература", page)
        self.assertIn("Диагностика", page)
