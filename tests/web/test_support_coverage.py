"""«Кто получил помощь»: the numbers of the coverage page, computed by hand on a small town.

«Первый» has A, B and a third school E on its official list. Against today (T), the period is
T−90 … T:

    1  held visit to A, T−10, A1 and A2 (not yet confirmed)             → A: visit, A1, A2
    2  seminar held remotely for A and B, T−20, by the methodist:
       A2 (present), A3 (absent, confirmed by A's administrator), B1    → A: A2; B: B1
    3  consultation at B planned for T+5                                → not held: nothing
    4  visit to B cancelled, T−3                                        → not held: nothing
    5  round table at B, T−70, B2                                       → B: B2
    6  visit to A, T−100 (before the period), A3                        → outside the period
    course of B3 from T−30 to T−10 (in the period)                      → B: B3
    course of A3 from T−200 to T−150 (before it)                        → nothing

    A: visit 1, seminar 1; teachers {A1, A2} = 2; last visit T−10 → 10 days; not quiet
    B: seminar 1, round table 1; teachers {B1, B2, B3} = 3; no visit; last event T−20
    E: nothing; 0 teachers; quiet (no event in 60 days)
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from support_data import SupportTestCase, days_ago, record

from opora.web.accounts.scope import Viewer
from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, Inclusion
from opora.web.schools.services import school_create
from opora.web.staff.models import Course
from opora.web.support.coverage import coverage
from opora.web.support.models import SupportEvent
from opora.web.support.services.assignments import (
    community_create,
    curatorship_start,
    pair_create,
)
from opora.web.support.services.events import attendance_confirm


def official(municipality, schools) -> ApprovedList:  # type: ignore[no-untyped-def]
    run = AnalysisRun.objects.create(scope="municipality", municipality=municipality,
                                     region=municipality.region, status=DONE,
                                     finished_at=timezone.now(),
                                     run_json={"years_analysed": [2024]})
    approved = ApprovedList.objects.create(run=run, year=2024, region=municipality.region,
                                           municipality=municipality, basis="приказ № 1")
    for school in schools:
        Inclusion.objects.create(approved_list=approved, school=school, category="low_results",
                                 since_year=2023, evidence="—")
    return approved


class CoverageTests(SupportTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.e = school_create(municipality=cls.first, key="E", short_name="СОШ № 5", number=5)
        official(cls.first, [cls.a, cls.b, cls.e])
        a1, a2, a3 = cls.teachers["A"]
        b1, b2, b3 = cls.teachers["B"]
        record(cls.coordinator, [cls.a], day=days_ago(10), participants=[a1, a2])
        seminar = record(cls.methodist, [cls.a, cls.b], day=days_ago(20), kind="seminar",
                         status="held_remote", organiser_kind="methodist",
                         participants=[a2, a3, b1])
        present = set(seminar.participants.filter(teacher=a2).values_list("pk", flat=True))
        attendance_confirm(by=cls.school_admin, event=seminar, school=cls.a, present=present)
        record(cls.coordinator, [cls.b], day=timezone.localdate() + dt.timedelta(days=5),
               kind="consultation", status="planned")
        record(cls.coordinator, [cls.b], day=days_ago(3), status="cancelled",
               status_reason="карантин")
        record(cls.coordinator, [cls.b], day=days_ago(70), kind="round_table", participants=[b2])
        record(cls.coordinator, [cls.a], day=days_ago(100), participants=[a3])
        Course.objects.create(teacher=b3, title="КПК", hours=36, start=days_ago(30),
                              end=days_ago(10))
        Course.objects.create(teacher=a3, title="КПК", hours=36, start=days_ago(200),
                              end=days_ago(150))
        curatorship_start(by=cls.coordinator, curator=cls.curator, school=cls.b,
                          started_on=days_ago(200), basis="приказ № 5")
        pair_create(by=cls.coordinator, low_school=cls.a, leader_school=cls.b,
                    agreed_on=days_ago(30))
        gmo = community_create(by=cls.coordinator, municipality=cls.first, name="ГМО математиков",
                               kind="gmo", started_on=days_ago(100), leader=a1)
        del gmo

    def found(self, user: object, **options: object):  # type: ignore[no-untyped-def]
        return coverage(Viewer(user), self.first, start=days_ago(90),
                        end=timezone.localdate(), **options)  # type: ignore[arg-type]

    def test_each_school_shows_its_events_by_kind_teachers_and_days_since_the_visit(self) -> None:
        rows = {r.school.key: r for r in self.found(self.coordinator).rows}
        self.assertEqual(list(rows), ["A", "B", "E"])
        a, b, e = rows["A"], rows["B"], rows["E"]
        self.assertEqual(a.by_kind, {"monitoring_visit": 1, "seminar": 1})
        self.assertEqual((a.teachers, a.days_since_visit, a.quiet), (2, 10, False))
        self.assertEqual(b.by_kind, {"seminar": 1, "round_table": 1})
        self.assertEqual((b.teachers, b.days_since_visit, b.quiet), (3, None, False))
        self.assertEqual((e.by_kind, e.teachers, e.quiet), ({}, 0, True))

    def test_curators_pairs_and_communities_are_the_current_ones(self) -> None:
        rows = {r.school.key: r for r in self.found(self.coordinator).rows}
        self.assertEqual(rows["B"].curators, ["curator"])
        self.assertEqual((rows["A"].partners, rows["B"].partners), (["СОШ № 2"], ["СОШ № 1"]))
        self.assertEqual(rows["A"].communities, ["ГМО математиков"])
        self.assertEqual(rows["E"].communities, [])

    def test_the_municipal_indicators_are_counted_from_the_rows(self) -> None:
        totals = dict(self.found(self.coordinator).totals())
        self.assertEqual(totals, {
            "Школ в списке": 3, "Получили помощь за период": 2, "С куратором": 1,
            "В сетевых парах со школами-лидерами": 2,
            "Участвовали в круглых столах, семинарах, вебинарах": 2,
            "Педагогов охвачено": 5, "Без мероприятий 60 дней и больше": 1})

    def test_a_curator_sees_only_their_schools(self) -> None:
        self.assertEqual([r.school.key for r in self.found(self.curator).rows], ["B"])

    def test_a_methodists_own_version_counts_their_events_and_the_schools_of_them(self) -> None:
        rows = {r.school.key: r for r in self.found(self.methodist, mine=True).rows}
        self.assertEqual(list(rows), ["A", "B"])
        self.assertEqual((rows["A"].by_kind, rows["A"].teachers), ({"seminar": 1}, 1))
        self.assertEqual((rows["B"].by_kind, rows["B"].teachers), ({"seminar": 1}, 1))

    def test_an_earlier_period_counts_the_visit_before_it(self) -> None:
        rows = {r.school.key: r for r in coverage(
            Viewer(self.coordinator), self.first, start=days_ago(120),
            end=days_ago(95)).rows}
        self.assertEqual((rows["A"].by_kind, rows["A"].teachers), ({"monitoring_visit": 1}, 1))
        self.assertEqual(rows["A"].days_since_visit, 5)

    def test_the_page_marks_the_quiet_school_and_shows_the_numbers(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get("/support/coverage/", {"from": days_ago(90).isoformat()})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(f'data-school="{self.e.pk}" class="quiet"', html)
        self.assertIn("нет помощи 60+ дней", html)
        self.assertIn("визитов не было", html)

    def test_the_page_costs_the_same_queries_with_more_events(self) -> None:
        self.client.force_login(self.coordinator)
        url = "/support/coverage/"
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        for day in range(1, 30):
            record(self.coordinator, [self.a, self.b], day=days_ago(day), hour=8,
                   kind="consultation", participants=[self.teachers["B"][0]])
        cache.clear()  # measure the build of the part, not its cached copy
        with CaptureQueriesContext(connection) as after:
            self.client.get(url)
        self.assertEqual(len(after), len(before))
        self.assertLessEqual(len(after), 17)

    def test_a_confirmed_attendance_changes_the_cached_page_at_once(self) -> None:
        self.client.force_login(self.coordinator)
        before = self.client.get("/support/coverage/").content.decode()
        seminar = SupportEvent.objects.get(kind="seminar")
        attendance_confirm(by=self.school_admin, event=seminar, school=self.a, present=set())
        after = self.client.get("/support/coverage/").content.decode()
        self.assertNotEqual(before, after)  # A2 is no longer counted as reached


class CoverageWithoutAListTests(SupportTestCase):
    def test_a_municipality_without_an_official_list_is_told_so(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get("/support/coverage/")
        self.assertContains(response, "ещё нет утверждённого официального списка")
