"""Assignments with periods and history: curators and their role, network pairs from the official
run's proposal or by hand, communities with members from many schools, mentorships."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from support_data import SupportTestCase, days_ago, teacher
from test_support_coverage import official

from opora.web.accounts.models import CURATOR, RoleAssignment
from opora.web.analysis.models import DONE, AnalysisRun, RunPair
from opora.web.support.models import Community, Curatorship, NetworkPair
from opora.web.support.services.assignments import (
    community_create,
    community_join,
    curatorship_end,
    curatorship_start,
    mentorship_start,
    pair_accept,
    pair_create,
)


class CuratorshipTests(SupportTestCase):
    def test_a_curatorship_grants_the_role_and_ending_it_revokes_it_but_keeps_it(self) -> None:
        found = curatorship_start(by=self.coordinator, curator=self.nobody, school=self.a,
                                  started_on=days_ago(30), basis="приказ № 12")
        self.assertTrue(RoleAssignment.objects.filter(user=self.nobody, role=CURATOR,
                                                      school=self.a).exists())
        self.client.force_login(self.nobody)
        self.assertEqual(self.client.get(f"/schools/{self.a.pk}/").status_code, 200)
        curatorship_end(by=self.coordinator, curatorship=found, ended_on=days_ago(1),
                        reason="переведён")
        self.assertFalse(RoleAssignment.objects.filter(user=self.nobody, role=CURATOR).exists())
        kept = Curatorship.objects.get()
        self.assertEqual((kept.ended_on, kept.end_reason), (days_ago(1), "переведён"))
        self.assertEqual(kept.history.count(), 2)
        self.assertEqual(self.client.get(f"/schools/{self.a.pk}/").status_code, 404)

    def test_only_the_coordinator_assigns_curators_and_a_basis_is_needed(self) -> None:
        with self.assertRaises(PermissionDenied):
            curatorship_start(by=self.methodist, curator=self.nobody, school=self.a,
                              started_on=days_ago(1), basis="приказ")
        with self.assertRaisesMessage(ValidationError, "Укажите основание"):
            curatorship_start(by=self.coordinator, curator=self.nobody, school=self.a,
                              started_on=days_ago(1), basis=" ")

    def test_the_same_curator_twice_at_once_is_refused_in_russian(self) -> None:
        curatorship_start(by=self.coordinator, curator=self.nobody, school=self.a,
                          started_on=days_ago(5), basis="приказ № 1")
        with self.assertRaisesMessage(ValidationError, "уже закреплён"):
            curatorship_start(by=self.coordinator, curator=self.nobody, school=self.a,
                              started_on=days_ago(2), basis="приказ № 2")

    def test_an_end_in_the_future_or_before_the_start_is_refused(self) -> None:
        found = curatorship_start(by=self.coordinator, curator=self.nobody, school=self.a,
                                  started_on=days_ago(5), basis="приказ № 1")
        with self.assertRaisesMessage(ValidationError, "не может быть в будущем"):
            curatorship_end(by=self.coordinator, curatorship=found,
                            ended_on=timezone.localdate().replace(year=2100))
        with self.assertRaisesMessage(ValidationError, "раньше его начала"):
            curatorship_end(by=self.coordinator, curatorship=found, ended_on=days_ago(10))

    def test_the_page_assigns_a_curator_by_username(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post("/support/curatorships/new/", {
            "municipality": self.first.pk, "school": self.a.pk, "username": "nobody",
            "started_on": days_ago(3).isoformat(), "basis": "приказ № 40"})
        self.assertEqual(response.status_code, 302)
        page = self.client.get("/support/assignments/").content.decode()
        self.assertIn("приказ № 40", page)


class PairTests(SupportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.listed = official(cls.first, [cls.a])
        cls.proposal = RunPair.objects.create(run=cls.listed.run, low_school=cls.a,
                                              leader_school=cls.b, weak_subjects="math",
                                              reason="похожие условия, лидер сильнее на 12 п. п.")

    def test_a_proposed_pair_is_accepted_in_one_click_from_the_card(self) -> None:
        self.client.force_login(self.coordinator)
        panel = self.client.get(f"/support/schools/{self.a.pk}/panel/").content.decode()
        self.assertIn("Принять", panel)
        response = self.client.post(f"/support/pairs/proposed/{self.proposal.pk}/accept/",
                                    {"municipality": self.first.pk,
                                     "next": f"/schools/{self.a.pk}/"})
        self.assertRedirects(response, f"/schools/{self.a.pk}/", fetch_redirect_response=False)
        pair = NetworkPair.objects.get()
        self.assertEqual((pair.low_school, pair.leader_school, pair.run_id, pair.agreed_on),
                         (self.a, self.b, self.listed.run_id, timezone.localdate()))
        self.assertEqual(pair.reason, self.proposal.reason)
        panel = self.client.get(f"/support/schools/{self.a.pk}/panel/").content.decode()
        self.assertIn("со школой-лидером СОШ № 2", panel)
        self.assertNotIn("Принять", panel)

    def test_a_proposal_of_a_run_that_is_not_the_official_list_is_refused(self) -> None:
        draft = AnalysisRun.objects.create(scope="municipality", municipality=self.first,
                                           region=self.first.region, status=DONE)
        other = RunPair.objects.create(run=draft, low_school=self.a, leader_school=self.b)
        with self.assertRaisesMessage(ValidationError, "не действующий официальный список"):
            pair_accept(by=self.coordinator, run_pair=other)

    def test_a_pair_by_hand_needs_two_schools_of_the_coordinators_municipality(self) -> None:
        with self.assertRaisesMessage(ValidationError, "самой себе"):
            pair_create(by=self.coordinator, low_school=self.a, leader_school=self.a,
                        agreed_on=days_ago(1))
        with self.assertRaisesMessage(ValidationError, "не из вашего муниципалитета"):
            pair_create(by=self.coordinator, low_school=self.a, leader_school=self.c,
                        agreed_on=days_ago(1))
        pair_create(by=self.coordinator, low_school=self.a, leader_school=self.b,
                    agreed_on=days_ago(1), basis="соглашение № 3")
        with self.assertRaisesMessage(ValidationError, "уже работает"):
            pair_create(by=self.coordinator, low_school=self.a, leader_school=self.b,
                        agreed_on=days_ago(1))


class CommunityAndMentorTests(SupportTestCase):
    def test_a_community_gathers_teachers_of_many_schools_of_the_municipality(self) -> None:
        leader = self.teachers["A"][0]
        gmo = community_create(by=self.methodist, municipality=self.first, name="ГМО русистов",
                               kind="gmo", started_on=days_ago(10), leader=leader)
        community_join(by=self.methodist, community=gmo, teacher=self.teachers["B"][0],
                       joined_on=days_ago(5))
        self.assertEqual({m.school_id for m in gmo.members.all()}, {self.a.pk, self.b.pk})
        with self.assertRaisesMessage(ValidationError, "другого муниципалитета"):
            community_join(by=self.methodist, community=gmo, teacher=self.teachers["C"][0],
                           joined_on=days_ago(5))
        with self.assertRaisesMessage(ValidationError, "уже в сообществе"):
            community_join(by=self.methodist, community=gmo, teacher=self.teachers["B"][0],
                           joined_on=days_ago(4))
        self.assertEqual(Community.objects.get().history.count(), 1)

    def test_a_mentor_may_come_from_another_school_but_not_be_their_own_mentor(self) -> None:
        mentee = self.teachers["A"][1]
        mentorship_start(by=self.coordinator, mentor=self.teachers["B"][2], mentee=mentee,
                         started_on=days_ago(3))
        young = teacher(self.a, "Молодой педагог")
        with self.assertRaisesMessage(ValidationError, "один и тот же человек"):
            mentorship_start(by=self.coordinator, mentor=young, mentee=young,
                             started_on=days_ago(3))
        with self.assertRaises(PermissionDenied):
            mentorship_start(by=self.curator, mentor=self.teachers["B"][0], mentee=young,
                             started_on=days_ago(3))
