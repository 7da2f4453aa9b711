"""Recommendations, decisions and the cycle through the pages: what a school sees, marking done
with evidence, overdue items, the bell's count, the rules over recorded facts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, Inclusion, RunSchoolStat
from opora.web.decisions.cycle import remind, stages_ensure
from opora.web.decisions.models import (
    CycleStage,
    Decision,
    Meeting,
    MeetingItem,
    Notification,
    Recommendation,
)
from opora.web.decisions.services import recommendation_accept, recommendations_suggest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


class DecisionsTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.director_b = cls._user("director-b", "school_admin", school=cls.b)

    def _rec(self, school: Any, *, status: str = "accepted", deadline: dt.date | None = None,
             addressee: str = "teachers") -> Recommendation:
        return Recommendation.objects.create(
            municipality=school.municipality, school=school, year=2024, addressee=addressee,
            text=f"Педагогам {school.short_name}: разобрать задания", basis="числа",
            status=status, deadline=deadline or dt.date(2031, 1, 1),
            responsible="руководитель ШМО")


class SchoolScopeTests(DecisionsTestCase):
    def test_a_school_administrator_cannot_see_another_schools_recommendations(self) -> None:
        own, other = self._rec(self.a), self._rec(self.b)
        self.client.force_login(self.school_admin)
        page = self.client.get("/decisions/recommendations/")
        self.assertContains(page, "Педагогам СОШ № 1")
        self.assertNotContains(page, "Педагогам СОШ № 2")
        self.assertEqual(self.client.get(f"/decisions/recommendations/{other.pk}/").status_code,
                         404)
        self.assertEqual(self.client.get(f"/api/v1/recommendations/{other.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/recommendations/{own.pk}").status_code, 200)

    def test_the_school_card_lists_the_schools_recommendations(self) -> None:
        self._rec(self.a)
        self.client.force_login(self.school_admin)
        self.assertContains(self.client.get(f"/schools/{self.a.pk}/"),
                            f"/decisions/schools/{self.a.pk}/panel/")
        self.assertContains(self.client.get(f"/decisions/schools/{self.a.pk}/panel/"),
                            "Педагогам СОШ № 1")
        self.assertEqual(self.client.get(f"/decisions/schools/{self.b.pk}/panel/").status_code,
                         404)

    def test_a_school_does_not_see_suggestions_or_recommendations_to_the_centres(self) -> None:
        self._rec(self.a, status="suggested")
        self._rec(self.a, addressee="methodical_centre")
        self.client.force_login(self.school_admin)
        self.assertEqual(list(self.client.get("/decisions/recommendations/")
                              .context["recommendations"]), [])


class CloseTests(DecisionsTestCase):
    def test_the_school_marks_its_recommendation_done_with_a_file_and_the_coordinator_is_told(
            self) -> None:
        record = self._rec(self.a)
        self.client.force_login(self.school_admin)
        response = self.client.post(f"/decisions/recommendations/{record.pk}/close/", {
            "result": "done", "outcome": "Проведено заседание ШМО, протокол № 3",
            "file": SimpleUploadedFile("протокол.png", PNG, content_type="image/png")})
        self.assertEqual(response.status_code, 302)
        record.refresh_from_db()
        self.assertEqual((record.status, record.closed_by), ("done", self.school_admin))
        self.assertEqual(record.evidence_name, "протокол.png")
        self.assertEqual(self.client.get(f"/decisions/recommendations/{record.pk}/file/")
                         .status_code, 200)
        told = Notification.objects.get(user=self.coordinator)
        self.assertIn(f"№ {record.pk} отмечена: выполнена", told.text)
        self.assertEqual(record.history.count(), 2)  # created, closed

    def test_not_done_needs_a_reason(self) -> None:
        record = self._rec(self.a)
        self.client.force_login(self.school_admin)
        page = self.client.post(f"/decisions/recommendations/{record.pk}/close/",
                                {"result": "not_done", "outcome": ""}, follow=True)
        self.assertContains(page, "Укажите причину")
        record.refresh_from_db()
        self.assertEqual(record.status, "accepted")

    def test_a_declined_recommendation_cannot_be_marked(self) -> None:
        from django.core.exceptions import ValidationError

        from opora.web.decisions.services import recommendation_close

        record = self._rec(self.a, status="declined")
        with self.assertRaisesMessage(ValidationError, "только у принятой"):
            recommendation_close(by=self.coordinator, record=record, done=True, outcome="x")

    def test_another_schools_administrator_cannot_close_it(self) -> None:
        record = self._rec(self.a)
        self.client.force_login(self.director_b)
        self.assertEqual(self.client.post(f"/decisions/recommendations/{record.pk}/close/", {
            "result": "done", "outcome": "сделано"}).status_code, 404)


class OverdueTests(DecisionsTestCase):
    def test_an_overdue_recommendation_shows_on_the_schools_home_page(self) -> None:
        self._rec(self.a, deadline=YESTERDAY)
        self._rec(self.b, deadline=YESTERDAY)
        self.client.force_login(self.school_admin)
        self.assertContains(self.client.get("/schools/"), "/decisions/overdue/")
        part = self.client.get("/decisions/overdue/")
        self.assertContains(part, "Просрочено")
        self.assertContains(part, "Педагогам СОШ № 1")
        self.assertNotContains(part, "Педагогам СОШ № 2")

    def test_the_coordinator_sees_overdue_decisions_and_stages(self) -> None:
        meeting = Meeting.objects.create(municipality=self.first, date=dt.date(2025, 1, 10),
                                         agenda="Итоги")
        item = MeetingItem.objects.create(meeting=meeting, position=1, heard="x", decided="y")
        Decision.objects.create(item=item, text="Утвердить график выездов",
                                responsible="ИМЦ", deadline=YESTERDAY)
        stage = stages_ensure(self.first, 2024)[0]
        CycleStage.objects.filter(pk=stage.pk).update(due_on=YESTERDAY,
                                                      starts_on=YESTERDAY - dt.timedelta(30))
        self.client.force_login(self.coordinator)
        part = self.client.get("/decisions/overdue/").content.decode()
        self.assertIn("Утвердить график выездов", part)
        self.assertIn("Выявление ШНОР по результатам года", part)
        self.client.force_login(self.school_admin)
        self.assertNotContains(self.client.get("/decisions/overdue/"), "Утвердить график")

    def test_an_empty_list_says_nothing(self) -> None:
        self.client.force_login(self.school_admin)
        self.assertNotContains(self.client.get("/decisions/overdue/"), "Просрочено")


class NotificationTests(DecisionsTestCase):
    def test_the_bell_counts_unread_notifications_and_reading_them_clears_it(self) -> None:
        record = self._rec(self.a, status="suggested")
        self.school_admin.email = "director@example.org"
        self.school_admin.save()
        recommendation_accept(by=self.coordinator, record=record, text=record.text,
                              deadline=dt.date(2031, 1, 1), responsible="руководитель ШМО")
        self.client.force_login(self.school_admin)
        self.assertContains(self.client.get("/decisions/bell/"), '<span class="bell-count">1<')
        self.client.post("/decisions/notifications/read/")
        self.assertContains(self.client.get("/decisions/bell/"), '<span class="bell-count">0<')

    def test_reminders_are_sent_once_and_by_e_mail(self) -> None:
        self.coordinator.email = "coord@example.org"
        self.coordinator.save()
        stage = stages_ensure(self.first, 2024)[0]
        CycleStage.objects.filter(pk=stage.pk).update(due_on=YESTERDAY,
                                                      starts_on=YESTERDAY - dt.timedelta(30))
        with self.captureOnCommitCallbacks(execute=True):
            first = remind()
        self.assertGreaterEqual(first, 1)
        self.assertEqual(remind(), 0)  # the same reminder is not made twice
        self.assertTrue(any("просрочен" in m.subject for m in mail.outbox))


class SuggestFromRecordsTests(DecisionsTestCase):
    def _task_scores(self) -> None:
        """ОГЭ математика 2024, two tasks (1 and 2 points): two students of A, two of B."""
        from opora.web.assessment.models import (
            AssessmentScale,
            Procedure,
            StudentResult,
            Subject,
            Task,
        )

        oge, _ = Procedure.objects.get_or_create(code="OGE", defaults={"name": "ОГЭ"})
        math, _ = Subject.objects.get_or_create(code="math", defaults={"name": "Математика"})
        scale = AssessmentScale.objects.create(procedure=oge, year=2024, grade=9, subject=math,
                                               max_primary_score=3)
        Task.objects.create(scale=scale, task_no=1, label="1", max_score=1)
        Task.objects.create(scale=scale, task_no=2, label="2", max_score=2)
        for school, scores in ((self.a, [1, 0]), (self.b, [1, 2])):
            for i in range(2):
                StudentResult.objects.create(
                    school=school, procedure=oge, year=2024, grade=9, subject=math, scale=scale,
                    participant_code=f"{school.key}{i}", primary_score=sum(scores),
                    task_scores=scores)

    def test_the_rules_read_the_official_list_and_are_idempotent(self) -> None:
        run = AnalysisRun.objects.create(scope="municipality", municipality=self.first,
                                         region=self.first.region, status=DONE, progress=100,
                                         finished_at=timezone.now(), rules_version="t")
        approved = ApprovedList.objects.create(run=run, year=2024, region=self.first.region,
                                               municipality=self.first, basis="приказ № 1")
        Inclusion.objects.create(approved_list=approved, school=self.a, category="low_results",
                                 since_year=2024, evidence="ниже региона")
        # ОГЭ математика 2024: 41 % против 55 %, разница −14, верх интервала −6 → педагогам
        RunSchoolStat.objects.create(run=run, school=self.a, procedure="OGE", subject="math",
                                     grade=9, year=2024, participants=22, mean_pct=41.0,
                                     region_mean_pct=55.0, gap_pct=-14.0, gap_high_pct=-6.0,
                                     fail_share_pct=9.0)
        self._task_scores()
        done = recommendations_suggest(by=self.coordinator, municipality=self.first)
        weak = Recommendation.objects.get(rule="weak_subject")
        # task 2: A scored 0 of 2 on average, B 2 of 2 → A 0 %, the region (A and B) 50 %
        self.assertIn("№ 2 (0,0 % против 50,0 %)", weak.basis)
        self.assertNotIn("№ 1 (", weak.basis)  # task 1: 100 % everywhere
        rules = set(Recommendation.objects.values_list("rule", "addressee"))
        # no event ever → the methodical centre; 1 of 1 without a curator → the department
        self.assertEqual(rules, {("weak_subject", "teachers"), ("no_support", "methodical_centre"),
                                 ("uncurated", "department")})
        self.assertEqual(done.created, 3)
        again = recommendations_suggest(by=self.coordinator, municipality=self.first)
        self.assertEqual((again.created, again.updated, again.withdrawn), (0, 0, 0))
        self.assertEqual(Recommendation.objects.count(), 3)


class BellBeforePasswordChangeTests(DecisionsTestCase):
    def test_the_bell_answers_while_a_password_must_be_changed_so_that_page_does_not_reload(
            self) -> None:
        from opora.web.accounts.passwords import SESSION_KEY

        self.client.force_login(self.school_admin)
        session = self.client.session
        session[SESSION_KEY] = True
        session.save()
        self.assertEqual(self.client.get("/decisions/bell/", HTTP_HX_REQUEST="true").status_code,
                         200)
        self.assertEqual(self.client.get("/decisions/overdue/").status_code, 302)
