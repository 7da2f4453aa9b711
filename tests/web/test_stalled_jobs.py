"""Background work a dead worker left behind: found by the threshold, marked interrupted, rerun.

A job counts as stalled when it is queued or running and untouched for longer than
``OPORA_STALLED_AFTER_MINUTES`` (10); a live worker touches its job every minute (the heartbeat).
``opora manage reset_stalled`` — and ``opora worker`` when it starts — mark the dead ones failed
with «Обработка прервана…»; jobs that merely wait for a worker are left alone.
"""

from __future__ import annotations

import io
import threading
from datetime import timedelta
from typing import Any
from unittest import mock

from django.core.management import call_command
from django.test import SimpleTestCase, override_settings
from django.utils import timezone
from personas import PersonaTestCase
from test_import_page import ImportPageTestCase, aggregates_csv

from opora import cli
from opora.web.analysis.models import FAILED, QUEUED, RUNNING, AnalysisRun
from opora.web.analysis.tasks import execute_analysis_run
from opora.web.assessment.models import SchoolAggregate
from opora.web.core.background import STALLED, WAITING, heartbeat, stall_state, stalled_after
from opora.web.imports.jobs import ENTRY_INTERRUPTED
from opora.web.imports.models import UploadEntry, UploadJob
from opora.web.imports.tasks import process_upload

LONG_AGO = timedelta(minutes=11)


def _age(model: Any, pk: int, by: timedelta = LONG_AGO) -> None:
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - by)


def _reset() -> str:
    out = io.StringIO()
    call_command("reset_stalled", stdout=out)
    return out.getvalue()


class ThresholdAndHeartbeatTests(SimpleTestCase):
    def test_the_threshold_is_ten_minutes_unless_the_setting_says_otherwise(self) -> None:
        self.assertEqual(stalled_after(), timedelta(minutes=10))
        with override_settings(OPORA_STALLED_AFTER_MINUTES=30):
            self.assertEqual(stalled_after(), timedelta(minutes=30))

    def test_only_an_old_active_job_is_stalled_and_queued_means_waiting(self) -> None:
        now = timezone.now()
        state = {"queued": "q", "running": "r", "now": now}
        self.assertEqual(stall_state(status="r", touched_at=now - LONG_AGO, **state), STALLED)
        self.assertEqual(stall_state(status="q", touched_at=now - LONG_AGO, **state), WAITING)
        self.assertEqual(stall_state(status="r", touched_at=now - timedelta(minutes=9), **state), "")
        self.assertEqual(stall_state(status="done", touched_at=now - LONG_AGO, **state), "")

    def test_the_heartbeat_touches_the_job_while_the_work_runs_and_survives_a_failed_touch(
            self) -> None:
        beats: list[int] = []
        twice = threading.Event()

        def touch() -> None:
            beats.append(1)
            if len(beats) == 1:
                raise RuntimeError("database is locked")
            twice.set()

        with heartbeat(touch, every=0.01):
            self.assertTrue(twice.wait(5))
        count = len(beats)
        threading.Event().wait(0.05)
        self.assertEqual(len(beats), count)  # stopped with the block
        self.assertGreaterEqual(count, 2)


class ResetStalledRunsTests(PersonaTestCase):
    def _run(self, status: str, *, age: timedelta = LONG_AGO) -> AnalysisRun:
        run = AnalysisRun.objects.create(scope="municipality", municipality=self.first,
                                         region=self.first.region, status=status)
        _age(AnalysisRun, run.pk, age)
        return run

    def test_a_running_run_untouched_past_the_threshold_is_marked_interrupted(self) -> None:
        run = self._run(RUNNING)
        output = _reset()
        run.refresh_from_db()
        self.assertEqual(run.status, FAILED)
        self.assertTrue(run.message.startswith("Обработка прервана: фоновый обработчик остановился"))
        self.assertIsNotNone(run.finished_at)
        self.assertIn("расчётов — 1", output)

    def test_a_run_another_live_worker_touched_recently_is_left_running(self) -> None:
        run = self._run(RUNNING, age=timedelta(minutes=9))
        _reset()
        run.refresh_from_db()
        self.assertEqual((run.status, run.message), (RUNNING, ""))

    def test_a_queued_run_whose_task_waits_in_the_queue_is_left_for_the_worker(self) -> None:
        run = self._run(QUEUED)
        execute_analysis_run.enqueue(run.pk)  # the database queue: no worker has taken it
        output = _reset()
        run.refresh_from_db()
        self.assertEqual(run.status, QUEUED)
        self.assertIn("Ждут фонового обработчика", output)

    def test_a_queued_run_whose_task_is_gone_from_the_queue_is_marked_interrupted(self) -> None:
        run = self._run(QUEUED)
        _reset()
        run.refresh_from_db()
        self.assertEqual(run.status, FAILED)

    def test_the_threshold_setting_decides_what_is_stale(self) -> None:
        run = self._run(RUNNING)
        with override_settings(OPORA_STALLED_AFTER_MINUTES=30):
            _reset()
        run.refresh_from_db()
        self.assertEqual(run.status, RUNNING)

    def test_a_sole_worker_restarted_by_its_supervisor_resets_fresh_running_work_too(self) -> None:
        # the demo's supervisor knows its only worker died seconds ago: no threshold to wait for
        run = self._run(RUNNING, age=timedelta(seconds=5))
        out = io.StringIO()
        call_command("reset_stalled", "--sole-worker", stdout=out)
        run.refresh_from_db()
        self.assertEqual(run.status, FAILED)
        self.assertIn("Отмечено как прерванные (прежний обработчик остановился): расчётов — 1",
                      out.getvalue())

    def test_the_worker_passes_the_sole_worker_flag_to_the_reset_only(self) -> None:
        calls: list[list[str]] = []
        with mock.patch("django.core.management.execute_from_command_line",
                        lambda argv: calls.append(argv[1:])):
            cli.main(["worker", "--sole-worker", "--batch"])
        self.assertEqual(calls, [["reset_stalled", "--quiet", "--sole-worker"],
                                 ["db_worker", "--batch"]])

    def test_the_worker_resets_stalled_runs_before_it_starts_taking_tasks(self) -> None:
        dead, alive = self._run(RUNNING), self._run(RUNNING, age=timedelta(seconds=30))
        calls: list[str] = []

        def manage(argv: list[str]) -> None:
            calls.append(argv[1])
            if argv[1] == "reset_stalled":
                call_command(*argv[1:], stdout=io.StringIO())

        with mock.patch("django.core.management.execute_from_command_line", manage):
            self.assertEqual(cli.main(["worker", "--batch"]), 0)
        self.assertEqual(calls, ["reset_stalled", "db_worker"])
        dead.refresh_from_db()
        alive.refresh_from_db()
        self.assertEqual((dead.status, alive.status), (FAILED, RUNNING))


class ResetStalledFilesTests(ImportPageTestCase):
    def _job(self, *statuses: str) -> list[UploadEntry]:
        job = UploadJob.objects.create(created_by=self.coordinator, municipality=self.first)
        entries = [UploadEntry.objects.create(job=job, position=n, original_name=f"{n}.csv",
                                              file=f"uploads/{n}.csv", status=status)
                   for n, status in enumerate(statuses, start=1)]
        for entry in entries:
            _age(UploadEntry, entry.pk)
        return entries

    def _statuses(self, entries: list[UploadEntry]) -> list[str]:
        return [UploadEntry.objects.get(pk=e.pk).status for e in entries]

    def test_a_file_whose_worker_died_and_the_files_after_it_are_marked_interrupted(self) -> None:
        entries = self._job(UploadEntry.DONE, UploadEntry.RUNNING, UploadEntry.QUEUED)
        output = _reset()
        self.assertEqual(self._statuses(entries),
                         [UploadEntry.DONE, UploadEntry.FAILED, UploadEntry.FAILED])
        self.assertEqual(UploadEntry.objects.get(pk=entries[2].pk).message, ENTRY_INTERRUPTED)
        self.assertIn("файлов загрузки — 2", output)

    def test_files_waiting_for_a_worker_are_left_in_the_queue(self) -> None:
        entries = self._job(UploadEntry.QUEUED, UploadEntry.QUEUED)
        with override_settings(TASKS={"default": {
                "BACKEND": "django_tasks_db.DatabaseBackend"}}):
            process_upload.enqueue(entries[0].job_id)
            _reset()
        self.assertEqual(self._statuses(entries), [UploadEntry.QUEUED, UploadEntry.QUEUED])

    def test_queued_files_of_an_upload_a_live_worker_is_busy_with_are_left_alone(self) -> None:
        entries = self._job(UploadEntry.RUNNING, UploadEntry.QUEUED)
        _age(UploadEntry, entries[0].pk, timedelta(seconds=20))  # its heartbeat is fresh
        _reset()
        self.assertEqual(self._statuses(entries), [UploadEntry.RUNNING, UploadEntry.QUEUED])

    def test_an_interrupted_file_is_shown_as_such_and_its_rerun_loads_it(self) -> None:
        self.client.force_login(self.coordinator)
        # the upload is stored, but its task never runs (on-commit callbacks are not executed)
        self.client.post("/imports/", {"target": f"m{self.first.pk}",
                                       "uploads": [aggregates_csv("B;СОШ № 2;Первый;EGE;2024;11;rus;20")]})
        entry = UploadEntry.objects.get()
        UploadEntry.objects.filter(pk=entry.pk).update(status=UploadEntry.RUNNING)
        _age(UploadEntry, entry.pk)
        _reset()
        page = self.client.get(f"/imports/{entry.job_id}/").content.decode()
        self.assertIn("Обработка прервана", page)
        self.assertIn("Обработать заново", page)
        self.assertFalse(SchoolAggregate.objects.exists())
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/imports/{entry.job_id}/files/{entry.pk}/retry/")
        self.assertRedirects(response, f"/imports/{entry.job_id}/")
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.DONE, entry.message)
        self.assertEqual(SchoolAggregate.objects.get().school, self.b)

    def test_a_file_rejected_for_its_content_is_not_offered_for_a_rerun(self) -> None:
        self.upload(self.coordinator, aggregates_csv("x;Школа, которой нет;Первый;EGE;2024;11;rus;20"))
        entry = UploadEntry.objects.get()
        self.assertEqual(entry.status, UploadEntry.FAILED)
        self.assertNotIn("Обработать заново",
                         self.client.get(f"/imports/{entry.job_id}/").content.decode())
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(f"/imports/{entry.job_id}/files/{entry.pk}/retry/")
        entry.refresh_from_db()
        self.assertEqual(entry.status, UploadEntry.FAILED)
