"""Who may read the overview and the runs, start a run, export — every role, own and other.

Runs here are built by hand (no engine): «Первый» has two finished runs, «Второй» one, and the
second region («Третий») one. Expected statuses follow issue 4: coordinators and methodists read
their municipality, regional staff every municipality of the region, school roles nothing here
(403); only a coordinator starts a run; another territory's run is not disclosed (404). A
methodist reads only approved runs (official lists): a draft is «not found» to them.
"""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from personas import PersonaTestCase

from opora.web.analysis.models import DONE, AnalysisRun, ApprovedList, RunFlag

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _run(municipality: object, *, minutes_ago: int, flags: list[tuple[object, str]]) -> AnalysisRun:
    finished = timezone.now() - timedelta(minutes=minutes_ago)
    run = AnalysisRun.objects.create(
        scope="municipality", municipality=municipality,
        region=municipality.region,  # type: ignore[attr-defined]
        status=DONE, progress=100, finished_at=finished, rules_version="test",
        run_json={"years_analysed": [2024], "flag_counts": {}})
    RunFlag.objects.bulk_create([RunFlag(run=run, school=school, flag=flag, year=2024,
                                         evidence=f"обоснование {flag}")
                                 for school, flag in flags])
    return run


@override_settings(TASKS=IMMEDIATE)
class AnalysisPermissionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.old = _run(cls.first, minutes_ago=60, flags=[(cls.a, "low_results"),
                                                         (cls.b, "low_results"),
                                                         (cls.b, "leader")])
        cls.new = _run(cls.first, minutes_ago=5, flags=[(cls.b, "low_results"),
                                                        (cls.a, "adverse_context"),
                                                        (cls.a, "low_results"),
                                                        (cls.b, "risk_zone")])
        cls.second_run = _run(cls.second, minutes_ago=5, flags=[(cls.c, "low_results")])
        cls.south_run = _run(cls.third, minutes_ago=5, flags=[(cls.d, "leader")])
        # «old» is the official list of 2024 in «Первый»; «new» is a draft there
        ApprovedList.objects.create(run=cls.old, year=2024, region=cls.first.region,
                                    municipality=cls.first, basis="приказ № 1")

    def status(self, user: object, url: str, **params: object) -> int:
        self.client.force_login(user)  # type: ignore[arg-type]
        return self.client.get(url, params).status_code

    def test_the_overview_opens_for_municipal_and_regional_roles_only(self) -> None:
        expected = {"coordinator": 200, "methodist": 200, "regional": 200, "admin": 200,
                    "school_admin": 403, "curator": 403, "nobody": 403}
        for name, code in expected.items():
            with self.subTest(role=name):
                assert self.status(getattr(self, name), "/analysis/") == code

    def test_an_anonymous_visitor_is_sent_to_sign_in(self) -> None:
        for url in ("/analysis/", "/analysis/runs/", f"/analysis/runs/{self.new.pk}/",
                    "/analysis/export.xlsx"):
            with self.subTest(url=url):
                response = self.client.get(url)
                assert response.status_code == 302 and "/login/" in response["Location"]

    def test_another_municipality_in_the_url_is_not_found_for_a_coordinator(self) -> None:
        assert self.status(self.coordinator, "/analysis/", municipality=self.second.pk) == 404
        assert self.status(self.methodist, "/analysis/", municipality=self.third.pk) == 404
        assert self.status(self.coordinator, "/analysis/export.xlsx",
                           municipality=self.second.pk) == 404

    def test_regional_staff_choose_any_municipality_of_their_region_but_not_another(self) -> None:
        self.client.force_login(self.regional)
        page = self.client.get("/analysis/", {"municipality": self.second.pk})
        assert [row.school.key for row in page.context["rows"]] == ["C"]
        assert {m.name for m in page.context["municipalities"]} == {"Первый", "Второй"}
        assert self.status(self.regional, "/analysis/", municipality=self.third.pk) == 404

    def test_a_run_of_another_municipality_in_the_url_is_not_found(self) -> None:
        cases = [(self.coordinator, self.new, 200), (self.coordinator, self.second_run, 404),
                 (self.methodist, self.old, 200), (self.methodist, self.new, 404),
                 (self.regional, self.second_run, 200),
                 (self.regional, self.south_run, 404), (self.school_admin, self.new, 403),
                 (self.curator, self.second_run, 403), (self.nobody, self.new, 403),
                 (self.admin, self.south_run, 200)]
        for user, run, code in cases:
            for suffix in ("", "status/"):
                with self.subTest(user=str(user), run=run.pk, suffix=suffix):
                    assert self.status(user, f"/analysis/runs/{run.pk}/{suffix}") == code

    def test_a_run_from_another_municipality_cannot_be_chosen_on_the_overview(self) -> None:
        assert self.status(self.coordinator, "/analysis/", run=self.second_run.pk) == 404
        assert self.status(self.coordinator, "/analysis/", run=self.old.pk) == 200

    def test_the_runs_list_shows_only_runs_of_the_readers_territory(self) -> None:
        self.client.force_login(self.coordinator)
        shown = {r.pk for r in self.client.get("/analysis/runs/").context["runs"]}
        assert shown == {self.old.pk, self.new.pk}
        self.client.force_login(self.regional)
        shown = {r.pk for r in self.client.get("/analysis/runs/").context["runs"]}
        assert shown == {self.old.pk, self.new.pk, self.second_run.pk}
        assert self.status(self.school_admin, "/analysis/runs/") == 403

    def test_only_a_coordinator_may_start_a_run(self) -> None:
        expected = {"methodist": 403, "regional": 403, "school_admin": 403, "curator": 403,
                    "nobody": 403}
        before = AnalysisRun.objects.count()
        for name, code in expected.items():
            with self.subTest(role=name):
                self.client.force_login(getattr(self, name))
                response = self.client.post("/analysis/runs/", {"municipality": self.first.pk})
                assert response.status_code == code
        assert AnalysisRun.objects.count() == before

    def test_a_coordinator_cannot_start_a_run_for_another_municipality(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post("/analysis/runs/", {"municipality": self.second.pk})
        assert response.status_code == 400
        self.assertContains(response, "Выберите корректный вариант", status_code=400)
        assert not AnalysisRun.objects.filter(municipality=self.second).exclude(
            pk=self.second_run.pk).exists()

    def test_a_coordinator_starts_a_run_for_their_municipality(self) -> None:
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = self.client.post("/analysis/runs/", {"municipality": self.first.pk,
                                                            "year_from": 2023,
                                                            "year_to": 2024})
        run = AnalysisRun.objects.latest("pk")
        assert response.status_code == 302 and response["Location"] == f"/analysis/runs/{run.pk}/"
        assert (run.municipality, run.year_from, run.year_to, run.created_by) == (
            self.first, 2023, 2024, self.coordinator)
        assert len(callbacks) == 1  # queued once the run is committed
        page = self.client.get(f"/analysis/runs/{run.pk}/status/")
        self.assertContains(page, 'hx-trigger="every 1s"')

    def test_years_in_the_wrong_order_are_refused_with_the_field_named(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.post("/analysis/runs/", {"municipality": self.first.pk,
                                                        "year_from": 2024, "year_to": 2022})
        self.assertContains(response, "Последний год раньше первого", status_code=400)

    def test_export_is_for_those_who_read_the_overview(self) -> None:
        expected = {"coordinator": 200, "methodist": 200, "regional": 200,
                    "school_admin": 403, "curator": 403, "nobody": 403}
        for name, code in expected.items():
            with self.subTest(role=name):
                assert self.status(getattr(self, name), "/analysis/export.xlsx") == code

    def test_the_comparison_names_who_entered_left_and_stayed_per_flag(self) -> None:
        # old: low_results {A, B}, leader {B}; new: low_results {A, B}, adverse {A}, risk {B}.
        self.client.force_login(self.coordinator)
        rows = {r["flag"]: r for r in
                self.client.get(f"/analysis/runs/{self.new.pk}/").context["comparison"]}
        names = {flag: {k: [n for _, n in r[k]] for k in ("entered", "left", "still")}
                 for flag, r in rows.items()}
        assert names == {
            "low_results": {"entered": [], "left": [], "still": ["СОШ № 1", "СОШ № 2"]},
            "risk_zone": {"entered": ["СОШ № 2"], "left": [], "still": []},
            "adverse_context": {"entered": ["СОШ № 1"], "left": [], "still": []},
            "leader": {"entered": [], "left": ["СОШ № 2"], "still": []},
        }
        first_page = self.client.get(f"/analysis/runs/{self.old.pk}/")
        assert first_page.context["previous"] is None

    def test_the_overview_defaults_to_the_official_list_and_shows_a_newer_draft_when_chosen(
            self) -> None:
        self.client.force_login(self.coordinator)
        page = self.client.get("/analysis/")
        assert page.context["run"] == self.old  # the official list, not the newer draft
        counts = {c["code"]: c["value"] for c in page.context["counts"]}
        # «old»: A and B low results, B a leader
        assert (counts["low_results"], counts["adverse_context"], counts["leader"]) == (2, 0, 1)
        self.assertContains(page, "официальный список 2024")
        self.assertContains(page, "— черновик")
        page = self.client.get("/analysis/", {"run": self.new.pk})
        assert page.context["run"] == self.new
        counts = {c["code"]: c["value"] for c in page.context["counts"]}
        assert (counts["low_results"], counts["adverse_context"], counts["both"],
                counts["risk_zone"], counts["leader"]) == (2, 1, 1, 1, 0)
        evidence = f"/analysis/runs/{self.new.pk}/schools/{self.a.pk}/evidence/"
        self.assertContains(page, f'hx-get="{evidence}?flag=adverse_context&amp;year=2024"')
        self.assertNotContains(page, "обоснование adverse_context")  # loaded when opened
        opened = self.client.get(evidence, {"flag": "adverse_context", "year": "2024"})
        self.assertContains(opened, "обоснование adverse_context")
        self.assertNotContains(opened, "обоснование low_results")

    def test_a_flag_loads_the_evidence_of_its_own_run_and_school_only(self) -> None:
        self.client.force_login(self.coordinator)
        url = f"/analysis/runs/{self.old.pk}/schools/{self.b.pk}/evidence/"
        both = self.client.get(url).content.decode()
        assert "обоснование low_results" in both and "обоснование leader" in both
        leader = self.client.get(url, {"flag": "leader"}).content.decode()
        assert "обоснование leader" in leader and "low_results" not in leader
        none = self.client.get(url, {"flag": "leader", "year": "2023"}).content.decode()
        assert "Обоснования этой отметки в расчёте" in none

    def test_evidence_outside_the_scope_is_not_found(self) -> None:
        cases = [(self.coordinator, self.new, self.a, 200),
                 (self.coordinator, self.second_run, self.c, 404),  # another municipality
                 (self.coordinator, self.second_run, self.a, 404),  # a run not covering A
                 (self.methodist, self.new, self.b, 200),
                 (self.regional, self.second_run, self.c, 200),
                 (self.regional, self.south_run, self.d, 404),  # another region
                 (self.school_admin, self.new, self.a, 403),  # the card shows a school's own
                 (self.curator, self.new, self.b, 403), (self.nobody, self.new, self.a, 403),
                 (self.admin, self.south_run, self.d, 200)]
        for user, run, school, code in cases:
            with self.subTest(user=str(user), run=run.pk, school=school.key):
                assert self.status(
                    user, f"/analysis/runs/{run.pk}/schools/{school.pk}/evidence/") == code

    def test_the_list_comes_from_the_cache_the_second_time_and_still_checks_the_scope(
            self) -> None:
        self.client.force_login(self.coordinator)
        first = self.client.get("/analysis/", {"sort": "-name"}).content
        RunFlag.objects.filter(run=self.new).delete()  # a finished run never changes; if it
        again = self.client.get("/analysis/", {"sort": "-name"})  # did, the cache would show
        assert again.content.count(b"flag-low_results") == first.count(b"flag-low_results") == 2
        assert "counts" not in again.context  # nothing was computed: the list was reused
        assert self.status(self.coordinator, "/analysis/", municipality=self.second.pk,
                           sort="-name") == 404

    def test_a_coordinator_cannot_widen_a_run_to_the_region(self) -> None:
        self.client.force_login(self.coordinator)
        with self.captureOnCommitCallbacks(execute=False):
            self.client.post("/analysis/runs/", {"municipality": self.first.pk,
                                                 "region": self.first.region_id})
        run = AnalysisRun.objects.latest("pk")
        assert (run.scope, run.municipality) == ("municipality", self.first)

    def test_an_administrator_starts_a_region_wide_run_that_regional_staff_then_read(self) -> None:
        self.client.force_login(self.admin)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post("/analysis/runs/", {"municipality": self.first.pk,
                                                 "region": self.first.region_id})
        run = AnalysisRun.objects.latest("pk")
        assert (run.scope, run.municipality, run.region) == ("region", None, self.first.region)
        run.refresh_from_db()
        assert run.status == "failed" and "не загружено ни одного результата" in run.message
        assert self.status(self.regional, f"/analysis/runs/{run.pk}/") == 200
        assert self.status(self.coordinator, f"/analysis/runs/{run.pk}/") == 200
        assert self.status(self.regional, "/analysis/runs/") == 200

    def test_a_run_queued_for_long_says_the_worker_is_probably_not_running(self) -> None:
        run = AnalysisRun.objects.create(scope="municipality", municipality=self.first,
                                         region=self.first.region)
        fresh = self._status_page(run)
        AnalysisRun.objects.filter(pk=run.pk).update(
            updated_at=timezone.now() - timedelta(minutes=11))
        stale = self._status_page(run)
        assert "stall-waiting" not in fresh
        assert "opora worker" not in stale  # no command-line text on pages (issue 13)
        assert "stall-waiting" in stale and "выполнится сам" in stale
        assert 'hx-trigger="every 1s"' in stale  # it keeps polling

    def test_a_running_run_untouched_for_long_says_its_worker_stopped(self) -> None:
        run = AnalysisRun.objects.create(scope="municipality", municipality=self.first,
                                         region=self.first.region, status="running")
        assert "stall-" not in self._status_page(run)
        AnalysisRun.objects.filter(pk=run.pk).update(
            updated_at=timezone.now() - timedelta(minutes=11))
        stale = self._status_page(run)
        assert "stall-stalled" in stale and "обработчик, по-видимому, остановился" in stale
        assert "Отменить расчёт" in stale  # the coordinator can end it at once

    def _status_page(self, run: AnalysisRun) -> str:
        self.client.force_login(self.coordinator)
        return self.client.get(f"/analysis/runs/{run.pk}/status/").content.decode()


class AnalysisMunicipalitiesTests(PersonaTestCase):
    """Whose overview a user may open (Viewer.municipalities)."""

    def names(self, user: object) -> list[str]:
        from opora.web.accounts.scope import Viewer

        Viewer.forget(user)
        return [m.name for m in Viewer.of(user).municipalities()]

    def test_a_coordinator_and_a_methodist_get_their_municipality_from_the_roles_alone(
            self) -> None:
        for user in (self.coordinator, self.methodist):
            with self.assertNumQueries(1):  # the roles, with the municipality and its region
                self.assertEqual(self.names(user), ["Первый"])

    def test_regional_staff_get_every_municipality_of_their_region(self) -> None:
        self.assertEqual(self.names(self.regional), ["Второй", "Первый"])

    def test_a_municipal_role_elsewhere_adds_to_the_region(self) -> None:
        from opora.web.accounts import models as roles
        from opora.web.accounts.services import role_assign

        role_assign(user=self.regional, role=roles.METHODIST, municipality=self.third)
        self.assertEqual(self.names(self.regional), ["Второй", "Первый", "Третий"])

    def test_school_roles_and_no_role_open_no_overview(self) -> None:
        for user in (self.school_admin, self.curator, self.nobody):
            self.assertEqual(self.names(user), [])
