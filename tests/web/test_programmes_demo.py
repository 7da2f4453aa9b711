"""The demo's school programmes: risk profiles of every school over two years, a roadmap of
about 20 measures in every state for the schools of the official list, one document campaign and
one review halfway through; made once."""

from __future__ import annotations

from django.db.models import Count
from django.test import TestCase, override_settings
from django.utils import timezone

from opora.web.demo import DEMO_PASSWORD, prepare_demo
from opora.web.programmes.demo import ensure_programmes_demo
from opora.web.programmes.models import (
    DocumentCampaign,
    Measure,
    ProgramDocument,
    ReviewItem,
    RiskProfile,
    Roadmap,
)
from opora.web.schools.models import School


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class ProgrammesDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        prepare_demo(years=1)

    def test_every_school_has_a_profile_for_last_year_and_this_year(self) -> None:
        year = timezone.localdate().year
        years = RiskProfile.objects.values("school").annotate(n=Count("year"))
        self.assertEqual(len(years), School.objects.count())
        self.assertTrue(all(r["n"] == 2 for r in years))
        self.assertEqual(set(RiskProfile.objects.values_list("year", flat=True)),
                         {year - 1, year})

    def test_roadmaps_have_twenty_measures_in_every_state(self) -> None:
        roadmaps = Roadmap.objects.annotate(n=Count("problems__goals__tasks__measures"))
        self.assertGreater(len(roadmaps), 0)
        self.assertTrue(all(r.n == 20 for r in roadmaps), [r.n for r in roadmaps])
        today = timezone.localdate()
        shown = {m.shown_status(today) for m in Measure.objects.all()}
        self.assertEqual(shown, {"planned", "in_progress", "done", "overdue", "cancelled"})
        self.assertEqual({r.status for r in Roadmap.objects.all()} >= {"approved", "submitted"},
                         True)

    def test_one_campaign_and_the_reviews_are_halfway(self) -> None:
        self.assertEqual(DocumentCampaign.objects.count(), 1)
        statuses = set(ProgramDocument.objects.values_list("status", flat=True))
        self.assertTrue({"under_review", "accepted"} <= statuses, statuses)
        decisions = set(ReviewItem.objects.values_list("decision", flat=True))
        self.assertEqual(decisions, {"", "accept", "revise"})

    def test_the_demo_pages_open_for_the_coordinator(self) -> None:
        self.client.login(username="demo-coordinator", password=DEMO_PASSWORD)
        for url in ("/programmes/profiles/", "/programmes/campaigns/", "/programmes/monitoring/",
                    "/programmes/reviews/"):
            self.assertEqual(self.client.get(url).status_code, 200, url)

    def test_a_second_call_changes_nothing(self) -> None:
        before = (RiskProfile.objects.count(), Measure.objects.count())
        self.assertEqual(ensure_programmes_demo(), 0)
        self.assertEqual((RiskProfile.objects.count(), Measure.objects.count()), before)
