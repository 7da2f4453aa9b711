"""The overview and the school's analysis make a fixed number of queries (issue 4, query budget).

The same page is rendered over a municipality of 3 and of 30 schools, each school with flags,
cells and context in a hand-built run; the number of queries must not change.
"""

from __future__ import annotations

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from personas import FAST_HASHER

from opora.web.accounts import models as roles
from opora.web.accounts.assignment_cache import forget_user
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis.models import DONE, AnalysisRun, RunContext, RunFlag, RunSchoolStat
from opora.web.analysis.selectors import school_analysis
from opora.web.schools.models import School
from opora.web.schools.services import (
    municipality_get_or_create,
    region_get_or_create,
    school_create,
)

#: The overview's queries (module docstring of opora.web.analysis.overview) plus the session,
#: the user, the reader's roles and the version of what the page depends on
#: (analysis/versions.py); a constant, whatever the number of schools.
OVERVIEW_BUDGET = 12  # 12 measured


def _territory(size: int, name: str) -> tuple[object, AnalysisRun]:
    region = region_get_or_create(name=f"Область {name}")
    municipality = municipality_get_or_create(region=region, name=name)
    schools = [school_create(municipality=municipality, key=f"{name}-{i}",
                             short_name=f"Школа {i}", number=i,
                             microdistrict="Центр" if i % 2 else "Север")
               for i in range(1, size + 1)]
    run = AnalysisRun.objects.create(scope="municipality", municipality=municipality,
                                     region=region, status=DONE, finished_at=timezone.now(),
                                     run_json={"years_analysed": [2023, 2024]})
    RunFlag.objects.bulk_create(
        [RunFlag(run=run, school=s, flag=f, year=2024, evidence="…")
         for i, s in enumerate(schools) for f in (("low_results", "adverse_context")
                                                  if i % 3 == 0 else ("leader",))])
    RunSchoolStat.objects.bulk_create(
        [RunSchoolStat(run=run, school=s, procedure="VPR", subject=subject, grade=5, year=year,
                       participants=20 + i, mean_pct=50.0 + i % 7, gap_pct=-3.0 + i % 5,
                       gap_low_pct=-8.0, gap_high_pct=2.0, region_mean_pct=55.0,
                       region_sd_pct=18.0)
         for i, s in enumerate(schools) for subject in ("rus", "math") for year in (2023, 2024)])
    RunContext.objects.bulk_create(
        [RunContext(run=run, school=s, year=2024, context_index=0.1 * i, result_gap_pct=-1.0)
         for i, s in enumerate(schools)])
    user = user_create(username=f"coord-{name}", password="x")
    role_assign(user=user, role=roles.COORDINATOR, municipality=municipality)
    return user, run


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class OverviewQueryBudgetTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.small_user, cls.small_run = _territory(3, "Малый")
        cls.large_user, cls.large_run = _territory(30, "Большой")

    def _queries(self, user: object, **params: str) -> int:
        self.client.force_login(user)  # type: ignore[arg-type]
        forget_user(user.pk)  # type: ignore[attr-defined]  # a first request's: roles read too
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get("/analysis/", params)
        assert response.status_code == 200
        return len(captured)

    def test_the_overview_makes_as_many_queries_for_30_schools_as_for_3(self) -> None:
        small, large = self._queries(self.small_user), self._queries(self.large_user)
        assert small == large <= OVERVIEW_BUDGET

    def test_filters_and_sorting_do_not_add_queries_per_school(self) -> None:
        params = {"flag": "leader", "procedure": "VPR", "subject": "math", "sort": "-gap",
                  "microdistrict": "Центр"}
        assert self._queries(self.small_user, **params) == self._queries(self.large_user,
                                                                         **params)

    def test_the_overview_lists_every_school_with_its_flags(self) -> None:
        self.client.force_login(self.large_user)
        page = self.client.get("/analysis/")
        rows = page.context["rows"]
        assert len(rows) == 30
        counts = {c["code"]: c["value"] for c in page.context["counts"]}
        # schools 1, 4, …, 28 (i % 3 == 0 for i = 0…29): 10 ШНОР and ШНСУ, 20 leaders
        assert (counts["low_results"], counts["both"], counts["leader"]) == (10, 10, 20)

    def test_the_xlsx_export_makes_as_many_queries_for_30_schools_as_for_3(self) -> None:
        def export(user: object) -> int:
            self.client.force_login(user)  # type: ignore[arg-type]
            with CaptureQueriesContext(connection) as captured:
                assert self.client.get("/analysis/export.xlsx").status_code == 200
            return len(captured)

        assert export(self.small_user) == export(self.large_user)

    def test_a_schools_analysis_takes_the_same_queries_in_a_small_and_a_large_municipality(self) -> None:
        small = School.objects.get(key="Малый-1")
        large = School.objects.get(key="Большой-1")
        with CaptureQueriesContext(connection) as first:
            school_analysis(school=small)
        with CaptureQueriesContext(connection) as second:
            school_analysis(school=large)
        assert len(first) == len(second) <= 9

    def test_a_flags_evidence_takes_the_same_queries_for_one_flag_as_for_many(self) -> None:
        def evidence(user: object, run: AnalysisRun, key: str) -> int:
            school = School.objects.get(key=key)
            self.client.force_login(user)  # type: ignore[arg-type]
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(
                    f"/analysis/runs/{run.pk}/schools/{school.pk}/evidence/")
            assert response.status_code == 200 and b'class="evidence"' in response.content
            return len(captured)

        RunFlag.objects.bulk_create([RunFlag(run=self.large_run,
                                             school=School.objects.get(key="Большой-1"),
                                             flag="risk_zone", year=y, evidence=f"год {y}")
                                     for y in range(2010, 2024)])
        one = evidence(self.small_user, self.small_run, "Малый-2")  # one flag: leader
        many = evidence(self.large_user, self.large_run, "Большой-1")  # 2 + 14 flags
        # session, user, roles (a coordinator's municipality comes with them), the school, the
        # run, its flags
        assert one == many == 6



@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class OverviewCacheTests(TestCase):
    setUpTestData = classmethod(OverviewQueryBudgetTests.setUpTestData.__func__)  # type: ignore[attr-defined]
    _queries = OverviewQueryBudgetTests._queries

    def test_a_repeated_overview_of_a_finished_run_is_served_from_the_cache(self) -> None:
        computed = self._queries(self.large_user)
        first = self.client.get("/analysis/").content
        cached = self._queries(self.large_user)
        assert cached < computed  # the scope is checked again, the run's tables are not re-read
        assert first.count(b"<tr data-school") == 30
        assert self.client.get("/analysis/").content.count(b"<tr data-school") == 30

    def test_another_filter_is_computed_not_taken_from_the_cache(self) -> None:
        computed = self._queries(self.large_user)
        assert self._queries(self.large_user, flag="leader") == computed
