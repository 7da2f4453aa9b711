"""The demo's recommendations, meetings and plan: every decisions page has something real."""

from __future__ import annotations

from django.db.models import Count
from django.test import TestCase, override_settings

from opora.web.decisions.demo import ensure_decisions_demo
from opora.web.decisions.models import (
    CycleStage,
    Decision,
    Meeting,
    Notification,
    PlanMeasure,
    Recommendation,
)
from opora.web.demo import DEMO_PASSWORD, prepare_demo


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DecisionsDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        prepare_demo(years=1)

    def test_suggested_accepted_and_done_recommendations_with_their_numbers(self) -> None:
        statuses = dict(Recommendation.objects.values_list("status").annotate(n=Count("pk")))
        self.assertGreater(statuses.get("suggested", 0), 0, statuses)
        self.assertGreater(statuses.get("accepted", 0), 0, statuses)
        self.assertEqual(statuses.get("done", 0), 1, statuses)
        self.assertFalse(Recommendation.objects.filter(basis="").exists())
        self.assertGreaterEqual(Recommendation.objects.values("addressee").distinct().count(), 3)

    def test_two_meetings_with_decisions_a_plan_and_the_years_stages(self) -> None:
        self.assertEqual(Meeting.objects.count(), 2)
        self.assertGreaterEqual(Decision.objects.count(), 3)
        self.assertEqual(Decision.objects.filter(status="done").count(), 1)
        self.assertEqual(PlanMeasure.objects.count(), 6)
        self.assertEqual(CycleStage.objects.count(), 6)
        self.assertTrue(Notification.objects.exists())

    def test_running_it_again_changes_nothing(self) -> None:
        before = (Recommendation.objects.count(), Meeting.objects.count())
        ensure_decisions_demo()
        self.assertEqual((Recommendation.objects.count(), Meeting.objects.count()), before)

    def test_demo_school_sees_its_overdue_recommendation_and_the_coordinator_the_pages(
            self) -> None:
        self.client.login(username="demo-school", password=DEMO_PASSWORD)
        self.assertContains(self.client.get("/decisions/overdue/"), "Просрочено")
        self.client.login(username="demo-coordinator", password=DEMO_PASSWORD)
        for url in ("/decisions/recommendations/", "/decisions/meetings/", "/decisions/plan/",
                    "/decisions/cycle/", "/decisions/system/", "/decisions/notifications/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        meeting = Meeting.objects.order_by("date").first()
        assert meeting is not None
        self.assertContains(self.client.get(f"/decisions/meetings/{meeting.pk}/"), "Слушали")
