"""The demo's year of support work: enough of everything for every page and every demo login."""

from __future__ import annotations

from django.db.models import Count
from django.test import TestCase, override_settings

from opora.web.analysis.models import RunPair
from opora.web.demo import DEMO_PASSWORD, prepare_demo
from opora.web.support.demo import ensure_support_demo
from opora.web.support.models import (
    Community,
    Curatorship,
    EventParticipant,
    NetworkPair,
    SupportEvent,
)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SupportDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        prepare_demo(years=1)

    def test_a_year_of_events_of_every_kind_and_status(self) -> None:
        self.assertTrue(250 <= SupportEvent.objects.count() <= 350, SupportEvent.objects.count())
        statuses = dict(SupportEvent.objects.values_list("status").annotate(n=Count("pk")))
        self.assertEqual(set(statuses), {"planned", "held", "held_remote", "postponed",
                                         "cancelled"})
        self.assertGreaterEqual(SupportEvent.objects.values("kind").distinct().count(), 11)
        self.assertFalse(SupportEvent.objects.filter(status__in=("postponed", "cancelled"),
                                                     status_reason="").exists())

    def test_assignments_are_there_with_a_handover_kept_in_history(self) -> None:
        ended = Curatorship.objects.filter(ended_on__isnull=False)
        self.assertEqual(ended.count(), 1, list(Curatorship.objects.values_list("school_id",
                                                                                 "ended_on")))
        self.assertEqual(Community.objects.count(), 3)

    def test_some_proposed_pairs_are_accepted_and_some_wait_for_the_coordinator(self) -> None:
        proposed = RunPair.objects.count()
        accepted = NetworkPair.objects.filter(run__isnull=False).count()
        self.assertTrue(proposed == 0 or 1 <= accepted < max(proposed, 2), (proposed, accepted))
        self.client.login(username="demo-coordinator", password=DEMO_PASSWORD)
        page = self.client.get("/support/assignments/").content.decode()
        self.assertEqual("Принять" in page, proposed > 1)

    def test_most_attendance_is_confirmed_and_demo_school_has_some_to_confirm(self) -> None:
        held = EventParticipant.objects.filter(event__status__in=("held", "held_remote"))
        confirmed = held.filter(attended__isnull=False).count()
        self.assertGreater(confirmed, held.count() * 0.6)
        self.client.login(username="demo-school", password=DEMO_PASSWORD)
        own = held.filter(attended__isnull=True,
                          school__in=[a.school for a in self._user("demo-school")
                                      .role_assignments.all()])
        self.assertTrue(own.exists())
        page = self.client.get(f"/support/events/{own.first().event_id}/")
        self.assertContains(page, "Подтвердить присутствие")

    def test_the_coordinator_sees_coverage_with_a_school_left_without_help(self) -> None:
        self.client.login(username="demo-coordinator", password=DEMO_PASSWORD)
        page = self.client.get("/support/coverage/")
        self.assertContains(page, "нет помощи 60+ дней")

    def test_preparing_again_adds_nothing(self) -> None:
        count = SupportEvent.objects.count()
        self.assertEqual(ensure_support_demo(), 0)
        self.assertEqual(SupportEvent.objects.count(), count)

    @staticmethod
    def _user(username: str):  # type: ignore[no-untyped-def]
        from django.contrib.auth import get_user_model

        return get_user_model().objects.get(username=username)
