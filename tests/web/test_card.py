"""The school card: identity, the passport by year with units, results from the database."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, AnalysisRun, RunContext, RunFlag, RunSchoolStat
from opora.web.assessment.models import (
    AssessmentScale,
    ObjectivityMarker,
    Procedure,
    SchoolAggregate,
    StudentResult,
    Subject,
)
from opora.web.assessment.services import catalog_ensure
from opora.web.context.models import ContextPassport
from opora.web.schools.models import School


class CardTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        catalog_ensure()
        cls.vpr, cls.ege = Procedure.objects.get(code="VPR"), Procedure.objects.get(code="EGE")
        cls.rus, cls.math = Subject.objects.get(code="rus"), Subject.objects.get(code="math")
        School.objects.filter(pk=cls.a.pk).update(
            full_name="МБОУ «Средняя школа № 1»", kind="secondary", microdistrict="Заречье",
            address="ул. Ленина, 1", fis_oko_login="edu990001")

    def _results(self, school: School, *, year: int, subject: Subject,
                 scores: list[float | None], marks: list[int | None]) -> None:
        scale, _ = AssessmentScale.objects.get_or_create(
            procedure=self.vpr, year=year, grade=4, subject=subject,
            defaults={"max_primary_score": 38})
        for i, (score, mark) in enumerate(zip(scores, marks, strict=True)):
            StudentResult.objects.create(
                school=school, procedure=self.vpr, year=year, grade=4, subject=subject,
                scale=scale, participant_code=f"{year}{subject.code}{i}", absent=score is None,
                primary_score=score, mark=mark)

    def _card(self, user: object, school: School | None = None) -> object:
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get(f"/schools/{(school or self.a).pk}/")
        self.assertEqual(response.status_code, 200)
        return response

    def _results_table(self, user: object, school: School | None = None) -> object:
        """The card's table of loaded results, as the card fetches it when it is opened."""
        self.client.force_login(user)  # type: ignore[arg-type]
        response = self.client.get(f"/schools/{(school or self.a).pk}/results/")
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_card_shows_the_identity_of_the_school(self) -> None:
        response = self._card(self.school_admin)
        for text in ("МБОУ «Средняя школа № 1»", "Средняя", "Заречье", "ул. Ленина, 1",
                     "edu990001", "Первый", "Северная область"):
            self.assertContains(response, text)

    def test_the_passport_is_shown_by_school_year_with_units(self) -> None:
        ContextPassport.objects.create(school=self.a, year=2023, students=812, share_ovz=2.5,
                                       remoteness_km=14.0)
        ContextPassport.objects.create(school=self.a, year=2022, students=790)
        response = self._card(self.methodist)
        self.assertContains(response, "2023/24")
        self.assertContains(response, "2022/23")
        rows = {r["label"]: (r["unit"], r["values"]) for r in response.context["passport_rows"]}
        self.assertEqual(rows["Обучающихся"], ("чел.", [812, 790]))  # newest year first
        self.assertEqual(rows["Обучающиеся с ОВЗ"], ("%", [2.5, None]))
        self.assertEqual(rows["Удалённость от районного центра"], ("км", [14.0, None]))
        self.assertEqual(rows["Вакансий педагогов"], ("ед.", [None, None]))
        self.assertContains(response, '<td class="num">2,5</td><td class="num">—</td>', html=False)

    def test_results_are_grouped_by_cell_with_participants_mean_and_marks(self) -> None:
        # present: 30, 20, 10 primary points of 38 (one absent): mean 20, 52.6 % of maximum;
        # marks 5, 3, 2 → one «2», one «3», no «4», one «5»
        self._results(self.a, year=2024, subject=self.rus, scores=[30, 20, 10, None],
                      marks=[5, 3, 2, None])
        rows = self._results_table(self.coordinator).context["results"]
        [row] = rows
        self.assertEqual((row.procedure, row.subject, row.grade, row.year),
                         ("ВПР", "Русский язык", 4, 2024))
        self.assertEqual(row.participants, 3)
        self.assertAlmostEqual(row.mean, 20.0)
        self.assertAlmostEqual(row.mean_percent, 100 * 20 / 38)
        self.assertEqual(row.marks, {2: 1, 3: 1, 4: 0, 5: 1})

    def test_a_published_total_is_shown_as_it_was_published(self) -> None:
        SchoolAggregate.objects.create(school=self.a, procedure=self.ege, year=2024, grade=11,
                                       subject=self.math, participants=20, below_threshold=1,
                                       mean_score=68.5, score_scale="test")
        card = self._card(self.school_admin)
        self.assertContains(card, f'hx-get="/schools/{self.a.pk}/results/"')  # opened on demand
        response = self._results_table(self.school_admin)
        [row] = response.context["results"]
        self.assertEqual((row.participants, row.mean, row.below_threshold), (20, 68.5, 1))
        self.assertContains(response, "68,5")
        self.assertContains(response, "опубликованный итог")

    def test_federal_markers_are_listed_with_their_source(self) -> None:
        ObjectivityMarker.objects.create(school=self.a, year=2024, grade=4, subject=self.rus,
                                         marker="4 РУ", source="список ФИОКО 2024")
        ObjectivityMarker.objects.create(school=self.b, year=2024, grade=5, subject=self.math,
                                         marker="5 МА")
        response = self._card(self.coordinator)
        self.assertEqual([(m.year, m.marker) for m in response.context["markers"]],
                         [(2024, "4 РУ")])  # school B's marker is not on A's card
        self.assertContains(response, "список ФИОКО 2024")

    def test_results_are_listed_newest_year_first(self) -> None:
        for year in (2022, 2024, 2023):
            self._results(self.a, year=year, subject=self.math, scores=[10], marks=[3])
        years = [r.year for r in self._results_table(self.coordinator).context["results"]]
        self.assertEqual(years, [2024, 2023, 2022])

    def test_the_history_link_is_shown_to_the_coordinator_only(self) -> None:
        link = f"/schools/{self.a.pk}/history/"
        self.assertContains(self._card(self.coordinator), link)
        self.assertContains(self._card(self.admin), link)
        for user in (self.school_admin, self.methodist, self.regional):
            self.assertNotContains(self._card(user), link)

    def test_the_passport_form_link_is_shown_to_those_who_may_fill_it_in(self) -> None:
        form = f"/schools/{self.a.pk}/passport/new/"
        self.assertContains(self._card(self.school_admin), form)
        self.assertContains(self._card(self.coordinator), form)
        for user in (self.methodist, self.regional):
            self.assertNotContains(self._card(user), form)

    def _queries(self, school: School) -> int:
        """A first visit's queries: nothing of the card or the reader's roles cached yet."""
        cache.clear()
        self.client.force_login(self.coordinator)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(f"/schools/{school.pk}/").status_code, 200)
        return len(queries)

    def test_the_card_takes_the_same_number_of_queries_for_one_and_for_many_results(self) -> None:
        self._results(self.a, year=2024, subject=self.rus, scores=[10], marks=[3])
        ContextPassport.objects.create(school=self.a, year=2023, students=100)
        small = self._queries(self.a)
        for year in (2021, 2022, 2023, 2024):
            ContextPassport.objects.get_or_create(school=self.b, year=year)
            for subject in (self.rus, self.math):
                self._results(self.b, year=year, subject=subject, scores=[10, 20, None],
                              marks=[3, 4, None])
                SchoolAggregate.objects.create(school=self.b, procedure=self.ege, year=year,
                                               grade=11, subject=subject, participants=9)
                ObjectivityMarker.objects.create(school=self.b, year=year, grade=4,
                                                 subject=subject, marker="4 РУ")
        self.assertEqual(self._queries(self.b), small)
        # session, user, roles (read once per request: the scope, the powers over the school
        # and the header share them), the school with its newest run and import (one query,
        # card/parts.py), the passport rows for the passport part's key and its table (5); the
        # parts, not cached yet: the loaded data (federal markers, whether results
        # exist: 2 — A has participants' results, so the second «exists» is not asked), the
        # analysis sections with no run (the flags across runs: 1)
        self.assertEqual(small, 5 + 2 + 1)

    def test_with_analysis_runs_the_card_still_takes_a_fixed_number_of_queries(self) -> None:
        def run_with(school: School, flags: int, years: list[int]) -> None:
            run = AnalysisRun.objects.create(
                scope="municipality", municipality=self.first, region=self.first.region,
                status=DONE, progress=100, finished_at=timezone.now(), rules_version="test")
            RunFlag.objects.bulk_create([RunFlag(run=run, school=school, flag="low_results",
                                                 year=2020 + i, evidence="обоснование")
                                         for i in range(flags)])
            RunSchoolStat.objects.bulk_create([
                RunSchoolStat(run=run, school=school, procedure="VPR", subject="rus", grade=4,
                              year=y, participants=20, mean_pct=50.0, region_mean_pct=55.0,
                              gap_pct=-5.0, gap_low_pct=-9.0, gap_high_pct=-1.0)
                for y in years])
            RunContext.objects.bulk_create([RunContext(run=run, school=school, year=y)
                                            for y in years])

        run_with(self.a, flags=1, years=[2024])
        small = self._queries(self.a)
        for _ in range(3):
            run_with(self.b, flags=4, years=[2021, 2022, 2023, 2024])
        self.assertEqual(self._queries(self.b), small)
