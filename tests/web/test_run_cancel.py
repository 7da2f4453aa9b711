"""Cancelling an analysis run: who may, what happens to a queued, running or finished run.

A queued run is cancelled at once and its task, when a worker takes it, does nothing. A running
run gets a cancel request that the task honours between its stages (export, engine, load),
storing no results. Cancelled runs are never offered in the overview or used for comparison.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

from django.test import Client, TestCase, override_settings
from django.utils import timezone
from personas import FAST_HASHER, PASSWORD, PersonaTestCase

from opora.demo.generator import generate_tables
from opora.web.accounts import models as roles
from opora.web.accounts.services import role_assign, user_create
from opora.web.analysis import execution
from opora.web.analysis.execution import run_execute
from opora.web.analysis.models import (
    CANCELLED,
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    AnalysisRun,
    RunFlag,
    RunPair,
    RunSchoolStat,
)
from opora.web.analysis.selectors import latest_finished_run, previous_finished_run
from opora.web.analysis.stopping import NOT_CANCELLABLE, run_cancel
from opora.web.imports.services import load_tables
from opora.web.schools.models import Municipality

HTMX = {"HTTP_HX_REQUEST": "true"}


def _run(municipality: Any, status: str = QUEUED, **fields: Any) -> AnalysisRun:
    scope = {"scope": "region", "municipality": None} if municipality is None else {
        "scope": "municipality", "municipality": municipality}
    region = fields.pop("region", None) or municipality.region
    return AnalysisRun.objects.create(region=region, status=status, **scope, **fields)


class CancelTests(PersonaTestCase):
    def cancel(self, user: Any, run: AnalysisRun, **headers: Any) -> Any:
        self.client.force_login(user)
        return self.client.post(f"/analysis/runs/{run.pk}/cancel/", **headers)

    def test_a_coordinator_cancels_a_queued_run_and_its_task_then_does_nothing(self) -> None:
        run = _run(self.first)
        response = self.cancel(self.coordinator, run)
        self.assertRedirects(response, f"/analysis/runs/{run.pk}/")
        run.refresh_from_db()
        self.assertEqual((run.status, run.cancelled_by), (CANCELLED, self.coordinator))
        self.assertTrue(run.message.startswith("Расчёт отменён: coordinator"))
        run_execute(run_id=run.pk)  # a worker takes the task later
        run.refresh_from_db()
        self.assertEqual((run.status, run.started_at), (CANCELLED, None))

    def test_cancelling_a_running_run_records_a_request_the_page_shows(self) -> None:
        run = _run(self.first, RUNNING)
        response = self.cancel(self.coordinator, run, **HTMX)
        run.refresh_from_db()
        self.assertEqual(run.status, RUNNING)
        self.assertIsNotNone(run.cancel_requested_at)
        fragment = response.content.decode()
        self.assertTrue(fragment.startswith('<div id="run-status"'))
        self.assertIn("Отмена запрошена", fragment)
        self.assertNotIn("Отменить расчёт</button>", fragment)

    def test_a_running_run_whose_worker_stopped_is_cancelled_at_once(self) -> None:
        run = _run(self.first, RUNNING)
        AnalysisRun.objects.filter(pk=run.pk).update(
            updated_at=timezone.now() - timedelta(minutes=11))
        self.cancel(self.coordinator, run)
        run.refresh_from_db()
        self.assertEqual(run.status, CANCELLED)
        self.assertIn("обработчик к этому времени уже не отвечал", run.message)

    def test_a_finished_run_cannot_be_cancelled(self) -> None:
        run = _run(self.first, DONE, finished_at=timezone.now())
        response = self.cancel(self.coordinator, run, **HTMX)
        self.assertContains(response, NOT_CANCELLABLE)
        run.refresh_from_db()
        self.assertEqual((run.status, run.cancel_requested_at), (DONE, None))

    def test_methodists_regional_staff_and_other_coordinators_cannot_cancel(self) -> None:
        run, other = _run(self.first), _run(self.second)
        # a queued run is not an official list: a methodist does not see it at all (404)
        self.assertEqual(self.cancel(self.methodist, run).status_code, 404)
        self.assertEqual(self.cancel(self.regional, run).status_code, 403)
        self.assertEqual(self.cancel(self.coordinator, other).status_code, 404)
        self.assertEqual(set(AnalysisRun.objects.values_list("status", flat=True)), {QUEUED})

    def test_a_region_wide_run_is_cancelled_by_an_administrator_only(self) -> None:
        run = _run(None, region=self.first.region)
        self.assertEqual(self.cancel(self.coordinator, run).status_code, 403)
        run.refresh_from_db()
        self.assertEqual(run.status, QUEUED)
        self.cancel(self.admin, run)
        run.refresh_from_db()
        self.assertEqual(run.status, CANCELLED)

    def test_the_cancel_button_is_offered_only_to_who_may_cancel(self) -> None:
        run = _run(self.first)
        for user, offered in ((self.coordinator, True), (self.methodist, False),
                              (self.regional, False), (self.admin, True)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                page = self.client.get(f"/analysis/runs/{run.pk}/").content.decode()
                self.assertEqual("Отменить расчёт</button>" in page, offered)

    def test_cancelling_needs_a_post_with_the_csrf_token(self) -> None:
        run = _run(self.first)
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(f"/analysis/runs/{run.pk}/cancel/").status_code, 405)
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.coordinator)
        self.assertEqual(strict.post(f"/analysis/runs/{run.pk}/cancel/").status_code, 403)
        run.refresh_from_db()
        self.assertEqual(run.status, QUEUED)

    def test_a_cancelled_run_is_neither_offered_in_the_overview_nor_compared_with(self) -> None:
        now = timezone.now()
        old = _run(self.first, DONE, finished_at=now - timedelta(hours=2))
        cancelled = _run(self.first, CANCELLED, finished_at=now - timedelta(hours=1))
        self.assertEqual(latest_finished_run(municipality=self.first), old)
        newest = _run(self.first, DONE, finished_at=now)
        self.assertEqual(previous_finished_run(newest), old)
        self.client.force_login(self.coordinator)
        overview = self.client.get("/analysis/", {"municipality": self.first.pk})
        self.assertEqual(overview.context["run"], newest)
        self.assertEqual(self.client.get("/analysis/", {"municipality": self.first.pk,
                                                        "run": cancelled.pk}).status_code, 404)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class CancelDuringExecutionTests(TestCase):
    """The task on a generated municipality, with a cancel request arriving mid-way."""

    @classmethod
    def setUpTestData(cls) -> None:
        outcome = load_tables(tables=generate_tables(scale="municipality", years=2, seed=5),
                              name="тест")
        assert outcome.ok, outcome.summary()
        cls.municipality = Municipality.objects.get()
        cls.coordinator = user_create(username="coord", password=PASSWORD)
        role_assign(user=cls.coordinator, role=roles.COORDINATOR, municipality=cls.municipality)

    def _cancel_after(self, stage: str) -> tuple[AnalysisRun, int]:
        """Run the task, asking to cancel right after ``execution.<stage>`` returns; the run
        and how many times the engine ran."""
        run = _run(self.municipality)
        real = {name: getattr(execution, name) for name in ("export_tables", "analyze_tables")}
        engine_runs = []

        def wrapped(name: str) -> Any:
            def call(*args: Any, **kwargs: Any) -> Any:
                engine_runs.extend([1] if name == "analyze_tables" else [])
                result = real[name](*args, **kwargs)
                if name == stage:
                    run_cancel(user=self.coordinator, run=AnalysisRun.objects.get(pk=run.pk))
                return result
            return call

        with mock.patch.object(execution, "export_tables", wrapped("export_tables")), \
                mock.patch.object(execution, "analyze_tables", wrapped("analyze_tables")):
            run_execute(run_id=run.pk)
        run.refresh_from_db()
        return run, len(engine_runs)

    def test_a_cancel_during_the_export_stops_before_the_engine_runs(self) -> None:
        run, engine_runs = self._cancel_after("export_tables")
        self.assertEqual(run.status, CANCELLED, run.message)
        self.assertTrue(run.message.startswith("Расчёт отменён: coord"))
        self.assertEqual(engine_runs, 0)
        self.assertFalse(RunFlag.objects.filter(run=run).exists())

    def test_a_cancel_during_the_engine_stage_stores_no_results(self) -> None:
        run, engine_runs = self._cancel_after("analyze_tables")
        self.assertEqual(run.status, CANCELLED, run.message)
        self.assertEqual(engine_runs, 1)
        self.assertIn("engine", run.timings)
        self.assertNotIn("load", run.timings)
        self.assertFalse(RunFlag.objects.filter(run=run).exists())
        self.assertFalse(RunSchoolStat.objects.filter(run=run).exists())

    def test_a_run_without_a_cancel_finishes_and_stores_its_results(self) -> None:
        run = _run(self.municipality)
        run_execute(run_id=run.pk)
        run.refresh_from_db()
        self.assertEqual(run.status, DONE, run.message)
        self.assertTrue(RunSchoolStat.objects.filter(run=run).exists())

    def test_a_failure_while_loading_leaves_no_half_loaded_results(self) -> None:
        run = _run(self.municipality)
        from opora.web.analysis import loading

        real_insert = loading.insert_table

        def pairs_fail(model: Any, *args: Any, **kwargs: Any) -> Any:
            if model is RunPair:
                raise RuntimeError("disk full")
            return real_insert(model, *args, **kwargs)

        with mock.patch.object(loading, "insert_table", side_effect=pairs_fail):
            run_execute(run_id=run.pk)  # flags, stats… are written before the pairs fail
        run.refresh_from_db()
        self.assertEqual(run.status, FAILED)
        self.assertIn("disk full", run.message)
        self.assertFalse(RunFlag.objects.filter(run=run).exists())
        self.assertFalse(RunSchoolStat.objects.filter(run=run).exists())
